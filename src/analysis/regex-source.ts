/**
 * Reads the source of a (non-unicode) regular expression as a sequence of atoms, enough to reason about what a
 * match must start with or contain (first-chars.ts, literal-screen.ts). Whatever is not understood reads as an
 * atom matching any character, so conclusions drawn from it stay on the safe side (a superset of matches).
 */

/** A set of UTF-16 code units; `any` when every unit is in it. */
export class CharSet {
  private readonly members = new Set<number>();
  private anyUnit = false;

  static any(): CharSet {
    const set = new CharSet();
    set.anyUnit = true;
    return set;
  }

  get isAny(): boolean {
    return this.anyUnit;
  }

  /** How many units are in the set (65536 when any). */
  get size(): number {
    return this.anyUnit ? 65536 : this.members.size;
  }

  has(unit: number): boolean {
    return this.anyUnit || this.members.has(unit);
  }

  add(unit: number): void {
    this.members.add(unit);
  }

  addRange(from: number, to: number): void {
    for (let unit = from; unit <= to; unit += 1) this.members.add(unit);
  }

  addAll(other: CharSet): void {
    if (other.anyUnit) this.anyUnit = true;
    else for (const unit of other.members) this.members.add(unit);
  }

  units(): number[] {
    return [...this.members];
  }

  /** The set with the other case of every letter added, as a case-insensitive pattern matches it. */
  withBothCases(): CharSet {
    if (this.anyUnit) return this;
    const both = new CharSet();
    for (const unit of this.members) {
      const char = String.fromCharCode(unit);
      both.add(unit);
      for (const other of [char.toLowerCase(), char.toUpperCase()]) if (other.length === 1) both.add(other.charCodeAt(0));
    }
    return both;
  }

  /** One bit per unit, for membership tests in hot loops: `(bits[unit >>> 5] & (1 << (unit & 31))) !== 0`. */
  toBits(): Uint32Array {
    const bits = new Uint32Array(2048);
    if (this.anyUnit) bits.fill(0xffffffff);
    else for (const unit of this.members) bits[unit >>> 5]! |= 1 << (unit & 31);
    return bits;
  }
}

/** What `\s` matches (and `String.prototype.trim` removes). */
export const WHITESPACE: readonly number[] = [
  9, 10, 11, 12, 13, 32, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009,
  0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
];

export type Atom =
  /** One character out of `set`, repeated `min` times at least (0: optional). */
  | { readonly kind: 'char'; readonly set: CharSet; readonly min: number; readonly repeats: boolean }
  /** A group of alternatives (sources), repeated `min` times at least. */
  | { readonly kind: 'group'; readonly alternatives: readonly string[]; readonly min: number }
  /** Consumes nothing: `^`, `\b`, `\B`, lookarounds; `end` for `$`. */
  | { readonly kind: 'assertion'; readonly end: boolean };

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { n: 10, r: 13, t: 9, v: 11, f: 12, '0': 0 };

/** The characters `\d`, `\w`, `\s` stand for, or null for other letters. */
function classEscape(letter: string): CharSet | null {
  const set = new CharSet();
  if (letter === 'd') set.addRange(48, 57);
  else if (letter === 'w') {
    set.addRange(48, 57);
    set.addRange(65, 90);
    set.addRange(97, 122);
    set.add(95);
  } else if (letter === 's') for (const unit of WHITESPACE) set.add(unit);
  else return null;
  return set;
}

/** The unit an escape like `\.`, `\n`, `\u2713` or `\x41` stands for, with the escape's length (null: not understood). */
export function escapedUnit(source: string, at: number): { unit: number; length: number } | null {
  const letter = source[at + 1] ?? '';
  const digits = letter === 'u' ? 4 : letter === 'x' ? 2 : 0;
  if (digits > 0) {
    const hex = source.slice(at + 2, at + 2 + digits);
    return /^[0-9a-fA-F]+$/.test(hex) && hex.length === digits ? { unit: Number.parseInt(hex, 16), length: 2 + digits } : null;
  }
  if (letter in SIMPLE_ESCAPES) return { unit: SIMPLE_ESCAPES[letter]!, length: 2 };
  if (/[A-Za-z1-9]/.test(letter) || letter === '') return null; // \c, \k, \D, \S, \W, backreferences…
  return { unit: letter.charCodeAt(0), length: 2 };
}

/** The class `[...]` opening at `at`: its characters (any when negated or not understood) and its end. */
export function characterClass(source: string, at: number): { set: CharSet; end: number } {
  let index = at + 1;
  const negated = source[index] === '^';
  if (negated) index += 1;
  const set = new CharSet();
  let understood = !negated;
  let rangeStart: number | null = null;
  while (index < source.length && source[index] !== ']') {
    let unit: number;
    if (source[index] === '\\') {
      const escapes = classEscape(source[index + 1] ?? '');
      const escaped = escapes ? null : source[index + 1] === 'b' ? { unit: 8, length: 2 } : escapedUnit(source, index);
      if (!escaped) {
        if (escapes && rangeStart === null) set.addAll(escapes);
        else understood = false;
        index += 2;
        continue;
      }
      unit = escaped.unit;
      index += escaped.length;
    } else {
      unit = source.charCodeAt(index);
      index += 1;
    }
    if (rangeStart !== null) {
      set.addRange(rangeStart, unit);
      rangeStart = null;
    } else if (source[index] === '-' && index + 1 < source.length && source[index + 1] !== ']') {
      rangeStart = unit;
      index += 1;
    } else set.add(unit);
  }
  return { set: understood ? set : CharSet.any(), end: index + 1 };
}

/** The index after the `)` closing the group opened at `at`. */
function groupEnd(source: string, at: number): number {
  let depth = 0;
  for (let index = at; index < source.length; index += 1) {
    const char = source[index];
    if (char === '\\') index += 1;
    else if (char === '[') index = characterClass(source, index).end - 1;
    else if (char === '(') depth += 1;
    else if (char === ')' && --depth === 0) return index + 1;
  }
  return source.length;
}

/** The quantifier at `at`: its minimum, whether it allows more than one, and its length (0 when none). */
function quantifier(source: string, at: number): { min: number; repeats: boolean; length: number } {
  const char = source[at];
  let quantified = { min: 1, repeats: false, length: 0 };
  if (char === '?') quantified = { min: 0, repeats: false, length: 1 };
  else if (char === '*') quantified = { min: 0, repeats: true, length: 1 };
  else if (char === '+') quantified = { min: 1, repeats: true, length: 1 };
  else if (char === '{') {
    const braces = /^\{(\d+)(,\d*)?\}/.exec(source.slice(at));
    if (braces) {
      const [text, min = '0', rest] = braces;
      quantified = { min: Number(min), repeats: rest !== undefined || Number(min) > 1, length: text.length };
    }
  }
  if (quantified.length > 0 && source[at + quantified.length] === '?') quantified.length += 1; // lazy
  return quantified;
}

/** `a|(b|c)|[|]` → `a`, `(b|c)`, `[|]`: splits on the `|` outside groups and character classes. */
export function splitAlternatives(source: string): string[] {
  const alternatives: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index];
    if (char === '\\') index += 1;
    else if (char === '[') index = characterClass(source, index).end - 1;
    else if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    else if (char === '|' && depth === 0) {
      alternatives.push(source.slice(start, index));
      start = index + 1;
    }
  }
  alternatives.push(source.slice(start));
  return alternatives;
}

const ANY_CHAR: Atom = { kind: 'char', set: CharSet.any(), min: 1, repeats: true };

/** The atoms of one alternative (a source without a top-level `|`). */
export function atomsOf(alternative: string): Atom[] {
  const atoms: Atom[] = [];
  let index = 0;
  while (index < alternative.length) {
    const char = alternative[index]!;
    let end = index + 1;
    let set: CharSet | null = null;
    let group: string[] | null = null;
    if (char === '^' || char === '$') {
      atoms.push({ kind: 'assertion', end: char === '$' });
      index = end;
      continue;
    } else if (char === '\\' && (alternative[index + 1] === 'b' || alternative[index + 1] === 'B')) {
      atoms.push({ kind: 'assertion', end: false });
      index += 2;
      continue;
    } else if (char === '(') {
      end = groupEnd(alternative, index);
      const inner = alternative.slice(index + 1, end - 1);
      if (/^\?<?[=!]/.test(inner)) {
        atoms.push({ kind: 'assertion', end: false }); // a lookaround's constraint is ignored: still a superset
        index = end;
        continue;
      }
      group = splitAlternatives(inner.replace(/^\?(?::|<[A-Za-z_$][\w$]*>)/, ''));
    } else if (char === '[') {
      const parsed = characterClass(alternative, index);
      set = parsed.set;
      end = parsed.end;
    } else if (char === '\\') {
      const escapes = classEscape(alternative[index + 1] ?? '');
      const escaped = escapes ? null : escapedUnit(alternative, index);
      end = index + (escaped ? escaped.length : 2);
      set = escapes ?? new CharSet();
      if (escaped) set.add(escaped.unit);
      else if (!escapes) set = CharSet.any();
    } else if (char === '.') {
      set = CharSet.any();
    } else if (char === ')' || char === '|' || char === '*' || char === '+' || char === '?') {
      atoms.push(ANY_CHAR); // a source not understood: nothing after it is relied on
      return atoms;
    } else {
      set = new CharSet();
      set.add(char.charCodeAt(0));
    }
    const repeat = quantifier(alternative, end);
    if (group) atoms.push({ kind: 'group', alternatives: group, min: repeat.min });
    else atoms.push({ kind: 'char', set: set!, min: repeat.min, repeats: repeat.repeats });
    index = end + repeat.length;
  }
  return atoms;
}
