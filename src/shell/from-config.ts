import type { SafetyConfig } from '../config/schema.js';
import type { Redactor } from '../secrets/redact.js';
import { GuardedShell } from './guarded-shell.js';
import type { DeclaredCommands } from './policy.js';
import type { ApprovalState } from './rules/approval.js';
import type { AuditSink } from './types.js';

export interface ShellFromConfigOptions {
  repoRoot: string;
  redactor: Redactor;
  audit: AuditSink;
  dryRun: boolean;
  env: NodeJS.ProcessEnv;
  /** The environment acted on: mutating requests are refused when it requires approval nobody gave. */
  approval?: ApprovalState | null;
  /** The DevOps executor: only the commands the action declared may run, and only those `safety.allowed_commands` allows. */
  declaredCommands?: DeclaredCommands | null;
}

/**
 * The guarded shell as `safety:` in config.yaml sets it up, for a working directory. `safety.allowed_commands`
 * narrows the DevOps agent's shells (those with declared commands); gates, fixers and git run the commands the
 * configuration and the loop chose, which the built-in rules and `safety.forbidden_commands` judge.
 */
export function shellFromConfig(safety: SafetyConfig, options: ShellFromConfigOptions): GuardedShell {
  const devops = options.declaredCommands !== null && options.declaredCommands !== undefined;
  return new GuardedShell({
    ...options,
    allowedCommands: devops ? (safety.allowed_commands ?? null) : null,
    forbiddenCommands: safety.forbidden_commands,
    passEnv: safety.pass_env,
    protectedBranches: safety.protected_branches,
  });
}
