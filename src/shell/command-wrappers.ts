import type { Field } from './fields.js';

/**
 * Commands that run another command given as their arguments (`sudo rm …`, `timeout 5 rm …`, `npx rimraf …`).
 * The policy looks through them to the command that really runs. When a wrapper's option is not known, the
 * next word may be its value or the command: both readings are returned and both are judged.
 */
interface WrapperSpec {
  /** Options whose value is the next word (when not attached: `-uroot`, `--user=root`). */
  readonly withValue?: readonly string[];
  /** Options known to take no value. Others are ambiguous. */
  readonly flags?: readonly string[];
  /** Positional words before the wrapped command (`timeout 5 cmd`). */
  readonly positionals?: number;
  /** `VAR=value` words may come before the command (`env A=1 cmd`). */
  readonly assignments?: boolean;
  /** Options whose value is itself a shell command line (`env -S '…'`, `flock -c '…'`). */
  readonly scriptOptions?: readonly string[];
  /** With one of these options the wrapper runs nothing (`command -v rm`). */
  readonly lookupOptions?: readonly string[];
  /** Options that change the working directory of the wrapped command. */
  readonly chdirOptions?: readonly string[];
  /** With one of these options the rest of the words is run by a shell (`sudo -s cmd`). */
  readonly shellOptions?: readonly string[];
  /** Appends words read from standard input (xargs). */
  readonly appendsInput?: boolean;
}

const WRAPPERS: Readonly<Record<string, WrapperSpec>> = {
  sudo: {
    withValue: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group', '--chdir', '--host', '--prompt', '--role', '--type', '--other-user', '--close-from', '--command-timeout'],
    flags: ['-E', '-H', '-n', '-k', '-K', '-b', '-P', '-S', '-A', '-B', '-N', '-e', '--preserve-env', '--non-interactive', '--stdin', '--askpass', '--background', '--set-home', '--reset-timestamp', '--remove-timestamp', '--login', '--shell', '-i', '-s'],
    chdirOptions: ['-D', '--chdir'],
    shellOptions: ['-s', '-i', '--shell', '--login'],
    lookupOptions: ['-l', '-v', '-V', '--list', '--validate', '--version', '-e', '--edit'],
  },
  doas: { withValue: ['-u', '-C'], flags: ['-n', '-s'], shellOptions: ['-s'] },
  env: {
    withValue: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string', '-a', '--argv0'],
    flags: ['-i', '-0', '--ignore-environment', '--null', '-v', '--debug', '--ignore-signal', '--default-signal', '--block-signal', '-'],
    assignments: true,
    scriptOptions: ['-S', '--split-string'],
    chdirOptions: ['-C', '--chdir'],
  },
  nohup: {},
  nice: { withValue: ['-n', '--adjustment'] },
  ionice: { withValue: ['-c', '-n', '--class', '--classdata'], flags: ['-t', '--ignore'] },
  chrt: { flags: ['-a', '-b', '-d', '-f', '-i', '-o', '-r', '-R', '-v', '--all-tasks', '--batch', '--deadline', '--fifo', '--idle', '--other', '--rr', '--reset-on-fork', '--verbose'], withValue: ['-T', '-P', '-D'], positionals: 1 },
  taskset: { flags: ['-a', '-c', '--all-tasks', '--cpu-list'], positionals: 1 },
  timeout: { withValue: ['-s', '--signal', '-k', '--kill-after'], flags: ['--foreground', '--preserve-status', '-v', '--verbose', '-f', '-p'], positionals: 1 },
  command: { flags: ['-p'], lookupOptions: ['-v', '-V'] },
  builtin: {},
  exec: { withValue: ['-a'], flags: ['-c', '-l'] },
  time: { withValue: ['-f', '--format', '-o', '--output'], flags: ['-p', '-v', '-a', '--portability', '--verbose', '--append'] },
  setsid: { flags: ['-c', '-f', '-w', '--ctty', '--fork', '--wait'] },
  stdbuf: { withValue: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  unbuffer: { flags: ['-p'] },
  busybox: {},
  fakeroot: { withValue: ['-l', '-s', '-i', '--lib', '--faked'], flags: ['-u', '--unknown-is-real'] },
  flock: {
    withValue: ['-w', '--timeout', '-E', '--conflict-exit-code', '-c', '--command'],
    flags: ['-s', '-x', '-e', '-u', '-n', '-o', '-F', '--shared', '--exclusive', '--unlock', '--nonblock', '--nb', '--close', '--no-fork', '--verbose'],
    scriptOptions: ['-c', '--command'],
    positionals: 1,
  },
  nsenter: { withValue: ['-t', '--target', '-S', '--setuid', '-G', '--setgid', '-w', '--wd', '-r', '--root'], flags: ['-a', '--all', '-m', '-u', '-i', '-n', '-p', '-U', '-C', '-F', '--mount', '--uts', '--ipc', '--net', '--pid', '--user', '--cgroup', '--no-fork', '--preserve-credentials'] },
  unshare: { flags: ['-m', '-u', '-i', '-n', '-p', '-U', '-C', '-T', '-f', '-r', '-c', '--mount', '--uts', '--ipc', '--net', '--pid', '--user', '--cgroup', '--time', '--fork', '--map-root-user', '--map-current-user', '--kill-child', '--mount-proc'] },
  chroot: { withValue: ['--userspec', '--groups'], flags: ['--skip-chdir'], positionals: 1 },
  strace: { withValue: ['-o', '-e', '-p', '-s', '-u', '-E', '-a', '-O', '-P', '-S', '-b', '-I'], flags: ['-f', '-ff', '-c', '-C', '-d', '-D', '-q', '-qq', '-r', '-t', '-tt', '-ttt', '-T', '-v', '-V', '-x', '-xx', '-y', '-yy', '-w', '-z', '-Z', '-k', '-i', '-n', '-F'] },
  ltrace: { withValue: ['-o', '-e', '-p', '-s', '-u', '-a', '-A', '-D', '-l', '-n', '-x', '-L', '-w'], flags: ['-f', '-c', '-C', '-d', '-h', '-i', '-r', '-S', '-t', '-tt', '-ttt', '-T', '-b'] },
  catchsegv: {},
  caffeinate: { withValue: ['-t', '-w'], flags: ['-d', '-i', '-m', '-s', '-u'] },
  runuser: { withValue: ['-u', '--user', '-g', '--group', '-G', '--supp-group', '-s', '--shell', '-w', '--whitelist-environment'], flags: ['-l', '--login', '-p', '-m', '--preserve-environment', '-P', '--pty', '-f', '--fast'], scriptOptions: ['-c', '--command', '--session-command'] },
  xargs: {
    withValue: ['-I', '-i', '-n', '-P', '-L', '-l', '-d', '-s', '-E', '-e', '-a', '--max-args', '--max-procs', '--delimiter', '--arg-file', '--max-lines', '--max-chars', '--eof', '--replace', '--process-slot-var'],
    flags: ['-0', '--null', '-r', '--no-run-if-empty', '-t', '--verbose', '-p', '--interactive', '-x', '--exit', '-o', '--open-tty', '--show-limits'],
    appendsInput: true,
  },
  parallel: { withValue: ['-j', '--jobs', '-S', '--sshlogin', '--joblog', '-a', '--arg-file', '-d', '--delimiter', '-n', '-N', '--max-args', '--results', '--timeout', '-I'], flags: ['-k', '--keep-order', '-0', '--null', '-q', '--quote', '--progress', '--eta', '-v', '--verbose', '--halt-on-error', '--bar', '-u', '--ungroup', '--line-buffer'], appendsInput: true },
  npx: { withValue: ['-p', '--package', '--cache', '--userconfig', '--registry'], flags: ['-y', '--yes', '--no', '-q', '--quiet', '--no-install', '--ignore-existing', '--prefer-offline', '--prefer-online', '--offline'], scriptOptions: ['-c', '--call'] },
  bunx: { withValue: ['-p', '--package'], flags: ['--bun', '--silent', '--verbose', '--no-install'] },
};

/** `pnpm exec cmd`, `poetry run cmd`: the program, the subcommand word, and that subcommand's options. */
const SUBCOMMAND_WRAPPERS: Readonly<Record<string, { readonly words: readonly string[]; readonly spec: WrapperSpec }>> = {
  npm: { words: ['exec', 'x'], spec: { withValue: ['-p', '--package', '-w', '--workspace'], flags: ['-y', '--yes', '--no', '--ws', '--workspaces', '--include-workspace-root'], scriptOptions: ['-c', '--call'] } },
  pnpm: { words: ['exec', 'dlx'], spec: { withValue: ['-C', '--dir', '--filter', '-F', '--package', '--reporter'], flags: ['-r', '--recursive', '--parallel', '--no-bail', '--silent', '-s', '--shell-mode', '-c'], scriptOptions: [] } },
  yarn: { words: ['exec', 'dlx'], spec: { withValue: ['-p', '--package'], flags: ['-q', '--quiet'] } },
  bun: { words: ['x'], spec: { withValue: ['-p', '--package'], flags: ['--bun'] } },
  poetry: { words: ['run'], spec: { withValue: ['-C', '--directory', '-P', '--project'], flags: ['-q', '--quiet', '-v', '-vv', '-vvv', '-n', '--no-interaction', '--no-ansi', '--ansi'] } },
  pipenv: { words: ['run'], spec: {} },
  bundle: { words: ['exec'], spec: { flags: ['--keep-file-descriptors'] } },
  uv: { words: ['run'], spec: { withValue: ['--with', '--python', '-p', '--project', '--directory', '--package', '--env-file', '--extra', '--group', '--index', '--index-url'], flags: ['--frozen', '--locked', '--no-sync', '--isolated', '-q', '--quiet', '-v', '--verbose', '--all-extras', '--no-dev', '--active'] } },
  pdm: { words: ['run'], spec: { withValue: ['-p', '--project'], flags: ['-s', '--site-packages', '-v', '-q'] } },
  hatch: { words: ['run'], spec: {} },
  conda: { words: ['run'], spec: { withValue: ['-n', '--name', '-p', '--prefix', '--cwd'], flags: ['--no-capture-output', '--live-stream', '-v', '--debug'], chdirOptions: ['--cwd'] } },
  mamba: { words: ['run'], spec: { withValue: ['-n', '--name', '-p', '--prefix', '--cwd'], flags: ['--no-capture-output', '--live-stream'], chdirOptions: ['--cwd'] } },
  micromamba: { words: ['run'], spec: { withValue: ['-n', '--name', '-p', '--prefix', '--cwd'], flags: [], chdirOptions: ['--cwd'] } },
};

/** Wrappers that change who runs the command: an allow-list entry has to name them. */
export const PRIVILEGE_WRAPPERS = new Set(['sudo', 'doas', 'runuser', 'su', 'pkexec', 'nsenter', 'chroot', 'unshare']);

/** Shell reserved words and the like that may start a word list (`!`, `{`). */
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

export function isAssignment(value: string): boolean {
  return ASSIGNMENT.test(value);
}

export function basename(program: string): string {
  const trimmed = program.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  return slash < 0 ? trimmed : trimmed.slice(slash + 1);
}

export interface Unwrapped {
  /** Index of the word naming the command that really runs; -1 when nothing runs. */
  readonly index: number;
  /** The wrappers passed through, outermost first. */
  readonly wrappers: readonly string[];
  /** Shell command lines given as option values (`env -S '…'`), and `sudo -s` command words joined. */
  readonly scripts: readonly Field[];
  /** The last working directory an option set (`env -C dir`), when any. */
  readonly chdir: Field | null;
  /** An unknown word where an option or the program was expected. */
  readonly dynamic: Field | null;
  /** Set when the command also receives words read from standard input (xargs). */
  readonly input: { readonly replace: string | null; readonly nullSeparated: boolean } | null;
}

const MAX_READINGS = 4;

/** Every plausible reading of the words: usually one. */
export function unwrap(argv: readonly Field[]): Unwrapped[] {
  const readings: Unwrapped[] = [];
  const start: Unwrapped = { index: 0, wrappers: [], scripts: [], chdir: null, dynamic: null, input: null };
  visit(argv, start, readings, 0);
  return readings;
}

function visit(argv: readonly Field[], reading: Unwrapped, out: Unwrapped[], guard: number): void {
  if (out.length >= MAX_READINGS) return;
  const word = argv[reading.index];
  if (reading.index < 0 || word === undefined || guard > 32) {
    out.push({ ...reading, index: reading.index < argv.length ? reading.index : -1 });
    return;
  }
  if (word.value === null) {
    out.push(reading.dynamic ? reading : { ...reading, dynamic: word });
    return;
  }
  const name = basename(word.value);
  const sub = SUBCOMMAND_WRAPPERS[name];
  if (sub && argv[reading.index + 1]?.value !== undefined && sub.words.includes(argv[reading.index + 1]!.value!)) {
    for (const next of skipOptions(argv, reading.index + 2, sub.spec, { ...reading, wrappers: [...reading.wrappers, name] })) {
      visit(argv, next, out, guard + 1);
    }
    return;
  }
  const spec = Object.hasOwn(WRAPPERS, name) ? WRAPPERS[name] : undefined;
  if (!spec) {
    out.push(reading);
    return;
  }
  for (const next of skipOptions(argv, reading.index + 1, spec, { ...reading, wrappers: [...reading.wrappers, name] })) {
    visit(argv, next, out, guard + 1);
  }
}

/** Readings after a wrapper's options: the index of the wrapped command, or -1 when it runs nothing. */
function skipOptions(argv: readonly Field[], from: number, spec: WrapperSpec, reading: Unwrapped): Unwrapped[] {
  let current: Unwrapped = { ...reading, input: spec.appendsInput ? { replace: null, nullSeparated: false } : reading.input };
  const alternatives: Unwrapped[] = [];
  let positionals = spec.positionals ?? 0;
  let index = from;
  while (index < argv.length) {
    const field = argv[index]!;
    const word = field.value;
    if (word === null) return [...alternatives, { ...current, index, dynamic: field }];
    if (word === '--') return [...alternatives, { ...current, index: index + 1 + positionals }];
    if (word.startsWith('-') && word.length > 1) {
      const option = readOption(word, argv[index + 1], spec);
      if (option.names.some((name) => spec.lookupOptions?.includes(name))) return [...alternatives, { ...current, index: -1 }];
      if (option.valueOption !== undefined) {
        if (option.value === undefined) return [...alternatives, { ...current, index: -1 }];
        if (option.value.value === null) return [...alternatives, { ...current, index, dynamic: option.value }];
        current = applyValueOption(current, spec, option.valueOption, option.value);
      }
      if (option.names.some((name) => spec.shellOptions?.includes(name)) && index + option.width < argv.length) {
        // `sudo -s cmd args`: the rest is joined and run by a shell.
        const rest = argv.slice(index + option.width);
        const joined = rest.some((item) => item.value === null) ? { ...rest[0]!, value: null } : { ...rest[0]!, value: rest.map((item) => item.value).join(' ') };
        return [...alternatives, { ...current, index: -1, scripts: [...current.scripts, joined] }];
      }
      if (spec.appendsInput && option.names.some((name) => name === '-0' || name === '--null')) {
        current = { ...current, input: { replace: current.input?.replace ?? null, nullSeparated: true } };
      }
      // An unknown option may take the next word as its value: read on from after it as well.
      if (option.ambiguous) alternatives.push(...skipOptions(argv, index + 2, { ...spec, positionals }, current));
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
    return [...alternatives, { ...current, index }];
  }
  // Only options: the wrapper runs nothing of its own (xargs then runs `echo`).
  return [...alternatives, { ...current, index: -1 }];
}

function applyValueOption(reading: Unwrapped, spec: WrapperSpec, option: string, value: Field): Unwrapped {
  if (spec.scriptOptions?.includes(option)) return { ...reading, scripts: [...reading.scripts, value] };
  if (spec.chdirOptions?.includes(option)) return { ...reading, chdir: value };
  if (spec.appendsInput && (option === '-I' || option === '-i' || option === '--replace')) {
    return { ...reading, input: { replace: value.value, nullSeparated: reading.input?.nullSeparated ?? false } };
  }
  if (spec.appendsInput && (option === '-d' || option === '--delimiter') && value.value === '\\0') {
    return { ...reading, input: { replace: reading.input?.replace ?? null, nullSeparated: true } };
  }
  return reading;
}

interface ReadOption {
  readonly names: readonly string[];
  readonly valueOption?: string;
  /** The option's value (undefined when it is missing at the end of the words). */
  readonly value?: Field;
  readonly width: number;
  /** Not a known option: the next word may be its value. */
  readonly ambiguous: boolean;
}

/** `--user=root`, `--user root`, `-uroot`, `-u root`, `-Eu root`, `-0`. */
function readOption(word: string, next: Field | undefined, spec: WrapperSpec): ReadOption {
  const takesValue = (name: string): boolean => (spec.withValue?.includes(name) ?? false) || (spec.scriptOptions?.includes(name) ?? false);
  const known = (name: string): boolean => takesValue(name) || (spec.flags?.includes(name) ?? false) || (spec.lookupOptions?.includes(name) ?? false) || (spec.shellOptions?.includes(name) ?? false);
  if (word.startsWith('--')) {
    const equals = word.indexOf('=');
    if (equals >= 0) {
      const name = word.slice(0, equals);
      return { names: [name], valueOption: name, value: { ...(next ?? literal(word)), value: word.slice(equals + 1), text: word }, width: 1, ambiguous: false };
    }
    if (takesValue(word)) return { names: [word], valueOption: word, value: next, width: 2, ambiguous: false };
    return { names: [word], width: 1, ambiguous: !known(word) && next !== undefined };
  }
  const names: string[] = [];
  for (let at = 1; at < word.length; at += 1) {
    const name = `-${word[at]}`;
    names.push(name);
    if (!takesValue(name)) continue;
    if (at < word.length - 1) return { names, valueOption: name, value: { ...literal(word), value: word.slice(at + 1) }, width: 1, ambiguous: false };
    return { names, valueOption: name, value: next, width: 2, ambiguous: false };
  }
  return { names, width: 1, ambiguous: !names.every(known) && next !== undefined };
}

function literal(text: string): Field {
  return { value: text, glob: false, tainted: false, remote: false, home: false, text };
}
