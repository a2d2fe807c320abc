import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { BoundedOutput } from './output-buffer.js';
import { isGroupRunning } from './process-table.js';

/**
 * Runs one program as the leader of its own process group and kills the whole group (children and
 * grandchildren) on timeout, abort or `killAll()`: SIGTERM first, SIGKILL after a grace period. execa 9
 * only signals the direct child, and an orphaned grandchild holding the output pipe would keep the call
 * waiting for as long as it lives (ECOSYSTEM §9), hence `detached: true` and `process.kill(-pgid, …)`.
 */
export interface GroupRunRequest {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** 0 or a non-finite value: no timeout. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly maxOutputBytes: number;
  /** Also gets every chunk of output, stdout and stderr in arrival order (a log file of the whole output). */
  readonly outputSink?: { push(chunk: Uint8Array): void };
}

export interface GroupRunOutcome {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly canceled: boolean;
  /** stdout and stderr in arrival order, bounded; not redacted. */
  readonly output: string;
  readonly outputBytes: number;
  readonly truncated: boolean;
  /** Why the program could not be started (bad cwd, missing binary), else null. */
  readonly startError: string | null;
}

export interface ProcessGroupsOptions {
  /** Between SIGTERM and SIGKILL. */
  readonly killGraceMs: number;
}

/** After the group is gone, how long to wait for the pipes to close before closing them ourselves. */
const PIPE_DRAIN_MS = 500;
/** After SIGKILL, how long to wait for the group to be gone. */
const REAP_WAIT_MS = 2000;
const POLL_MS = 20;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Every live group of every runner in this process, for the exit handler. */
const liveGroups = new Set<number>();
let exitHandlerInstalled = false;

function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  // execa's `cleanup` does not cover detached children: never leave a group behind when Node exits.
  process.once('exit', () => {
    for (const group of liveGroups) signalGroup(group, 'SIGKILL');
  });
}

/** Sends a signal to a whole process group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM the group, SIGKILL it after `graceMs`, resolve when it is gone (or could not be reaped in time). */
export async function terminateGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  if (await waitForGroupExit(pgid, graceMs)) return;
  if (!signalGroup(pgid, 'SIGKILL')) return;
  await waitForGroupExit(pgid, REAP_WAIT_MS);
}

async function waitForGroupExit(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!isGroupRunning(pgid)) return true;
    await delay(POLL_MS);
  }
  return !isGroupRunning(pgid);
}

export class ProcessGroups {
  private readonly groups = new Map<number, () => Promise<void>>();

  constructor(private readonly options: ProcessGroupsOptions) {}

  get liveCount(): number {
    return this.groups.size;
  }

  /** Terminates every group this runner started; resolves when they are gone. */
  async killAll(): Promise<void> {
    await Promise.all([...this.groups.values()].map((stop) => stop()));
  }

  async run(request: GroupRunRequest): Promise<GroupRunOutcome> {
    const output = new BoundedOutput(request.maxOutputBytes);
    if (request.signal?.aborted) return outcome(output, { canceled: true });
    const subprocess = execa(request.file, [...request.args], {
      cwd: request.cwd,
      env: { ...request.env },
      extendEnv: false,
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      detached: true,
      cleanup: false,
      reject: false,
      windowsHide: true,
    });
    const pgid = subprocess.pid;
    const sink = request.outputSink;
    const onData = (chunk: Buffer): void => {
      output.push(chunk);
      sink?.push(chunk);
    };
    subprocess.stdout?.on('data', onData);
    subprocess.stderr?.on('data', onData);

    let timedOut = false;
    let canceled = false;
    let stopping: Promise<void> | null = null;
    const stop = (): Promise<void> => {
      stopping ??= pgid === undefined ? Promise.resolve() : terminateGroup(pgid, this.options.killGraceMs);
      return stopping;
    };
    if (pgid !== undefined) {
      this.groups.set(pgid, stop);
      trackGroup(pgid);
    }
    const timer = timerFor(request.timeoutMs, () => {
      timedOut = true;
      void stop();
    });
    const onAbort = (): void => {
      canceled = true;
      void stop();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });

    const leader: { exit: { code: number | null; signal: string | null } | null; settled: boolean } = { exit: null, settled: false };
    let drainTimer: NodeJS.Timeout | undefined;
    subprocess.once('exit', (code, signal) => {
      leader.exit = { code, signal };
      // The leader is gone: whatever it left running in its group goes too, and a pipe still held open
      // by something that escaped the group must not keep us waiting.
      void stop().then(() => {
        if (leader.settled) return;
        drainTimer = setTimeout(() => {
          subprocess.stdout?.destroy();
          subprocess.stderr?.destroy();
        }, PIPE_DRAIN_MS).unref();
      });
    });

    try {
      const result = await subprocess;
      await stopping;
      const exitCode = leader.exit ? leader.exit.code : (result.exitCode ?? null);
      const signal = leader.exit ? leader.exit.signal : (result.signal ?? null);
      const startError = !leader.exit && exitCode === null && signal === null ? startFailure(result) : null;
      return outcome(output, { exitCode, signal, timedOut, canceled, startError });
    } finally {
      leader.settled = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      request.signal?.removeEventListener('abort', onAbort);
      if (pgid !== undefined) {
        this.groups.delete(pgid);
        liveGroups.delete(pgid);
      }
    }
  }
}

function timerFor(timeoutMs: number, onTimeout: () => void): NodeJS.Timeout | undefined {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) return undefined;
  return setTimeout(onTimeout, Math.min(timeoutMs, MAX_TIMER_MS));
}

function startFailure(result: { originalMessage?: string; shortMessage?: string; message?: string }): string {
  const text = result.originalMessage ?? result.shortMessage ?? result.message ?? 'unknown error';
  return text.split('\n').map((line) => line.trim()).filter(Boolean).join('; ');
}

interface OutcomeFields {
  readonly exitCode?: number | null;
  readonly signal?: string | null;
  readonly timedOut?: boolean;
  readonly canceled?: boolean;
  readonly startError?: string | null;
}

function outcome(output: BoundedOutput, fields: OutcomeFields): GroupRunOutcome {
  const captured = output.finish();
  return {
    exitCode: fields.exitCode ?? null,
    signal: fields.signal ?? null,
    timedOut: fields.timedOut ?? false,
    canceled: fields.canceled ?? false,
    output: captured.text,
    outputBytes: captured.totalBytes,
    truncated: captured.truncated,
    startError: fields.startError ?? null,
  };
}
