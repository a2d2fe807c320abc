import { atomsOf, type Atom } from './regex-source.js';

/**
 * A screen for a long alternation of word-like patterns (`canceled|timed out|go\.sum|…`). The regular
 * expression engine tries every alternative at every position of a line, so fifty alternatives cost fifty
 * checks per character; one Aho–Corasick pass over the line instead finds whether any alternative's required
 * literal occurs, and only then is the pattern run. A superset by construction: the screen never hides a match.
 */

/** More literals than this for one alternative (`[A-Z]\d\d` …) is not a useful screen. */
const MAX_LITERALS = 64;

function product(prefixes: readonly string[], units: readonly number[]): string[] {
  return prefixes.flatMap((prefix) => units.map((unit) => prefix + String.fromCharCode(unit)));
}

/** The better screen of two literal sets: longer shortest literal first, then fewer literals. */
function better(a: readonly string[] | null, b: readonly string[] | null): readonly string[] | null {
  if (a === null || a.length === 0) return b;
  if (b === null || b.length === 0) return a;
  const shortest = (set: readonly string[]) => Math.min(...set.map((literal) => literal.length));
  if (shortest(a) !== shortest(b)) return shortest(a) > shortest(b) ? a : b;
  return a.length <= b.length ? a : b;
}

function groupLiterals(atom: Atom & { kind: 'group' }, ignoreCase: boolean): readonly string[] | null {
  const union: string[] = [];
  for (const alternative of atom.alternatives) {
    const literals = requiredLiterals(alternative, ignoreCase);
    if (literals === null) return null;
    union.push(...literals);
  }
  return union.length <= MAX_LITERALS ? union : null;
}

/**
 * Literals one of which every match of `alternative` (a source without a top-level `|`) contains, or null when
 * none can be relied on: the longest run of characters every match has in a row, as few spellings as possible.
 */
export function requiredLiterals(alternative: string, ignoreCase: boolean): readonly string[] | null {
  let best: readonly string[] | null = null;
  let run: string[] = [''];
  const endRun = () => {
    if (run[0] !== '') best = better(best, run);
    run = [''];
  };
  for (const atom of atomsOf(alternative)) {
    if (atom.kind === 'assertion' || atom.min === 0) {
      endRun();
      continue;
    }
    if (atom.kind === 'group') {
      endRun();
      best = better(best, groupLiterals(atom, ignoreCase));
      continue;
    }
    const set = ignoreCase ? atom.set.withBothCases() : atom.set;
    if (set.size * run.length > MAX_LITERALS) {
      endRun();
      continue;
    }
    run = product(run, set.units());
    if (atom.repeats || atom.min > 1) endRun(); // more of the same may follow: the run cannot go on
  }
  endRun();
  return best;
}

/** A literal that rarely occurs by chance: two characters or more, or one outside ASCII (`✖`). */
function isSelective(literal: string): boolean {
  return literal.length >= 2 || literal.charCodeAt(0) > 127;
}

export interface Screen {
  /** False only when no alternative of the screened pattern can match `text`. */
  test(text: string): boolean;
}

/** Up to this many literals are looked for one by one (a native search each); more need the automaton. */
const MAX_SEARCHED_LITERALS = 3;

/**
 * A screen for an alternation (`alternatives` of a pattern with `flags`): a search for each literal when they
 * are few, an automaton when `automaton` is allowed; null when an alternative has no selective literal.
 */
export function screenFor(alternatives: readonly string[], flags: string, automaton: boolean): Screen | null {
  if (/[uv]/.test(flags)) return null;
  const literals: string[] = [];
  for (const alternative of alternatives) {
    const required = requiredLiterals(alternative, flags.includes('i'));
    if (required === null || !required.every(isSelective)) return null;
    literals.push(...required);
  }
  if (literals.length <= MAX_SEARCHED_LITERALS) return new SearchScreen(literals);
  return automaton ? new LiteralScreen(literals) : null;
}

/** A native search for each of a few literals. */
class SearchScreen implements Screen {
  constructor(private readonly literals: readonly string[]) {}

  test(text: string): boolean {
    for (const literal of this.literals) if (text.includes(literal)) return true;
    return false;
  }
}

/** An Aho–Corasick automaton: whether a text contains any of a set of literals, in one pass over the text. */
export class LiteralScreen implements Screen {
  /** Character → its class in the automaton's alphabet (0: in no literal). */
  private readonly classes = new Uint16Array(65536);
  /** State × class → next state (premultiplied by the alphabet size), or -1 once a literal is found. */
  private readonly next: Int32Array;

  constructor(literals: readonly string[]) {
    let alphabet = 1;
    for (const literal of literals) {
      for (let index = 0; index < literal.length; index += 1) {
        const unit = literal.charCodeAt(index);
        if (this.classes[unit] === 0) this.classes[unit] = alphabet++;
      }
    }
    const children: Map<number, number>[] = [new Map()];
    const accepting: boolean[] = [false];
    for (const literal of literals) {
      let state = 0;
      for (let index = 0; index < literal.length; index += 1) {
        const symbol = this.classes[literal.charCodeAt(index)]!;
        let child = children[state]!.get(symbol);
        if (child === undefined) {
          child = children.length;
          children.push(new Map());
          accepting.push(false);
          children[state]!.set(symbol, child);
        }
        state = child;
      }
      accepting[state] = true;
    }
    const delta = new Int32Array(children.length * alphabet);
    const fail = new Int32Array(children.length);
    const queue: number[] = [];
    for (let symbol = 1; symbol < alphabet; symbol += 1) {
      const child = children[0]!.get(symbol);
      if (child !== undefined) {
        delta[symbol] = child;
        queue.push(child);
      }
    }
    for (let head = 0; head < queue.length; head += 1) {
      const state = queue[head]!;
      accepting[state] ||= accepting[fail[state]!]!;
      for (let symbol = 1; symbol < alphabet; symbol += 1) {
        const child = children[state]!.get(symbol);
        const fallback = delta[fail[state]! * alphabet + symbol]!;
        if (child === undefined) delta[state * alphabet + symbol] = fallback;
        else {
          fail[child] = fallback;
          delta[state * alphabet + symbol] = child;
          queue.push(child);
        }
      }
    }
    this.next = delta.map((state) => (accepting[state] ? -1 : state * alphabet));
  }

  /** Whether `text` contains one of the literals. */
  test(text: string): boolean {
    const { classes, next } = this;
    let state = 0;
    for (let index = 0; index < text.length; index += 1) {
      state = next[state + classes[text.charCodeAt(index)]!]!;
      if (state < 0) return true;
    }
    return false;
  }
}
