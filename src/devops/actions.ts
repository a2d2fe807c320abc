import type { FailureClass } from '../analysis/types.js';
import { FleetError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { GuardedShell } from '../shell/guarded-shell.js';
import type { ShellResult } from '../shell/types.js';

/*
 * The DevOps agent's catalog: typed, allow-listed remediation actions. Every action builds its commands from
 * validated input (never by pasting free text into a shell line) and runs them through the guarded shell, which
 * prints rather than runs a `mutates: true` request in dry-run mode. Nothing here deletes a resource or touches
 * a secret.
 */

export interface DevopsActionContext {
  shell: GuardedShell;
  cwd: string;
  env: NodeJS.ProcessEnv;
  dryRun: boolean;
  signal?: AbortSignal;
  /** The deployment environment the run targets (`--environment`), if any. */
  environment: string | null;
}

export interface ActionAssessment {
  ok: boolean;
  /** One line for the run report. */
  detail: string;
}

export interface DevopsAction<I, O> {
  id: string;
  /** The failure classes this action can fix; empty for actions the orchestrator invokes by id. */
  answers: readonly FailureClass[];
  mutates: boolean;
  /** The exact commands `run` would execute, for dry-run output and the report. Throws on invalid input. */
  describe(input: I): string[];
  run(input: I, ctx: DevopsActionContext): Promise<O>;
  /** Whether an output means the action did its job, and a one-line account of it. */
  assess(output: O): ActionAssessment;
}

/** Input an action refuses (a name that is not a Kubernetes name, a heap range that makes no sense). */
export class InvalidActionInput extends FleetError {
  constructor(action: string, message: string) {
    super('devops-input', `${action}: ${message}`, ExitCode.Usage);
  }
}

// ---------------------------------------------------------------------------------------------- raise-node-heap

export interface RaiseNodeHeapInput {
  gateName: string;
  command: string;
  timeoutMs: number;
  startMb?: number;
  capMb?: number;
  stepMb?: number;
}

export type HeapAttemptStatus = 'passed' | 'oom' | 'failed' | 'timed_out' | 'canceled' | 'denied' | 'not-run';

export interface HeapAttempt {
  mb: number;
  exitCode: number | null;
  status: HeapAttemptStatus;
}

export interface RaiseNodeHeapOutput {
  succeededWithMb: number | null;
  attempts: HeapAttempt[];
}

/** V8's own last words when the old space is exhausted (node >= 12), in the tail the shell keeps. */
const OUT_OF_MEMORY =
  /JavaScript heap out of memory|Reached heap limit|Ineffective mark-compacts near heap limit|Allocation failed - process out of memory/i;

export function isOutOfMemory(result: ShellResult): boolean {
  return OUT_OF_MEMORY.test(result.output) || result.signal === 'SIGABRT';
}

/** 4096, 6144, 8192 for the defaults; the cap is always the last step even when the step does not divide it. */
export function heapSteps(input: RaiseNodeHeapInput): number[] {
  const start = input.startMb ?? 4096;
  const cap = input.capMb ?? 8192;
  const step = input.stepMb ?? 2048;
  for (const [name, value] of [['startMb', start], ['capMb', cap], ['stepMb', step]] as const) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new InvalidActionInput('raise-node-heap', `${name} must be a positive whole number of MB, got ${value}`);
    }
  }
  if (start > cap) throw new InvalidActionInput('raise-node-heap', `startMb ${start} is above capMb ${cap}`);
  const steps: number[] = [];
  for (let mb = start; mb < cap; mb += step) steps.push(mb);
  steps.push(cap);
  return steps;
}

/** Appends the heap flag to the options the project already uses; for V8 flags the last occurrence wins. */
export function withHeapOption(existing: string | undefined, mb: number): string {
  const flag = `--max-old-space-size=${mb}`;
  const kept = existing?.trim() ?? '';
  return kept === '' ? flag : `${kept} ${flag}`;
}

function heapAttemptStatus(result: ShellResult): HeapAttemptStatus {
  if (result.verdict === 'denied') return 'denied';
  if (result.verdict === 'dry-run') return 'not-run';
  if (result.canceled) return 'canceled';
  if (result.timedOut) return 'timed_out';
  if (result.exitCode === 0) return 'passed';
  return isOutOfMemory(result) ? 'oom' : 'failed';
}

export const raiseNodeHeap: DevopsAction<RaiseNodeHeapInput, RaiseNodeHeapOutput> = {
  id: 'raise-node-heap',
  answers: ['oom'],
  mutates: false,
  describe(input) {
    return heapSteps(input).map((mb) => `NODE_OPTIONS="$NODE_OPTIONS --max-old-space-size=${mb}" ${input.command}`);
  },
  async run(input, ctx) {
    const attempts: HeapAttempt[] = [];
    for (const mb of heapSteps(input)) {
      const result = await ctx.shell.run({
        command: input.command,
        cwd: ctx.cwd,
        actor: 'devops:raise-node-heap',
        timeoutMs: input.timeoutMs,
        env: { NODE_OPTIONS: withHeapOption(ctx.env['NODE_OPTIONS'], mb) },
        mutates: false,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      const status = heapAttemptStatus(result);
      attempts.push({ mb, exitCode: result.exitCode, status });
      if (status === 'passed') return { succeededWithMb: mb, attempts };
      // Only another out-of-memory says more heap could help; anything else ends the climb.
      if (status !== 'oom') break;
    }
    return { succeededWithMb: null, attempts };
  },
  assess(output) {
    const last = output.attempts.at(-1);
    if (output.succeededWithMb !== null) {
      return {
        ok: true,
        detail: `gate passed with --max-old-space-size=${output.succeededWithMb} after ${output.attempts.length} attempt(s)`,
      };
    }
    if (last === undefined) return { ok: false, detail: 'no attempt was made' };
    if (last.status === 'oom') return { ok: false, detail: `still out of memory at the ${last.mb} MB cap` };
    const exit = last.exitCode === null ? '' : ` (exit ${last.exitCode})`;
    return { ok: false, detail: `stopped at ${last.mb} MB: ${last.status}${exit}, not an out-of-memory failure` };
  },
};

// ------------------------------------------------------------------------------------------------ kubectl rollouts

export interface RolloutInput {
  deployment: string;
  namespace: string;
  /** `rollout status` only: how long kubectl waits. Default 300. */
  timeoutSeconds?: number;
}

export interface CommandOutput {
  command: string;
  verdict: ShellResult['verdict'];
  exitCode: number | null;
  timedOut: boolean;
  /** The last lines of the (already redacted) output. */
  tail: string;
}

/** RFC 1123 subdomain (deployment names) and label (namespaces), as the API server validates them. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function rolloutTarget(action: string, input: RolloutInput): { deployment: string; namespace: string } {
  if (input.deployment.length > 253 || !DNS_SUBDOMAIN.test(input.deployment)) {
    throw new InvalidActionInput(action, `"${input.deployment}" is not a valid deployment name`);
  }
  if (input.namespace.length > 63 || !DNS_LABEL.test(input.namespace)) {
    throw new InvalidActionInput(action, `"${input.namespace}" is not a valid namespace`);
  }
  return { deployment: input.deployment, namespace: input.namespace };
}

function statusTimeoutSeconds(input: RolloutInput): number {
  const seconds = input.timeoutSeconds ?? 300;
  if (!Number.isInteger(seconds) || seconds <= 0 || seconds > 3600) {
    throw new InvalidActionInput('rollout-status', `timeoutSeconds must be 1..3600, got ${seconds}`);
  }
  return seconds;
}

function tailOf(output: string, lines = 20): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}

async function runOne(
  ctx: DevopsActionContext,
  request: { command: string; actor: string; timeoutMs: number; mutates: boolean },
): Promise<CommandOutput> {
  const result = await ctx.shell.run({
    ...request,
    cwd: ctx.cwd,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  return {
    command: request.command,
    verdict: result.verdict,
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    tail: tailOf(result.output),
  };
}

function assessCommand(output: CommandOutput): ActionAssessment {
  if (output.verdict === 'dry-run') return { ok: true, detail: `dry run: would run ${output.command}` };
  if (output.verdict === 'denied') return { ok: false, detail: `denied by the shell policy: ${output.command}` };
  if (output.timedOut) return { ok: false, detail: `timed out: ${output.command}` };
  if (output.exitCode === 0) return { ok: true, detail: `ok: ${output.command}` };
  const last = output.tail.split('\n').at(-1) ?? '';
  return { ok: false, detail: `exit ${output.exitCode ?? 'signal'}: ${output.command}${last ? ` — ${last}` : ''}` };
}

function rolloutStatusCommand(input: RolloutInput): string {
  const { deployment, namespace } = rolloutTarget('rollout-status', input);
  return `kubectl rollout status deployment/${deployment} -n ${namespace} --timeout=${statusTimeoutSeconds(input)}s`;
}

function rolloutRestartCommand(input: RolloutInput): string {
  const { deployment, namespace } = rolloutTarget('rollout-restart', input);
  return `kubectl rollout restart deployment/${deployment} -n ${namespace}`;
}

/** Waits for a deployment's rollout to finish; reads only. */
export const rolloutStatus: DevopsAction<RolloutInput, CommandOutput> = {
  id: 'rollout-status',
  answers: [],
  mutates: false,
  describe: (input) => [rolloutStatusCommand(input)],
  run: (input, ctx) =>
    runOne(ctx, {
      command: rolloutStatusCommand(input),
      actor: 'devops:rollout-status',
      // kubectl stops itself at --timeout; the shell's limit is only a backstop.
      timeoutMs: (statusTimeoutSeconds(input) + 30) * 1000,
      mutates: false,
    }),
  assess: assessCommand,
};

/** Restarts a deployment's pods (a new rollout of the same spec); printed, not run, in dry-run mode. */
export const rolloutRestart: DevopsAction<RolloutInput, CommandOutput> = {
  id: 'rollout-restart',
  answers: [],
  mutates: true,
  describe: (input) => [rolloutRestartCommand(input)],
  run: (input, ctx) =>
    runOne(ctx, { command: rolloutRestartCommand(input), actor: 'devops:rollout-restart', timeoutMs: 60_000, mutates: true }),
  assess: assessCommand,
};

// The catalog stores actions without their type parameters; method parameters are bivariant, so this is sound
// for look-up and `describe`, and `runAction` re-types the pair at the call site.
export type AnyDevopsAction = DevopsAction<never, unknown>;

export const DEVOPS_ACTIONS: readonly AnyDevopsAction[] = [raiseNodeHeap, rolloutStatus, rolloutRestart];
