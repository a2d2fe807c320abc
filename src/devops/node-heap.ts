import type { ShellResult } from '../shell/types.js';
import { InvalidActionInput, type DevopsAction } from './action-types.js';

/** raise-node-heap: re-run an out-of-memory gate with a larger V8 heap, stepping up to a cap. */

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
  summary: 'Re-run an out-of-memory gate with NODE_OPTIONS=--max-old-space-size=<n>, stepping up to a cap; report the value that worked.',
  answers: ['oom'],
  signals: ['JavaScript heap out of memory', 'Reached heap limit', 'SIGABRT of a node process'],
  preconditions: ['the gate is a Node.js process (NODE_OPTIONS reaches it)', 'start ≤ cap, whole MB'],
  mutates: false,
  environments: 'any',
  describe(input) {
    return heapSteps(input).map((mb) => `NODE_OPTIONS="$NODE_OPTIONS --max-old-space-size=${mb}" ${input.command}`);
  },
  // The heap travels in the request's environment, so the shell runs exactly the gate's own command.
  allowedCommands: (input) => [input.command],
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
