import type { SafetyConfig } from '../config/schema.js';
import type { Redactor } from '../secrets/redact.js';
import { GuardedShell } from './guarded-shell.js';
import type { AuditSink } from './types.js';

/** The guarded shell as `safety:` in config.yaml sets it up, for a working directory. */
export function shellFromConfig(
  safety: SafetyConfig,
  options: { repoRoot: string; redactor: Redactor; audit: AuditSink; dryRun: boolean; env: NodeJS.ProcessEnv },
): GuardedShell {
  return new GuardedShell({
    ...options,
    forbiddenCommands: safety.forbidden_commands,
    passEnv: safety.pass_env,
    protectedBranches: safety.protected_branches,
  });
}
