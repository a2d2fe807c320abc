import { applyBuiltin, applyDeclaration } from './builtins.js';
import { basename, isAssignment, unwrap, type Unwrapped } from './command-wrappers.js';
import { downloadTargets } from './download-targets.js';
import { embeddedCommands, substitute } from './embedded.js';
import { expandValue, expandWords, type ExpandContext } from './expand.js';
import type { CommandFact, StdinSource } from './facts.js';
import { unknownField, type Field } from './fields.js';
import { findItems, printsNullSeparated } from './find-items.js';
import { checkInterpreter, isDownloaded, resolvePath } from './interpreter-check.js';
import { argumentsCarrySecrets, DOWNLOADERS, isNetworkCommand, printsSecrets } from './program-kinds.js';
import { applyRedirects, redirectWords } from './redirects.js';
import type { ShAssignment, ShCommand, ShParameter, ShPart, ShWord } from './shell-ast.js';
import { checkAssignment } from './special-variables.js';
import type { ShellState, VarValue } from './shell-state.js';
import type { Frame, Walker } from './walker.js';

/** One simple command: expand it, apply its assignments and redirections, and run what it runs. */
export function walkSimpleCommand(walker: Walker, command: ShCommand, frame: Frame): void {
  const words = [...command.words, ...command.assignments.flatMap(assignmentWords), ...redirectWords(command.redirects)];
  const subs = walker.walkWords(words, frame);
  const context: ExpandContext = { state: frame.state, substitution: (script) => subs.get(script) ?? walker.substitute(script, frame) };
  if (command.words.length === 0) {
    for (const assignment of command.assignments) assign(walker, frame, assignment, context);
    applyRedirects(walker, command.redirects, frame, '', subs);
    return;
  }
  const env = new Map<string, VarValue>();
  for (const assignment of command.assignments) {
    const value = valueOf(assignment, context);
    checkAssignment(walker, frame, assignment.name, value);
    env.set(assignment.name, { ...value, exported: true });
  }
  const argvs = expandWords(command.words, context);
  for (const name of defaultAssignments(command.words)) frame.state.setUnknown(name);
  const first = argvs[0]?.[0]?.value;
  const io = applyRedirects(walker, command.redirects, frame, first ? basename(first) : '', subs);
  const invocation: Invocation = { env, stdin: io.stdin ?? frame.stdin, written: io.written };
  if (applyDeclaration(walker, command, context, frame)) {
    // Still a command (its substitutions ran already); recorded for the rules.
    argvs.forEach((argv) => runArgv(walker, argv, frame, invocation, { builtins: false }));
    return;
  }
  if (argvs.length === 1) {
    runArgv(walker, argvs[0]!, frame, invocation);
    return;
  }
  // Several possible argument lists: each may change the state differently.
  const outcomes = argvs.map((argv) => {
    const state = frame.state.clone();
    runArgv(walker, argv, { ...frame, state }, invocation);
    return state;
  });
  const joined = outcomes[0]!;
  for (const outcome of outcomes.slice(1)) joined.joinWith(outcome);
  frame.state.assign(joined);
}

interface Invocation {
  readonly env: ReadonlyMap<string, VarValue>;
  readonly stdin: StdinSource;
  /** Files the command's redirections write. */
  readonly written: readonly Field[];
}

function runArgv(walker: Walker, argv: readonly Field[], frame: Frame, given: Invocation, options = { builtins: true }): void {
  let invocation = given;
  if (argv.length === 0) return;
  for (const reading of unwrap(argv)) {
    for (const script of reading.scripts) walker.walkEmbedded(script, frame, { label: reading.wrappers.at(-1) ?? 'a wrapper', env: invocation.env });
    if (reading.dynamic) {
      walker.find('unparseable:dynamic-command', `the command name "${reading.dynamic.text}" is only known when it runs`);
      continue;
    }
    if (reading.index < 0) {
      // A wrapper that runs nothing else still runs itself: `env` prints the environment, `xargs` runs echo.
      const wrapperAt = argv.findIndex((field) => field.value !== null && basename(field.value) === reading.wrappers.at(-1));
      if (wrapperAt >= 0) execute(walker, { programPath: argv[wrapperAt]!.value!, args: argv.slice(wrapperAt + 1), cwd: frame.state.cwd, reading: { ...reading, wrappers: reading.wrappers.slice(0, -1) } }, frame, invocation, false);
      continue;
    }
    const programField = argv[reading.index]!;
    if (programField.glob) {
      // `/???/??` finds /bin/rm: a pattern names no program until it is expanded.
      walker.find('unparseable:dynamic-command', `the command name "${programField.text}" is a pattern, only resolved when it runs`);
      continue;
    }
    const programPath = programField.value!;
    const carried = wrapperAssignments(walker, frame, argv.slice(0, reading.index), invocation.env);
    if (carried !== invocation.env) invocation = { ...invocation, env: carried };
    const cwd = reading.chdir === null ? frame.state.cwd : reading.chdir.value === null ? null : resolvePath(reading.chdir.value, frame.state.cwd);
    const rawArgs = argv.slice(reading.index + 1);
    const args = reading.input ? withInput(rawArgs, reading.input, invocation.stdin) : rawArgs;
    execute(walker, { programPath, args, cwd, reading }, frame, invocation, options.builtins);
  }
}

interface Call {
  readonly programPath: string;
  readonly args: readonly Field[];
  readonly cwd: string | null;
  readonly reading: Unwrapped;
}

function execute(walker: Walker, call: Call, frame: Frame, invocation: Invocation, builtins: boolean): void {
  walker.tick();
  const state = frame.state;
  const program = basename(call.programPath);
  const isSecretFile = (field: Field): boolean => {
    const resolved = field.value === null ? null : resolvePath(field.value.replace(/^[^=@<]*=[@<]|^@/, ''), call.cwd);
    return resolved !== null && state.secretFiles.has(resolved);
  };
  const stdin = invocation.stdin;
  const network = isNetworkCommand(program, call.args);
  const carriesSecrets =
    argumentsCarrySecrets(sentArguments(program, call.args), isSecretFile) ||
    stdinCarriesSecrets(stdin, isSecretFile) ||
    // Secrets written to a file earlier in the line may travel with any network command after it.
    (network && state.secretFiles.size > 0);
  const fact: CommandFact = {
    program,
    programPath: call.programPath,
    args: call.args,
    cwd: call.cwd,
    stdin,
    wrappers: call.reading.wrappers,
    remoteHost: frame.remoteHost,
    carriesSecrets,
    emitsSecrets: carriesSecrets || printsSecrets(program, call.args),
    network,
  };
  walker.commands.push(fact);
  recordOutputs(fact, state, invocation.written);
  const direct = call.reading.wrappers.every((wrapper) => wrapper === 'command' || wrapper === 'builtin' || wrapper === 'exec');
  const isFunction = !call.programPath.includes('/') && state.functions.has(program) && call.reading.wrappers.length === 0;
  if (call.programPath.includes('/') && isDownloaded({ ...unknownField(call.programPath), value: call.programPath }, state, call.cwd)) {
    walker.find('builtin:pipe-to-shell', `${call.programPath} is run after this command line downloads it`);
  }
  if (isFunction) {
    // A function named like a builtin (`cd() { … }`) replaces it, if its definition ran: either may hold.
    const asBuiltin = state.clone();
    if (builtins && direct) applyBuiltin(walker, fact, { ...frame, state: asBuiltin }, invocation.env);
    walker.callFunction(program, call.args, frame);
    state.joinWith(asBuiltin);
  } else if (builtins && direct) applyBuiltin(walker, fact, frame, invocation.env);
  checkInterpreter(walker, fact, frame, invocation.env);
  if ((program === 'source' || program === '.') && direct) state.forgetEverything();
  for (const embedded of embeddedCommands(program, call.args)) {
    const inner: Frame = { ...frame, remoteHost: frame.remoteHost || embedded.remoteHost === true };
    if (embedded.kind === 'script') {
      walker.walkEmbedded(embedded.text, inner, { label: embedded.label, remoteHost: embedded.remoteHost, env: invocation.env });
    } else {
      const innerState = state.clone();
      innerState.cwd = embedded.unknownCwd ? null : call.cwd;
      runArgv(walker, embedded.argv, { ...inner, state: innerState, stdin: { kind: 'none' } }, { env: invocation.env, stdin: { kind: 'none' }, written: [] });
    }
  }
}

/** The arguments a command may send: an ssh identity file or a TLS client key authenticates, it is not sent. */
function sentArguments(program: string, args: readonly Field[]): readonly Field[] {
  const identity = /^(ssh|scp|sftp|rsync)$/.test(program) ? /^-i$/ : program === 'curl' ? /^(--key|--cert|-E|--cacert)$/ : null;
  if (identity === null) return args;
  return args.filter((arg, index) => !(index > 0 && identity.test(args[index - 1]!.value ?? '')) && !/^-oIdentityFile=/i.test(arg.value ?? ''));
}

function stdinCarriesSecrets(stdin: StdinSource, isSecretFile: (field: Field) => boolean): boolean {
  switch (stdin.kind) {
    case 'none':
      return false;
    case 'pipe':
      return stdin.upstream.some((fact) => fact.emitsSecrets);
    case 'text':
      return stdin.tainted;
    case 'file':
      return argumentsCarrySecrets([stdin.path], isSecretFile);
  }
}

/** `env A=1 B=2 cmd`: the assignments a wrapper passes to the command. */
function wrapperAssignments(walker: Walker, frame: Frame, words: readonly Field[], env: ReadonlyMap<string, VarValue>): ReadonlyMap<string, VarValue> {
  const found = words.filter((field) => field.value !== null && isAssignment(field.value));
  if (found.length === 0) return env;
  const merged = new Map(env);
  for (const field of found) {
    const equals = field.value!.indexOf('=');
    const name = field.value!.slice(0, equals).replace(/\+$/, '');
    const value = { values: [field.value!.slice(equals + 1)], tainted: field.tainted, remote: field.remote };
    checkAssignment(walker, frame, name, value);
    merged.set(name, { ...value, exported: true });
  }
  return merged;
}

/** What xargs appends (or puts in place of `-I {}`): paths from `find -print0 | xargs -0`, else unknown words. */
function withInput(args: readonly Field[], input: NonNullable<Unwrapped['input']>, stdin: StdinSource): Field[] {
  const items = inputItems(input.nullSeparated, stdin);
  if (input.replace !== null) return args.flatMap((arg) => items.map((item) => substitute(arg, input.replace!, item)));
  return [...args, ...items];
}

function inputItems(nullSeparated: boolean, stdin: StdinSource): Field[] {
  const upstream = stdin.kind === 'pipe' ? stdin.upstream : [];
  const flags = { tainted: upstream.some((fact) => fact.emitsSecrets), remote: upstream.some((fact) => DOWNLOADERS.has(fact.program)) };
  const source = upstream.at(-1);
  // Without NUL separation a file name with spaces (`a ..`) becomes several words: nothing is known then.
  if (!nullSeparated || source === undefined) return [unknownField('<words read by xargs>', flags)];
  if (source.program === 'find' && printsNullSeparated(source.args)) return findItems(source.args);
  if (source.program === 'git' && source.args[0]?.value === 'ls-files' && source.args.some((arg) => arg.value === '-z') && source.cwd !== null) {
    // `git ls-files -z '*.snap'`: a single pathspec without a directory filters every result.
    const specs = source.args.slice(1).filter((arg) => arg.value === null || !arg.value.startsWith('-'));
    const only = specs.length === 1 && specs[0]!.value !== null && !specs[0]!.value.includes('/') ? `/${specs[0]!.value}` : '';
    return [{ ...unknownField('<git ls-files>'), value: `${source.cwd}/**${only}`, glob: true }];
  }
  return [unknownField('<words read by xargs>', flags)];
}

/** Files a downloader writes (`curl -o f`, `wget url`, `curl url > f`) and files holding secrets (`env > e`). */
function recordOutputs(fact: CommandFact, state: ShellState, written: readonly Field[]): void {
  const resolve = (field: Field): string | null => (field.value === null ? null : resolvePath(field.value, fact.cwd));
  if (fact.emitsSecrets) for (const field of written) { const at = resolve(field); if (at) state.secretFiles.add(at); }
  // A clone is downloaded code too; archives unpacked from a download land under unknown names.
  if (fact.program === 'git' && fact.args.some((arg) => arg.value === 'clone')) {
    for (const field of cloneTargets(fact.args)) { const at = resolve(field); if (at) state.downloads.add(at); else state.unknownDownload = true; }
  }
  if (/^(tar|unzip|bsdtar|7z)$/.test(fact.program) && fact.stdin.kind === 'pipe' && fact.stdin.upstream.some((up) => DOWNLOADERS.has(up.program))) state.unknownDownload = true;
  if (!DOWNLOADERS.has(fact.program)) return;
  const outputs = [...written, ...downloadTargets(fact)];
  for (const field of outputs) {
    const at = resolve(field);
    if (at === null) state.unknownDownload = true;
    else if (field.value !== '-' && field.value !== '/dev/stdout' && field.value !== '/dev/null') state.downloads.add(at);
  }
}

/** `git clone url [dir]`: the directory it creates. */
function cloneTargets(args: readonly Field[]): Field[] {
  const positionals = args.filter((arg) => arg.value === null || !arg.value.startsWith('-'));
  const at = positionals.findIndex((arg) => arg.value === 'clone');
  const url = positionals[at + 1];
  const dir = positionals[at + 2];
  if (dir) return [dir];
  const name = url?.value ? basename(url.value.replace(/\.git\/?$/, '')) : null;
  return name ? [{ ...url!, value: name }] : [unknownField('<clone>')];
}

function valueOf(assignment: ShAssignment, context: ExpandContext): Omit<VarValue, 'exported'> {
  if (assignment.value === null || assignment.indexed || assignment.append) return { values: null, tainted: false, remote: false };
  return expandValue(assignment.value, context);
}

function assign(walker: Walker, frame: Frame, assignment: ShAssignment, context: ExpandContext): void {
  const value = valueOf(assignment, context);
  checkAssignment(walker, frame, assignment.name, value);
  frame.state.set(assignment.name, value);
}

function assignmentWords(assignment: ShAssignment): ShWord[] {
  return [...(assignment.value ? [assignment.value] : []), ...assignment.elements];
}

/** Variables `${X:=…}` and `$((X=…))` assign as a side effect (their new value is not followed: unknown). */
function defaultAssignments(words: readonly ShWord[]): string[] {
  const names: string[] = [];
  const visit = (parts: readonly ShPart[]): void => {
    for (const part of parts) {
      if (part.type === 'param' && (part as ShParameter).op === 'assign') names.push(part.name);
      if (part.type === 'param' && part.operand) visit(part.operand.parts);
      if (part.type === 'arith') names.push(...part.assigns);
    }
  };
  for (const word of words) visit(word.parts);
  return names;
}

