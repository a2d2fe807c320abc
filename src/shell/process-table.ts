import { readdirSync, readFileSync } from 'node:fs';

/**
 * Liveness that ignores zombies. A killed grandchild is re-parented to PID 1 and stays in the process table
 * until PID 1 reaps it: seconds on some sandboxes, forever in a container whose PID 1 does not reap (e.g.
 * `node` as PID 1 without `--init`). `kill(pid, 0)` succeeds on such a corpse, so on Linux the state in
 * `/proc/<pid>/stat` decides; elsewhere `kill(…, 0)` is the best available answer.
 */

interface ProcStat {
  readonly state: string;
  readonly processGroup: number;
}

/** `pid (comm) state ppid pgrp …`; comm may contain spaces and parentheses, so parse after the last `)`. */
function readStat(pid: number | string): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', processGroup: Number(fields[2]) };
  } catch {
    return null;
  }
}

const hasProcFs = ((): boolean => {
  try {
    return readStat(process.pid) !== null;
  } catch {
    return false;
  }
})();

function isDeadState(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}

function signalZero(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while the process exists and is not a zombie. */
export function isProcessRunning(pid: number): boolean {
  if (!signalZero(pid)) return false;
  if (!hasProcFs) return true;
  const stat = readStat(pid);
  return stat !== null && !isDeadState(stat.state);
}

/** True while some member of the process group exists and is not a zombie. */
export function isGroupRunning(pgid: number): boolean {
  if (!signalZero(-pgid)) return false;
  if (!hasProcFs) return true;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat && stat.processGroup === pgid && !isDeadState(stat.state)) return true;
  }
  return false;
}
