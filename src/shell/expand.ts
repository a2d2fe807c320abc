import { expandBraces } from './brace-expansion.js';
import { GLOB_CHARS, unknownField, type Field } from './fields.js';
import type { ShParameter, ShPart, ShScript, ShWord } from './shell-ast.js';
import { DEFAULT_IFS, type ShellState, type VarValue } from './shell-state.js';

/**
 * The policy's own word expansion, as bash would do it, without running anything: brace expansion, tilde,
 * parameters (with the values the walk has tracked), field splitting on IFS and globbing marks. Command
 * substitutions and unknown variables give unknown fields. A word may have several alternatives when a
 * variable may hold several values; past MAX_ALTERNATIVES the word is simply unknown.
 */
export interface ExpandContext {
  readonly state: ShellState;
  /** What the walk learned about the output of a substitution. */
  substitution(script: ShScript): { readonly tainted: boolean; readonly remote: boolean };
}

export const MAX_ALTERNATIVES = 16;

interface Current {
  value: string | null;
  glob: boolean;
  tainted: boolean;
  remote: boolean;
  home: boolean;
}

interface Building {
  readonly fields: Field[];
  current: Current | null;
}

type Flags = Pick<Current, 'tainted' | 'remote' | 'home'>;

/** Every alternative list of fields the word may become. */
export function expandWord(word: ShWord, context: ExpandContext): Field[][] {
  const variants = braceVariants(word.parts);
  if (variants === null) return [[unknownField(word.text)]];
  let combined: Field[][] = [[]];
  for (const parts of variants) {
    const alternatives = expandParts(parts, word.text, context, false);
    combined = combined.flatMap((prefix) => alternatives.map((fields) => [...prefix, ...fields]));
    if (combined.length > MAX_ALTERNATIVES) return [[collapse(word.text, combined)]];
  }
  return combined;
}

/** Every alternative argument list of a command (the product of its words' alternatives). */
export function expandWords(words: readonly ShWord[], context: ExpandContext): Field[][] {
  let combined: Field[][] = [[]];
  for (const word of words) {
    const alternatives = expandWord(word, context);
    if (alternatives.length === 1 && combined.length === 1) {
      // The common case, kept linear: one reading so far, one for this word.
      combined[0]!.push(...alternatives[0]!);
      continue;
    }
    const next = combined.flatMap((prefix) => alternatives.map((fields) => [...prefix, ...fields]));
    // Too many combinations: keep the first alternative of the others and make this word unknown.
    combined = next.length > MAX_ALTERNATIVES ? combined.map((prefix) => [...prefix, collapse(word.text, alternatives)]) : next;
  }
  return combined;
}

/** The value of an assignment or a redirection target: no field splitting, no globbing. */
export function expandValue(word: ShWord, context: ExpandContext): Omit<VarValue, 'exported'> {
  const alternatives = expandParts(word.parts, word.text, context, true);
  const values: string[] = [];
  let tainted = false;
  let remote = false;
  let unknown = false;
  for (const fields of alternatives) {
    const field = fields[0];
    tainted ||= field?.tainted ?? false;
    remote ||= field?.remote ?? false;
    if (field === undefined) values.push('');
    else if (field.value === null) unknown = true;
    else values.push(field.value);
  }
  return { values: unknown ? null : values, tainted, remote };
}

/** A value as one field (redirection targets). */
export function expandToField(word: ShWord, context: ExpandContext): Field {
  const alternatives = expandParts(word.parts, word.text, context, true);
  if (alternatives.length === 1 && alternatives[0]!.length === 1) return alternatives[0]![0]!;
  return collapse(word.text, alternatives);
}

function collapse(text: string, alternatives: readonly (readonly Field[])[]): Field {
  const all = alternatives.flat();
  return unknownField(text, { tainted: all.some((field) => field.tainted), remote: all.some((field) => field.remote) });
}

/** Brace expansion first: each result is a separate word, so a word becomes a list of part sequences. */
function braceVariants(parts: readonly ShPart[]): ShPart[][] | null {
  let variants: ShPart[][] = [[]];
  for (const part of parts) {
    if (part.type !== 'brace') {
      for (const variant of variants) variant.push(part);
      continue;
    }
    const items = expandBraces(part.text);
    if (items === null) return null;
    variants = variants.flatMap((variant) => items.map((item): ShPart[] => [...variant, { type: 'literal', value: item, quoted: false }]));
    if (variants.length > 64) return null;
  }
  return variants;
}

function expandParts(parts: readonly ShPart[], text: string, context: ExpandContext, noSplit: boolean): Field[][] {
  let partials: Building[] = [{ fields: [], current: null }];
  for (const part of parts) {
    partials = partials.flatMap((partial) => applyPart(partial, part, context, noSplit));
    if (partials.length > MAX_ALTERNATIVES) {
      const fields = partials.flatMap((partial) => finish(partial, text));
      return [[collapse(text, [fields])]];
    }
  }
  return partials.map((partial) => finish(partial, text));
}

function finish(partial: Building, text: string): Field[] {
  const fields = [...partial.fields];
  if (partial.current) fields.push(toField(partial.current, text));
  return fields.map((field) => ({ ...field, text }));
}

function toField(current: Current, text: string): Field {
  return { value: current.value, glob: current.glob, tainted: current.tainted, remote: current.remote, home: current.home, text };
}

function fresh(): Current {
  return { value: '', glob: false, tainted: false, remote: false, home: false };
}

function copy(partial: Building): Building {
  return { fields: [...partial.fields], current: partial.current ? { ...partial.current } : null };
}

function appendText(partial: Building, value: string, glob: boolean): void {
  const current = (partial.current ??= fresh());
  if (current.value !== null) current.value += value;
  current.glob ||= glob;
}

function appendUnknown(partial: Building, flags: Partial<Flags>): void {
  const current = (partial.current ??= fresh());
  current.value = null;
  current.tainted ||= flags.tainted ?? false;
  current.remote ||= flags.remote ?? false;
  current.home ||= flags.home ?? false;
}

function mark(partial: Building, flags: Partial<Flags>): void {
  if (!flags.tainted && !flags.remote) return;
  const current = (partial.current ??= fresh());
  current.tainted ||= flags.tainted ?? false;
  current.remote ||= flags.remote ?? false;
}

function applyPart(partial: Building, part: ShPart, context: ExpandContext, noSplit: boolean): Building[] {
  switch (part.type) {
    case 'literal':
      appendText(partial, part.value, false);
      return [partial];
    case 'glob':
      appendText(partial, part.pattern, !noSplit);
      return [partial];
    case 'brace':
      appendText(partial, part.text, false);
      return [partial];
    case 'tilde': {
      // `~` is $HOME, which the line may have changed.
      const home = part.user === '' ? context.state.get('HOME').values : null;
      if (home === null || home.length !== 1) appendUnknown(partial, { home: part.user === '' });
      else appendText(partial, home[0]!, false);
      return [partial];
    }
    case 'param':
      return applyParameter(partial, part, context, noSplit);
    case 'command-sub': {
      appendUnknown(partial, context.substitution(part.script));
      return [partial];
    }
    case 'process-sub':
      appendUnknown(partial, context.substitution(part.script));
      return [partial];
    case 'arith':
    case 'opaque':
      appendUnknown(partial, {});
      return [partial];
  }
}

function applyParameter(partial: Building, part: ShParameter, context: ExpandContext, noSplit: boolean): Building[] {
  const quoted = part.quoted || noSplit;
  if (part.name === '@' && part.quoted && part.op === 'plain') return applyAllPositional(partial, context);
  const variable = lookup(part.name, context.state);
  const value = resolveOperation(part, variable, context);
  const isHome = part.name === 'HOME' && part.op === 'plain';
  if (value.values === null) {
    appendUnknown(partial, { tainted: value.tainted, remote: value.remote, home: isHome });
    return [partial];
  }
  const ifs = quoted ? null : ifsOf(context.state);
  return value.values.map((text, index) => {
    const target = index === value.values!.length - 1 ? partial : copy(partial);
    mark(target, value);
    if (quoted) appendText(target, text, false);
    else if (ifs === undefined) appendUnknown(target, value);
    else appendSplit(target, text, ifs ?? DEFAULT_IFS);
    return target;
  });
}

/** `"$@"`: each positional parameter is its own field. */
function applyAllPositional(partial: Building, context: ExpandContext): Building[] {
  const { list, more } = context.state.positional;
  if (more || list.some((value) => value.values === null || value.values.length !== 1)) {
    appendUnknown(partial, { tainted: list.some((value) => value.tainted) });
    return [partial];
  }
  list.forEach((value, index) => {
    if (index > 0 && partial.current) {
      partial.fields.push(toField(partial.current, ''));
      partial.current = null;
    }
    mark(partial, value);
    appendText(partial, value.values![0]!, false);
  });
  return [partial];
}

/** Unquoted expansion: split on IFS; glob characters in the value make the field a pattern. */
function appendSplit(partial: Building, text: string, ifs: string): void {
  const separators = new RegExp(`[${ifs.replace(/[\\\]^-]/g, '\\$&')}]`);
  const pieces = ifs === '' ? [text] : text.split(separators);
  pieces.forEach((piece, index) => {
    if (index > 0 && partial.current) {
      partial.fields.push(toField(partial.current, ''));
      partial.current = null;
    }
    if (piece !== '') appendText(partial, piece, GLOB_CHARS.test(piece));
  });
}

/** The IFS to split with; undefined when it is not known (every unquoted expansion is then unknown). */
function ifsOf(state: ShellState): string | undefined {
  const ifs = state.get('IFS').values;
  return ifs !== null && ifs.length === 1 ? ifs[0] : undefined;
}

const UNKNOWN: Omit<VarValue, 'exported'> = { values: null, tainted: false, remote: false };
const SOME_PID = '424242';

function lookup(name: string, state: ShellState): Omit<VarValue, 'exported'> {
  if (name === '0') return state.positional.zero ?? UNKNOWN;
  // A process id (of a background job, of this shell): some number above 1.
  if (name === '!' || name === '$') return { values: [SOME_PID], tainted: false, remote: false };
  if (/^[1-9]\d*$/.test(name)) {
    const { list, more } = state.positional;
    return list[Number(name) - 1] ?? (more ? UNKNOWN : { values: [''], tainted: false, remote: false });
  }
  if (name === '@' || name === '*') {
    const { list, more } = state.positional;
    if (more || list.some((value) => value.values === null || value.values.length !== 1)) return { ...UNKNOWN, tainted: list.some((v) => v.tainted) };
    return { values: [list.map((value) => value.values![0]).join(' ')], tainted: list.some((v) => v.tainted), remote: false };
  }
  if (name === '#') return state.positional.more ? UNKNOWN : { values: [String(state.positional.list.length)], tainted: false, remote: false };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return UNKNOWN;
  return state.get(name);
}

/** `${X:-w}`, `${X:=w}`, `${X:+w}`, `${X:?w}` with a known X; anything else is unknown. */
function resolveOperation(part: ShParameter, variable: Omit<VarValue, 'exported'>, context: ExpandContext): Omit<VarValue, 'exported'> {
  if (part.op === 'plain' || part.op === 'error') return variable;
  if (part.op === 'other' || part.operand === null || variable.values === null) return { ...UNKNOWN, tainted: variable.tainted };
  const operand = expandValue(part.operand, context);
  const values: string[] = [];
  let unknown = false;
  const add = (choice: readonly string[] | null): void => {
    if (choice === null) unknown = true;
    else values.push(...choice);
  };
  for (const value of variable.values) {
    // An empty value may also be an unset one; without `:` both readings are possible.
    if (value !== '') add(part.op === 'alternative' ? operand.values : [value]);
    else if (part.op === 'alternative') add(part.colon ? [''] : ['', ...(operand.values ?? [])]);
    else add(part.colon ? operand.values : operand.values === null ? null : ['', ...operand.values]);
    if (part.op === 'alternative' && !part.colon && value === '' && operand.values === null) unknown = true;
  }
  const tainted = variable.tainted || operand.tainted;
  const remote = variable.remote || operand.remote;
  return unknown ? { values: null, tainted, remote } : { values, tainted, remote };
}
