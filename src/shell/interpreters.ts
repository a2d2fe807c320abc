/**
 * Where an interpreter takes its program from: inline text (`bash -c '…'`, `python -c …`, `node -e …`), a
 * file, or standard input (`curl … | sh`). Shell scripts given inline are judged like the command line itself.
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
}

const SHELL: InterpreterSpec = {
  inline: ['c'],
  withValue: ['o', 'O', '--rcfile', '--init-file'],
  stdin: ['s'],
};

const INTERPRETERS: Readonly<Record<string, InterpreterSpec>> = {
  sh: SHELL,
  bash: SHELL,
  dash: SHELL,
  zsh: SHELL,
  ksh: SHELL,
  mksh: SHELL,
  ash: SHELL,
  fish: { inline: ['c', '--command'], withValue: ['C', '--init-command'] },
  python: { inline: ['c'], withValue: ['W', 'X', '--check-hash-based-pycs'], module: ['m'] },
  node: {
    inline: ['e', 'p', '--eval', '--print'],
    withValue: ['r', 'C', '--require', '--import', '--loader', '--experimental-loader', '--conditions', '--input-type', '--env-file'],
  },
  perl: { inline: ['e', 'E'], withValue: ['I', 'M', 'm', 'x', 'C'] },
  ruby: { inline: ['e'], withValue: ['r', 'I', 'C', 'E'] },
  php: { inline: ['r'], withValue: ['c', 'd', 'z'], module: ['f'] },
  pwsh: { inline: ['c', '-Command', '-command', '-EncodedCommand', '-e'], withValue: ['-File', '-f'] },
  source: { inline: [], withValue: [] },
  '.': { inline: [], withValue: [] },
};

const SHELL_NAMES = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash']);

export type ProgramSource =
  /** The program text is argument `argIndex` (-1 when missing). */
  | { readonly kind: 'inline'; readonly argIndex: number }
  /** The program is the file named by argument `argIndex`. */
  | { readonly kind: 'file'; readonly argIndex: number }
  | { readonly kind: 'stdin' };

function specFor(program: string): InterpreterSpec | undefined {
  if (/^python[0-9.]*$/.test(program)) return INTERPRETERS['python'];
  if (program === 'nodejs') return INTERPRETERS['node'];
  if (program === 'powershell') return INTERPRETERS['pwsh'];
  return Object.hasOwn(INTERPRETERS, program) ? INTERPRETERS[program] : undefined;
}

export function isInterpreter(program: string): boolean {
  return specFor(program) !== undefined;
}

/** Where `program args…` reads its program from, or null when it is not an interpreter. */
export function programSource(program: string, args: readonly string[]): ProgramSource | null {
  const spec = specFor(program);
  if (!spec) return null;
  let inline = false;
  let stdin = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--') {
      const next = index + 1 < args.length ? index + 1 : -1;
      if (inline) return { kind: 'inline', argIndex: next };
      return next < 0 || stdin ? { kind: 'stdin' } : { kind: 'file', argIndex: next };
    }
    if (arg === '-') return { kind: 'stdin' };
    if (!/^[-+]./.test(arg)) {
      if (inline) return { kind: 'inline', argIndex: index };
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
    if (option.stdin) stdin = true;
    if (option.skipsNext) index += 1;
  }
  return inline ? { kind: 'inline', argIndex: -1 } : { kind: 'stdin' };
}

interface OptionClass {
  readonly inline: boolean;
  /** The program text attached to the option (`--eval=code`, `-ecode`). */
  readonly inlineValue?: string;
  readonly module: boolean;
  readonly stdin: boolean;
  readonly skipsNext: boolean;
}

function classifyOption(arg: string, spec: InterpreterSpec): OptionClass {
  if (arg.startsWith('--') || (spec.inline.includes(arg) && arg.length > 2)) {
    const [name, value] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const inline = spec.inline.includes(name);
    const withValue = spec.withValue.includes(name) || (spec.module?.includes(name) ?? false);
    if (inline && value !== undefined) return { inline, inlineValue: value, module: false, stdin: false, skipsNext: false };
    return { inline, module: false, stdin: false, skipsNext: withValue && value === undefined };
  }
  const letters = arg.slice(1);
  for (let at = 0; at < letters.length; at += 1) {
    const letter = letters[at]!;
    const rest = letters.slice(at + 1);
    if (spec.inline.includes(letter)) {
      if (spec !== SHELL && rest !== '') return { inline: true, inlineValue: rest, module: false, stdin: false, skipsNext: false };
      return { inline: true, module: false, stdin: false, skipsNext: false };
    }
    if (spec.module?.includes(letter)) return { inline: false, module: true, stdin: false, skipsNext: false };
    if (spec.withValue.includes(letter)) return { inline: false, module: false, stdin: false, skipsNext: rest === '' };
    if (spec.stdin?.includes(letter)) return { inline: false, module: false, stdin: true, skipsNext: false };
  }
  return { inline: false, module: false, stdin: false, skipsNext: false };
}

/**
 * Shell command lines carried as arguments: `bash -c '…'`, `eval …`, `su -c '…'`, `trap '…' EXIT`,
 * `watch …`. The policy judges them like the outer line.
 */
export function embeddedShellScripts(program: string, args: readonly string[]): string[] {
  if (SHELL_NAMES.has(program)) {
    const source = programSource(program, args);
    return source?.kind === 'inline' && source.argIndex >= 0 ? [args[source.argIndex]!] : [];
  }
  if (program === 'eval') return args.length > 0 ? [args.join(' ')] : [];
  if (program === 'su') return optionValues(args, ['-c', '--command']);
  if (program === 'trap') return args.length >= 2 && !args[0]!.startsWith('-') ? [args[0]!] : [];
  if (program === 'watch') {
    const firstCommandWord = args.findIndex((arg, index) => !arg.startsWith('-') && !isWatchOptionValue(args, index));
    return firstCommandWord < 0 ? [] : [args.slice(firstCommandWord).join(' ')];
  }
  return [];
}

function isWatchOptionValue(args: readonly string[], index: number): boolean {
  const previous = index > 0 ? args[index - 1] : undefined;
  return previous === '-n' || previous === '--interval';
}

function optionValues(args: readonly string[], names: readonly string[]): string[] {
  const values: string[] = [];
  args.forEach((arg, index) => {
    if (names.includes(arg) && index + 1 < args.length) values.push(args[index + 1]!);
    const equals = arg.indexOf('=');
    if (equals > 0 && names.includes(arg.slice(0, equals))) values.push(arg.slice(equals + 1));
  });
  return values;
}
