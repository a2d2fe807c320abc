import { expandValue, type ExpandContext } from './expand.js';
import type { CommandFact } from './facts.js';
import type { Field } from './fields.js';
import type { ShCommand, ShWord } from './shell-ast.js';
import type { VarValue } from './shell-state.js';
import { checkAssignment } from './special-variables.js';
import type { Frame, Walker } from './walker.js';

/**
 * Shell builtins that change what the rest of the line means: the working directory, variables, positional
 * parameters, aliases, traps and command lookup. Anything they do that the walk cannot follow makes the
 * affected values unknown.
 */
const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `export X=1 Y`, `declare -x Z=$(…)`: handled on the words, where each assignment is still whole. */
export function applyDeclaration(walker: Walker, command: ShCommand, context: ExpandContext, frame: Frame): boolean {
  const first = command.words[0];
  const name = first && first.parts.length === 1 && first.parts[0]!.type === 'literal' ? first.parts[0]!.value : null;
  if (name === null || !DECLARATIONS.has(name)) return false;
  const flags = command.words.slice(1).flatMap((word) => (isOptionWord(word) ? [literalText(word)!] : []));
  const exported = name === 'export' || flags.some((flag) => flag.startsWith('-') && flag.includes('x'));
  // Namerefs, arrays and integer/case attributes change values in ways not followed here.
  const opaque = flags.some((flag) => /^-\w*[naAiluI]/.test(flag));
  for (const word of command.words.slice(1)) {
    if (word.assignment) {
      const { name: variable, value } = word.assignment;
      if (opaque || value === null || word.assignment.indexed || word.assignment.append) frame.state.setUnknown(variable);
      else {
        const expanded = expandValue(value, context);
        checkAssignment(walker, frame, variable, expanded);
        frame.state.set(variable, expanded, exported || undefined);
      }
    } else {
      const text = literalText(word);
      if (text !== null && NAME.test(text)) {
        if (opaque) frame.state.setUnknown(text);
        else if (exported) frame.state.set(text, frame.state.get(text), true);
      }
    }
  }
  return true;
}

function isOptionWord(word: ShWord): boolean {
  const text = literalText(word);
  return text !== null && /^[-+]/.test(text);
}

function literalText(word: ShWord): string | null {
  return word.parts.every((part) => part.type === 'literal') ? word.parts.map((part) => (part.type === 'literal' ? part.value : '')).join('') : null;
}

/** Effects of a builtin run in this shell (not through a wrapper that starts another process). */
export function applyBuiltin(walker: Walker, fact: CommandFact, frame: Frame, env: ReadonlyMap<string, VarValue>): void {
  const { program, args } = fact;
  const state = frame.state;
  const values = args.map((arg) => arg.value);
  const operands = args.filter((arg) => arg.value === null || !/^-./.test(arg.value));
  switch (program) {
    case 'cd':
    case 'pushd': {
      const target = operands[0];
      // `pushd +1` rotates the directory stack: somewhere seen before.
      if (program === 'pushd' && target?.value !== null && /^[+-]\d/.test(target?.value ?? '')) return state.changeDirectory(null);
      // `HOME=… cd` and `CDPATH=… cd dir` use the values given to the command.
      const home = (env.get('HOME') ?? state.get('HOME')).values;
      // `cd dir` searches $CDPATH first: with one set in the line, a relative directory may be anywhere.
      const cdpath = env.get('CDPATH') ?? state.vars.get('CDPATH');
      const searched = cdpath !== undefined && (cdpath.values === null || cdpath.values.some((value) => value !== ''));
      if (target === undefined) state.changeDirectory(home !== null && home.length === 1 ? home[0]! : null);
      else if (target.value === '-' || target.home || target.value === null) state.changeDirectory(null);
      else if (searched && !/^\.{0,2}\//.test(target.value)) state.changeDirectory(null);
      else state.changeDirectory(target.value);
      return;
    }
    case 'popd':
      state.changeDirectory(null);
      return;
    case 'exit':
      state.dead = true;
      return;
    case 'unset':
      if (values.includes('-f')) return;
      for (const operand of operands) if (operand.value !== null && NAME.test(operand.value)) state.set(operand.value, { values: [''], tainted: false, remote: false });
      return;
    case 'read':
    case 'mapfile':
    case 'readarray':
    case 'getopts':
    case 'printf':
    case 'let':
      for (const name of assignedNames(program, args)) state.setUnknown(name);
      return;
    case 'set':
      return applySet(args, frame);
    case 'shift': {
      const count = Number(operands[0]?.value ?? '1');
      const { list, more } = state.positional;
      state.positional = Number.isInteger(count) ? { list: list.slice(count), more } : { list: [], more: true };
      return;
    }
    case 'eval':
      walker.walkEmbedded(joinFields(args), frame, { label: 'eval', sameShell: true });
      return;
    case 'alias':
      for (const arg of args) {
        const equals = arg.value?.indexOf('=') ?? -1;
        if (arg.value === null) walker.walkEmbedded(arg, frame, { label: 'alias', sameShell: true });
        else if (equals > 0) walker.walkEmbedded({ ...arg, value: arg.value.slice(equals + 1) }, frame, { label: 'alias', sameShell: true });
      }
      return;
    case 'trap': {
      const body = operands[0]?.value === '--' ? operands[1] : operands[0];
      if (body && operands.length >= 2 && !values.includes('-p') && !values.includes('-l')) {
        // A DEBUG or RETURN trap runs before later commands, an EXIT trap after them: walk it both now and at the end.
        walker.walkEmbedded(body, frame, { label: 'trap', sameShell: true });
        walker.defer(body);
      }
      return;
    }
    case 'hash':
    case 'enable':
      if (values.some((value) => value === null || /^-\w*[pf]/.test(value))) {
        walker.find('unparseable:dynamic-command', `${program} ${values.join(' ')} rebinds a command name to another program`);
      }
      return;
    default:
      return;
  }
}

/** Variable names a builtin assigns: `read -r a b`, `printf -v name`, `mapfile arr`, `getopts o name`. */
function assignedNames(program: string, args: readonly Field[]): string[] {
  const values = args.map((arg) => arg.value ?? '');
  if (program === 'printf') {
    const at = values.indexOf('-v');
    return at >= 0 && values[at + 1] ? [values[at + 1]!] : [];
  }
  if (program === 'getopts') return values[1] ? [values[1]] : [];
  if (program === 'let') return values.flatMap((value) => /^([A-Za-z_]\w*)\s*[-+*/%&|^]?=/.exec(value)?.[1] ?? []);
  const withValue = new Set(['-p', '-d', '-n', '-N', '-t', '-u', '-i', '-a', '-C', '-c', '-O', '-s']);
  const names: string[] = [];
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index]!;
    if (withValue.has(value)) {
      if (value === '-a' && values[index + 1]) names.push(values[index + 1]!);
      index += 1;
    } else if (NAME.test(value)) names.push(value);
  }
  return program === 'read' ? (names.length > 0 ? names : ['REPLY']) : names.length > 0 ? names : ['MAPFILE'];
}

function applySet(args: readonly Field[], frame: Frame): void {
  const state = frame.state;
  const values = args.map((arg) => arg.value);
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index]!;
    if (value === null) return state.forgetEverything();
    if (value === '--' || !/^[-+]/.test(value)) {
      const rest = args.slice(value === '--' ? index + 1 : index);
      state.positional = { list: rest.map((arg) => ({ values: arg.value === null ? null : [arg.value], tainted: arg.tainted, remote: arg.remote, exported: false })), more: rest.some((arg) => arg.value === null) };
      return;
    }
    if (value === '-o' || value === '+o') {
      if (values[index + 1] === 'allexport') state.allExport = value === '-o';
      index += 1;
    } else if (/^[-+]\w*a/.test(value)) state.allExport = value.startsWith('-');
  }
}

function joinFields(fields: readonly Field[]): Field {
  const text = fields.map((field) => field.text).join(' ');
  if (fields.some((field) => field.value === null)) {
    return { value: null, glob: false, tainted: fields.some((f) => f.tainted), remote: fields.some((f) => f.remote), home: false, text };
  }
  return { value: fields.map((field) => field.value).join(' '), glob: false, tainted: false, remote: false, home: false, text };
}
