import path from 'node:path';
import { judgeBuiltins } from './builtin-rules.js';
import { compileEntry, type CompiledEntry } from './command-entries.js';
import { isScriptCarrier, shapeOf } from './command-shape.js';
import type { CommandFact } from './facts.js';
import { describeFields } from './fields.js';
import { allowedShapeMatches, matchesForbidden } from './forbidden-match.js';
import { parseShell } from './parse.js';
import { analyzeScript } from './walker.js';

/**
 * The command policy: may this command line run? Pure and synchronous; the guarded shell calls it before
 * anything is spawned. The line is parsed (unbash, behind parse.ts), walked with its variables and working
 * directory tracked, and every command it would run is judged: built-in rules first (no configuration can
 * switch them off), then what the walk could not see (fail closed), then `safety.forbidden_commands`, then —
 * when set — the `safety.allowed_commands` allow-list.
 */
export interface PolicyDecision {
  readonly allowed: boolean;
  /** `builtin:<id>`, `unparseable:<why>`, `forbidden:<entry>`, `allowlist:not-listed`; null when allowed. */
  readonly rule: string | null;
  /** One line for the user; null when allowed. */
  readonly reason: string | null;
}

export interface PolicyOptions {
  /** "Outside the repository" means outside this directory. */
  readonly repoRoot: string;
  readonly forbiddenCommands: readonly string[];
  /** Allow-list mode (`safety.allowed_commands`): when set, only commands matching an entry (or inert shell builtins) may run. */
  readonly allowedCommands?: readonly string[] | null;
  /** The commands a DevOps action declared: when set, only those may run, and `allowedCommands` must allow them too. */
  readonly declaredCommands?: DeclaredCommands | null;
  /** Protected branches besides main and master. */
  readonly protectedBranches?: readonly string[];
  /** The directory the command runs in; default repoRoot. */
  readonly cwd?: string;
  /** The home directory of the user running commands, when known (`~`, `$HOME`). */
  readonly home?: string | null;
}

export interface DeclaredCommands {
  /** Who declared them (a DevOps action's id), for the denial. */
  readonly by: string;
  readonly commands: readonly string[];
}

/** Signature of a policy, for callers that want to inject another one. */
export type CommandJudge = (command: string, options: PolicyOptions) => PolicyDecision;

export const MAX_COMMAND_BYTES = 64 * 1024;
export const DEFAULT_PROTECTED_BRANCHES = ['main', 'master'] as const;

/** Always allowed in allow-list mode: they only change the shell's own state or print. */
const INERT_BUILTINS = new Set(['true', 'false', ':', 'echo', 'printf', 'test', '[', 'pwd', 'cd', 'set', 'shift', 'exit', 'return', 'wait', 'sleep', 'export', 'readonly', 'declare', 'local', 'unset']);

const ALLOWED: PolicyDecision = { allowed: true, rule: null, reason: null };

export function judgeCommand(command: string, options: PolicyOptions): PolicyDecision {
  if (Buffer.byteLength(command, 'utf8') > MAX_COMMAND_BYTES) return deny('unparseable:too-long', `the command is longer than ${MAX_COMMAND_BYTES} bytes`);
  if (command.includes('\0')) return deny('unparseable:nul-byte', 'the command contains a NUL byte');
  const parsed = parseShell(command);
  if (!parsed.ok) return deny(`unparseable:${parsed.why}`, `the command cannot be parsed safely: ${parsed.reason}`);
  const repoRoot = path.posix.resolve(options.repoRoot);
  const cwd = path.posix.resolve(repoRoot, options.cwd ?? repoRoot);
  const home = options.home ? path.posix.resolve(options.home) : null;
  const analysis = analyzeScript(parsed.script, { cwd, home });
  const protectedBranches = [...new Set([...DEFAULT_PROTECTED_BRANCHES, ...(options.protectedBranches ?? [])])];
  const builtin = judgeBuiltins(analysis, { repoRoot, home, protectedBranches });
  if (builtin) return deny(builtin.rule, builtin.reason);
  const shapes = analysis.commands.map(shapeOf);
  for (const entry of compileAll(options.forbiddenCommands, repoRoot)) {
    if (!entry.ok) return deny(`forbidden:${entry.entry}`, `safety.forbidden_commands entry "${entry.entry}" cannot be used (${entry.reason}): fix the configuration`);
    if (matchesForbidden(entry.shapes, shapes)) return deny(`forbidden:${entry.entry}`, `matches forbidden command "${entry.entry}"`);
  }
  const declared = options.declaredCommands;
  if (declared) {
    const list: AllowList = {
      name: `the commands ${declared.by} declares`,
      rule: 'action',
      invalid: (entry, why) => `${declared.by} declares "${entry}", which cannot be allow-listed (${why})`,
    };
    const decision = judgeAllowList(analysis.commands, compileAll(declared.commands, repoRoot), list);
    if (!decision.allowed) return decision;
  }
  if (options.allowedCommands !== null && options.allowedCommands !== undefined) {
    return judgeAllowList(analysis.commands, compileAll(options.allowedCommands, repoRoot), CONFIGURED_ALLOW_LIST);
  }
  return ALLOWED;
}

/** An allow-list as its denials name it: `<rule>:not-listed` (`"…" is not in <name>`), `<rule>:invalid-entry`. */
interface AllowList {
  readonly name: string;
  readonly rule: string;
  readonly invalid: (entry: string, why: string) => string;
}

const CONFIGURED_ALLOW_LIST: AllowList = {
  name: 'safety.allowed_commands',
  rule: 'allowlist',
  invalid: (entry, why) => `safety.allowed_commands entry "${entry}" cannot be used (${why}): fix the configuration`,
};

function judgeAllowList(commands: readonly CommandFact[], entries: readonly CompiledEntry[], list: AllowList): PolicyDecision {
  const invalid = entries.find((entry) => !entry.ok);
  if (invalid) return deny(`${list.rule}:invalid-entry`, list.invalid(invalid.entry, invalid.ok ? '' : invalid.reason));
  const usable = entries.flatMap((entry) => (entry.ok ? entry.shapes.map((shape) => ({ entry: entry.entry, shape })) : []));
  for (const fact of commands) {
    if (isScriptCarrier(fact) || (INERT_BUILTINS.has(fact.program) && fact.wrappers.length === 0)) continue;
    const shape = shapeOf(fact);
    if (!usable.some(({ shape: wanted }) => allowedShapeMatches(wanted, shape))) {
      const shown = `${fact.programPath} ${describeFields(fact.args)}`.trim().slice(0, 160);
      return deny(`${list.rule}:not-listed`, `"${shown}" is not in ${list.name}`);
    }
  }
  return ALLOWED;
}

function compileAll(entries: readonly string[], repoRoot: string): CompiledEntry[] {
  return entries.filter((entry) => entry.trim() !== '').map((entry) => compileEntry(entry, repoRoot));
}

function deny(rule: string, reason: string): PolicyDecision {
  return { allowed: false, rule, reason };
}
