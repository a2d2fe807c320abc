import { BUILTIN_RULES } from './builtin-rules.js';
import { analyzeCommandLine } from './effective-commands.js';
import { compileForbiddenEntry, matchesForbidden, type ForbiddenPattern } from './forbidden-match.js';

/**
 * The command policy: may this command line run? Pure and synchronous; the guarded shell calls it before
 * anything is spawned. Everything behind `judgeCommand` (parser, rules, matching) can be replaced without
 * touching its callers.
 */
export interface PolicyDecision {
  readonly allowed: boolean;
  /** `forbidden:<entry>`, `builtin:<id>`, `unparseable`, `too-long`; null when allowed. */
  readonly rule: string | null;
  /** One line for the user; null when allowed. */
  readonly reason: string | null;
}

export interface PolicyOptions {
  /** Relative paths in commands are resolved from here when compared with forbidden entries. */
  readonly repoRoot: string;
  readonly forbiddenCommands: readonly string[];
}

/** Signature of a policy, for callers that want to inject another one. */
export type CommandJudge = (command: string, options: PolicyOptions) => PolicyDecision;

export const MAX_COMMAND_BYTES = 64 * 1024;

const ALLOWED: PolicyDecision = { allowed: true, rule: null, reason: null };

export function judgeCommand(command: string, options: PolicyOptions): PolicyDecision {
  if (Buffer.byteLength(command, 'utf8') > MAX_COMMAND_BYTES) {
    return deny('too-long', `the command is longer than ${MAX_COMMAND_BYTES} bytes`);
  }
  if (command.includes('\0')) return deny('unparseable', 'the command contains a NUL byte');
  const analyzed = analyzeCommandLine(command);
  if (!analyzed.ok) return deny('unparseable', `the command cannot be parsed safely (${analyzed.reason})`);
  const { analysis } = analyzed;
  for (const rule of BUILTIN_RULES) {
    if (rule.matches(analysis)) return deny(`builtin:${rule.id}`, rule.reason);
  }
  for (const pattern of compilePatterns(options.forbiddenCommands)) {
    if (matchesForbidden(pattern, command, analysis.commands, options.repoRoot)) {
      return deny(`forbidden:${pattern.entry}`, `matches forbidden command "${pattern.entry}"`);
    }
  }
  return ALLOWED;
}

function deny(rule: string, reason: string): PolicyDecision {
  return { allowed: false, rule, reason };
}

function compilePatterns(entries: readonly string[]): ForbiddenPattern[] {
  return entries.filter((entry) => entry.trim() !== '').map(compileForbiddenEntry);
}
