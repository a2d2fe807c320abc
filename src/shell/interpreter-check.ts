import path from 'node:path';
import type { CommandFact, StdinSource } from './facts.js';
import type { Field } from './fields.js';
import { inlineCodeRisk } from './inline-code.js';
import { interpreterOf, programSource, SHELL_NAMES } from './interpreters.js';
import { DOWNLOADERS } from './program-kinds.js';
import type { ShellState, VarValue } from './shell-state.js';
import type { Frame, Walker } from './walker.js';

/**
 * What a shell or interpreter runs: inline shell code is walked; other inline code goes through the
 * inline-code heuristic; a program read from a pipe, a here-document or a download is refused, since the
 * policy cannot see it (or it came from the network).
 */
export function checkInterpreter(walker: Walker, fact: CommandFact, frame: Frame, env: ReadonlyMap<string, VarValue>): void {
  const source = programSource(fact.program, fact.args);
  if (source === null) return;
  const family = interpreterOf(fact.program)!;
  const label = fact.program;
  switch (source.kind) {
    case 'dynamic':
      refuseUnknownProgram(walker, fact.args[source.argIndex]!, label);
      break;
    case 'inline': {
      const code = fact.args[source.argIndex];
      if (code === undefined) break;
      if (SHELL_NAMES.has(family)) {
        // `bash -c 'script' name args…`: name becomes $0, the rest $1 …
        walker.walkEmbedded(code, frame, { label: `${label} -c`, zero: fact.args[source.argIndex + 1], positional: fact.args.slice(source.argIndex + 2), env });
      } else if (code.value === null) refuseUnknownProgram(walker, code, label);
      else checkCode(walker, family, code.value);
      break;
    }
    case 'stdin':
      checkStdinProgram(walker, fact.stdin, label, frame.state, fact.cwd);
      break;
    case 'file': {
      const file = fact.args[source.argIndex];
      if (file !== undefined) checkProgramFile(walker, file, label, fact.stdin, frame.state, fact.cwd);
      break;
    }
  }
  // sed: every expression counts, not only the first one.
  if (family === 'sed') for (const arg of fact.args) if (arg.value !== null && !arg.value.startsWith('-')) checkCode(walker, family, arg.value);
}

function checkCode(walker: Walker, family: string, code: string): void {
  const risk = inlineCodeRisk(family, code);
  if (risk) walker.find('builtin:inline-code', risk);
}

function refuseUnknownProgram(walker: Walker, field: Field, label: string): void {
  if (field.remote) walker.find('builtin:pipe-to-shell', `${label} runs code fetched from the network`);
  else walker.find('unparseable:dynamic-script', `the code ${label} runs (${field.text}) is only known when it runs`);
}

/** A shell or interpreter reading its program from standard input. */
export function checkStdinProgram(walker: Walker, stdin: StdinSource, label: string, state: ShellState, cwd: string | null): void {
  switch (stdin.kind) {
    case 'none':
      return;
    case 'pipe': {
      const fromNetwork = stdin.upstream.some((fact) => DOWNLOADERS.has(fact.program) || fact.remoteHost || fact.args.some((arg) => arg.remote || isDownloaded(arg, state, fact.cwd)));
      if (fromNetwork) walker.find('builtin:pipe-to-shell', `a download is piped into ${label}`);
      else walker.find('unparseable:script-from-pipe', `${label} runs a program read from a pipe, which is only known when it runs`);
      return;
    }
    case 'text':
      walker.find('unparseable:heredoc-to-interpreter', `a here-document or here-string feeds ${label}`);
      return;
    case 'file':
      checkProgramFile(walker, stdin.path, label, { kind: 'none' }, state, cwd);
      return;
  }
}

/** A program file: unknown, a download, a network socket or this shell's own input are refused. */
function checkProgramFile(walker: Walker, file: Field, label: string, stdin: StdinSource, state: ShellState, cwd: string | null): void {
  if (file.value === null) return refuseUnknownProgram(walker, file, label);
  if (/^\/dev\/(stdin|fd\/0)$|^\/proc\/self\/fd\/0$/.test(file.value)) return checkStdinProgram(walker, stdin, label, state, cwd);
  if (/^\/dev\/(tcp|udp)\//.test(file.value)) return walker.find('builtin:pipe-to-shell', `${label} runs a program read from a network socket`);
  if (isDownloaded(file, state, cwd)) walker.find('builtin:pipe-to-shell', `${label} runs ${file.value}, which this command line downloads`);
}

/** A path that a downloader in this line wrote (any local script, when a download's name is not known). */
export function isDownloaded(file: Field, state: ShellState, cwd: string | null): boolean {
  if (file.value === null || file.value.startsWith('-')) return false;
  const resolved = resolvePath(file.value, cwd);
  if (resolved !== null && [...state.downloads].some((download) => resolved === download || resolved.startsWith(`${download}/`))) return true;
  return state.unknownDownload && /^(\.{0,2}\/|[\w.-]+\.(sh|bash|py|pl|rb|js|mjs|ps1)$)/.test(file.value) && !file.value.startsWith('/usr/');
}

export function resolvePath(value: string, cwd: string | null): string | null {
  if (path.posix.isAbsolute(value)) return path.posix.resolve(value);
  return cwd === null ? null : path.posix.resolve(cwd, value);
}
