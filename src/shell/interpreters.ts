import type { Field } from './fields.js';

/**
 * Where an interpreter takes its program from: inline text (`bash -c '…'`, `python -c …`, `node -e …`), a
 * file, or standard input (`curl … | sh`). Shell scripts given inline are judged like the command line itself;
 * code of other languages is checked by `inline-code.ts`.
 */
interface InterpreterSpec {
  /** Short option letters / long options whose value is the program text. */
  readonly inline: readonly string[];
  /** Options that take a value which is not the program (skipped). */
  readonly withValue: readonly string[];
  /** Option letters that make it read the program from standard input even with arguments (`sh -s`). */
  readonly stdin?: readonly string[];
  /** Options that name a module or file to run instead of a positional script (`python -m`). */
  readonly module?: readonly string[];
  /** The program is the first positional word (awk, sed), unless a file option is given. */
  readonly firstPositionalIsCode?: boolean;
  /** Options whose value is a file holding the program (`awk -f prog.awk`). */
  readonly fileOptions?: readonly string[];
}

const SHELL: InterpreterSpec = { inline: ['c'], withValue: ['o', 'O', '--rcfile', '--init-file'], stdin: ['s'] };

const INTERPRETERS: Readonly<Record<string, InterpreterSpec>> = {
  sh: SHELL,
  bash: SHELL,
  dash: SHELL,
  zsh: SHELL,
  ksh: SHELL,
  mksh: SHELL,
  ash: SHELL,
  busybox_sh: SHELL,
  fish: { inline: ['c', '--command'], withValue: ['C', '--init-command'] },
  python: { inline: ['c'], withValue: ['W', 'X', '--check-hash-based-pycs'], module: ['m'] },
  node: {
    inline: ['e', 'p', '--eval', '--print'],
    withValue: ['r', 'C', '--require', '--import', '--loader', '--experimental-loader', '--conditions', '--input-type', '--env-file', '--stack-size', '--max-old-space-size'],
  },
  deno: { inline: [], withValue: [] },
  perl: { inline: ['e', 'E'], withValue: ['I', 'M', 'm', 'x', 'C'] },
  ruby: { inline: ['e'], withValue: ['r', 'I', 'C', 'E'] },
  php: { inline: ['r'], withValue: ['c', 'd', 'z'], module: ['f'] },
  lua: { inline: ['e'], withValue: ['l'] },
  pwsh: { inline: ['c', '-Command', '-command', '-EncodedCommand', '-encodedcommand', '-e', '-ec'], withValue: ['-File', '-f', '-WorkingDirectory', '-wd'] },
  awk: { inline: [], withValue: ['v', 'F', '--assign', '--field-separator'], firstPositionalIsCode: true, fileOptions: ['f', '--file'] },
  sed: { inline: ['e', '--expression'], withValue: ['l', '--line-length'], firstPositionalIsCode: true, fileOptions: ['f', '--file'] },
  source: { inline: [], withValue: [] },
  '.': { inline: [], withValue: [] },
};

export const SHELL_NAMES = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash']);

export type ProgramSource =
  /** The program text is argument `argIndex` (-1 when missing). */
  | { readonly kind: 'inline'; readonly argIndex: number }
  /** The program is the file named by argument `argIndex`. */
  | { readonly kind: 'file'; readonly argIndex: number }
  | { readonly kind: 'stdin' }
  /** An unknown word where an option was expected: where the program comes from is not known. */
  | { readonly kind: 'dynamic'; readonly argIndex: number };

/** The interpreter family of a program name (`python3.12` → python), or null. */
export function interpreterOf(program: string): string | null {
  if (/^python[0-9.]*$/.test(program) || program === 'pypy3' || program === 'pypy') return 'python';
  if (program === 'nodejs') return 'node';
  if (program === 'powershell' || program === 'pwsh.exe') return 'pwsh';
  if (/^(g|m|n)awk$/.test(program)) return 'awk';
  if (program === 'gsed') return 'sed';
  if (/^perl[0-9.]*$/.test(program)) return 'perl';
  if (/^ruby[0-9.]*$/.test(program)) return 'ruby';
  if (/^php[0-9.]*$/.test(program)) return 'php';
  if (/^lua[0-9.]*$/.test(program)) return 'lua';
  return Object.hasOwn(INTERPRETERS, program) ? program : null;
}

/** Where `program args…` reads its program from, or null when it is not an interpreter. */
export function programSource(program: string, args: readonly Field[]): ProgramSource | null {
  const family = interpreterOf(program);
  if (family === null) return null;
  const spec = INTERPRETERS[family]!;
  let inline = false;
  let stdin = false;
  let fromFile = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!.value;
    if (arg === null) return { kind: 'dynamic', argIndex: index };
    if (arg === '--') {
      const next = index + 1 < args.length ? index + 1 : -1;
      if (inline) return { kind: 'inline', argIndex: next };
      if (spec.firstPositionalIsCode && !fromFile) return { kind: 'inline', argIndex: next };
      return next < 0 || stdin ? { kind: 'stdin' } : { kind: 'file', argIndex: next };
    }
    if (arg === '-') return { kind: 'stdin' };
    if (!/^[-+]./.test(arg) || (family === 'sed' && arg.startsWith('+'))) {
      if (inline) return { kind: 'inline', argIndex: index };
      if (spec.firstPositionalIsCode) return fromFile ? { kind: 'file', argIndex: -1 } : { kind: 'inline', argIndex: index };
      return stdin ? { kind: 'stdin' } : { kind: 'file', argIndex: index };
    }
    const option = classifyOption(arg, spec);
    if (option.inlineValue !== undefined) return { kind: 'inline', argIndex: index };
    if (option.inline) {
      // `-c` takes the program from the next word; `-ec` too (shells allow it anywhere in a cluster).
      if (spec === SHELL) inline = true;
      else return { kind: 'inline', argIndex: index + 1 < args.length ? index + 1 : -1 };
    }
    if (option.module) return { kind: 'file', argIndex: index + 1 < args.length ? index + 1 : -1 };
    if (option.file) fromFile = true;
    if (option.stdin) stdin = true;
    if (option.skipsNext) index += 1;
  }
  if (spec.firstPositionalIsCode) return { kind: 'file', argIndex: -1 };
  return inline ? { kind: 'inline', argIndex: -1 } : { kind: 'stdin' };
}

interface OptionClass {
  readonly inline: boolean;
  /** The program text attached to the option (`--eval=code`, `-ecode`). */
  readonly inlineValue?: string;
  readonly module: boolean;
  readonly file: boolean;
  readonly stdin: boolean;
  readonly skipsNext: boolean;
}

const NONE: OptionClass = { inline: false, module: false, file: false, stdin: false, skipsNext: false };

function classifyOption(arg: string, spec: InterpreterSpec): OptionClass {
  if (arg.startsWith('--') || (spec.inline.includes(arg) && arg.length > 2) || (spec.withValue.includes(arg) && arg.length > 2)) {
    const equals = arg.indexOf('=');
    const [name, value] = equals >= 0 ? [arg.slice(0, equals), arg.slice(equals + 1)] : [arg, undefined];
    const inline = spec.inline.includes(name);
    if (inline && value !== undefined) return { ...NONE, inline, inlineValue: value };
    const file = spec.fileOptions?.includes(name) ?? false;
    const withValue = spec.withValue.includes(name) || (spec.module?.includes(name) ?? false) || file;
    return { ...NONE, inline, file, skipsNext: withValue && value === undefined && !inline };
  }
  const letters = arg.slice(1);
  for (let at = 0; at < letters.length; at += 1) {
    const letter = letters[at]!;
    const rest = letters.slice(at + 1);
    if (spec.inline.includes(letter)) {
      if (spec !== SHELL && rest !== '') return { ...NONE, inline: true, inlineValue: rest };
      return { ...NONE, inline: true };
    }
    if (spec.module?.includes(letter)) return { ...NONE, module: true };
    if (spec.fileOptions?.includes(letter)) return { ...NONE, file: true, skipsNext: rest === '' };
    if (spec.withValue.includes(letter)) return { ...NONE, skipsNext: rest === '' };
    if (spec.stdin?.includes(letter)) return { ...NONE, stdin: true };
  }
  return NONE;
}
