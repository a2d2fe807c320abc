import type { FailureClass } from '../analysis/types.js';
import { FleetError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { GuardedShell } from '../shell/guarded-shell.js';
import type { ShellResult } from '../shell/types.js';

/*
 * The shape of a DevOps action. Every action builds its commands from validated input (never by pasting free
 * text into a shell line) and runs them through the guarded shell the executor gives it: allow-list mode with
 * exactly the commands the action declares, the built-in rules (never delete, never set a secret), and the
 * approval rule (nothing mutating on an environment that requires approval without --approve-production).
 */

/** What every run of an action can see; the executor adds the shell. */
export interface ActionEnvironment {
  cwd: string;
  env: NodeJS.ProcessEnv;
  dryRun: boolean;
  signal?: AbortSignal;
  /** The deployment environment the run targets (`--environment`), if any. */
  environment: string | null;
}

export interface DevopsActionContext extends ActionEnvironment {
  /** Allow-list mode: only the commands of `allowedCommands(input)` may run. */
  shell: GuardedShell;
}

export interface ActionAssessment {
  ok: boolean;
  /** One line for the run report. */
  detail: string;
}

/** 'any': runs without a deployment environment; 'deployment': only with `-e <env>`. */
export type ActionScope = 'any' | 'deployment';

export interface DevopsAction<I, O> {
  id: string;
  /** One line: what it does, for the catalog table. */
  summary: string;
  /** The failure classes this action can fix; empty for actions the deploy phase invokes by id. */
  answers: readonly FailureClass[];
  /** What in a failure calls for it (exit codes, messages), for the catalog and the report. */
  signals: readonly string[];
  /** What must hold before it runs; input that breaks one is refused by `describe` (InvalidActionInput). */
  preconditions: readonly string[];
  /** Changes something outside the work tree: printed, not run, in dry-run; refused without approval. */
  mutates: boolean;
  environments: ActionScope;
  /** The exact commands `run` would execute, for dry-run output and the report. Throws on invalid input. */
  describe(input: I): string[];
  /** The allow-list of the shell the action runs in; default: exactly the commands of `describe`. */
  allowedCommands?(input: I): string[];
  run(input: I, ctx: DevopsActionContext): Promise<O>;
  /** Whether an output means the action did its job, and a one-line account of it. */
  assess(output: O): ActionAssessment;
}

// The catalog stores actions without their type parameters; method parameters are bivariant, so this is sound
// for look-up and `describe`, and `runAction` re-types the pair at the call site.
export type AnyDevopsAction = DevopsAction<never, unknown>;

/** Input an action refuses (a name that is not a Kubernetes name, a heap range that makes no sense). */
export class InvalidActionInput extends FleetError {
  constructor(action: string, message: string) {
    super('devops-input', `${action}: ${message}`, ExitCode.Usage);
  }
}

/** One command as an action reports it. */
export interface CommandOutput {
  command: string;
  verdict: ShellResult['verdict'];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Stopped because the run was interrupted. */
  canceled: boolean;
  /** The last lines of the (already redacted) output. */
  tail: string;
}

export function tailOf(output: string, lines = 20): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Runs one command of an action through its shell. */
export async function runCommand(
  ctx: DevopsActionContext,
  request: { command: string; actor: string; timeoutMs: number; mutates: boolean },
): Promise<CommandOutput> {
  return commandOutputOf(request.command, await runRequest(ctx, request));
}

export function runRequest(
  ctx: DevopsActionContext,
  request: { command: string; actor: string; timeoutMs: number; mutates: boolean },
): Promise<ShellResult> {
  return ctx.shell.run({ ...request, cwd: ctx.cwd, ...(ctx.signal ? { signal: ctx.signal } : {}) });
}

export function commandOutputOf(command: string, result: ShellResult): CommandOutput {
  return {
    command,
    verdict: result.verdict,
    exitCode: result.exitCode,
    signal: result.signal,
    timedOut: result.timedOut,
    canceled: result.canceled,
    tail: tailOf(result.output),
  };
}

export function commandSucceeded(output: CommandOutput): boolean {
  return output.verdict === 'dry-run' || (output.verdict === 'allowed' && output.exitCode === 0 && !output.timedOut && !output.canceled);
}

export function assessCommand(output: CommandOutput): ActionAssessment {
  if (output.verdict === 'dry-run') return { ok: true, detail: `dry run: would run ${output.command}` };
  if (output.verdict === 'denied') return { ok: false, detail: `denied by the shell policy: ${output.command}` };
  if (output.canceled) return { ok: false, detail: `canceled: ${output.command}` };
  if (output.timedOut) return { ok: false, detail: `timed out: ${output.command}` };
  if (output.exitCode === 0) return { ok: true, detail: `ok: ${output.command}` };
  const last = output.tail.split('\n').at(-1) ?? '';
  return { ok: false, detail: `exit ${output.exitCode ?? output.signal ?? 'signal'}: ${output.command}${last ? ` — ${last}` : ''}` };
}
