/**
 * Commands that run another command given as their arguments (`sudo rm …`, `timeout 5 rm …`). The policy
 * looks through them to the command that really runs.
 */

interface WrapperSpec {
  /** Options whose value is the next word (when not attached as `-uroot` or `--user=root`). */
  readonly optionsWithValue?: readonly string[];
  /** Positional words before the wrapped command (`timeout 5 cmd`). */
  readonly positionals?: number;
  /** `VAR=value` words may come before the command (`env A=1 cmd`). */
  readonly assignments?: boolean;
  /** Options whose value is itself a command line (`env -S 'cmd args'`). */
  readonly scriptOptions?: readonly string[];
  /** When one of these options is present the wrapper does not run anything (`command -v rm`). */
  readonly lookupOptions?: readonly string[];
}

const WRAPPERS: Readonly<Record<string, WrapperSpec>> = {
  sudo: {
    optionsWithValue: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group', '--chdir', '--host', '--prompt', '--role', '--type', '--other-user', '--close-from', '--command-timeout'],
  },
  doas: { optionsWithValue: ['-u', '-C'] },
  env: {
    optionsWithValue: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'],
    assignments: true,
    scriptOptions: ['-S', '--split-string'],
  },
  nohup: {},
  nice: { optionsWithValue: ['-n', '--adjustment'] },
  ionice: { optionsWithValue: ['-c', '-n', '--class', '--classdata'] },
  timeout: { optionsWithValue: ['-s', '--signal', '-k', '--kill-after'], positionals: 1 },
  command: { lookupOptions: ['-v', '-V'] },
  builtin: {},
  exec: { optionsWithValue: ['-a'] },
  time: {},
  setsid: {},
  stdbuf: { optionsWithValue: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  busybox: {},
  xargs: {
    optionsWithValue: ['-I', '-i', '-n', '-P', '-L', '-l', '-d', '-s', '-E', '-e', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file', '--max-lines', '--max-chars', '--eof', '--replace', '--process-slot-var'],
  },
};

/** Shell reserved words that may start a simple command after splitting (`then rm …`, `! cmd`, `{ cmd`). */
const LEADING_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'esac', 'coproc']);

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

export function isAssignment(word: string): boolean {
  return ASSIGNMENT.test(word);
}

export function basename(program: string): string {
  const trimmed = program.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  return slash < 0 ? trimmed : trimmed.slice(slash + 1);
}

export interface Unwrapped {
  /** Index in the original words of the program that really runs, or -1 when nothing runs. */
  readonly programIndex: number;
  /** Command lines handed to a wrapper as a string (`env -S '…'`). */
  readonly scripts: readonly string[];
}

/** Skips assignments, reserved words and wrappers to the word that names the command that really runs. */
export function unwrap(words: readonly string[]): Unwrapped {
  const scripts: string[] = [];
  let index = 0;
  for (let guard = 0; guard < 64; guard += 1) {
    while (index < words.length && (isAssignment(words[index]!) || LEADING_KEYWORDS.has(words[index]!))) index += 1;
    if (index >= words.length) return { programIndex: -1, scripts };
    const spec = WRAPPERS[basename(words[index]!)];
    if (!spec) return { programIndex: index, scripts };
    const skipped = skipWrapperArguments(words, index + 1, spec, scripts);
    if (skipped < 0) return { programIndex: -1, scripts };
    index = skipped;
  }
  return { programIndex: -1, scripts };
}

/** Returns the index of the wrapped command, or -1 when the wrapper only looks something up. */
function skipWrapperArguments(words: readonly string[], start: number, spec: WrapperSpec, scripts: string[]): number {
  let index = start;
  let positionals = spec.positionals ?? 0;
  while (index < words.length) {
    const word = words[index]!;
    if (word === '--') return Math.min(words.length, index + 1 + positionals);
    if (word.startsWith('-') && word.length > 1) {
      const option = readOption(word, words[index + 1], spec);
      if (option.names.some((name) => spec.lookupOptions?.includes(name))) return -1;
      if (option.value !== undefined && spec.scriptOptions?.includes(option.valueOption ?? '')) scripts.push(option.value);
      index += option.width;
      continue;
    }
    if (spec.assignments && isAssignment(word)) {
      index += 1;
      continue;
    }
    if (positionals > 0) {
      positionals -= 1;
      index += 1;
      continue;
    }
    return index;
  }
  return index;
}

interface ReadOption {
  /** Every option named by the word (a short cluster `-Eu` names `-E` and `-u`). */
  readonly names: readonly string[];
  /** The option that took a value, and that value. */
  readonly valueOption?: string;
  readonly value?: string;
  /** How many words the option used: 1, or 2 when its value is the next word. */
  readonly width: number;
}

/** `--user=root`, `--user root`, `-uroot`, `-u root`, `-Eu root`, `-iE`. */
function readOption(word: string, nextWord: string | undefined, spec: WrapperSpec): ReadOption {
  const takesValue = (name: string): boolean => spec.optionsWithValue?.includes(name) ?? false;
  if (word.startsWith('--')) {
    const equals = word.indexOf('=');
    if (equals >= 0) return { names: [word.slice(0, equals)], valueOption: word.slice(0, equals), value: word.slice(equals + 1), width: 1 };
    if (takesValue(word)) return { names: [word], valueOption: word, value: nextWord, width: 2 };
    return { names: [word], width: 1 };
  }
  const names: string[] = [];
  for (let at = 1; at < word.length; at += 1) {
    const name = `-${word[at]}`;
    names.push(name);
    if (!takesValue(name)) continue;
    if (at < word.length - 1) return { names, valueOption: name, value: word.slice(at + 1), width: 1 };
    return { names, valueOption: name, value: nextWord, width: 2 };
  }
  return { names, width: 1 };
}
