import type { SafetyConfig } from '../config/schema.js';
import type { Redactor } from '../secrets/redact.js';
import { GuardedShell } from './guarded-shell.js';
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
  /** Allow-list mode (the DevOps executor): only these commands may run. */
  allowedCommands?: readonly string[] | null;
}

/** The guarded shell as `safety:` in config.yaml sets it up, for a working directory. */
export function shellFromConfig(safety: SafetyConfig, options: ShellFromConfigOptions): GuardedShell {
  return new GuardedShell({
    ...options,
    forbiddenCommands: safety.forbidden_commands,
    passEnv: safety.pass_env,
    protectedBranches: safety.protected_branches,
  });
}
