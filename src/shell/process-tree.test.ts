import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGroupRunning, isProcessRunning } from './process-table.js';
import { ProcessGroups, signalGroup, terminateGroup } from './process-tree.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/bin/', import.meta.url));
const run = promisify(execFile);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-tree-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function eventually(check: () => boolean, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

describe('process groups', () => {
  it('kills live groups when the Node process exits (detached children are not covered by execa cleanup)', async () => {
    const pidFile = path.join(dir, 'sleep.pid');
    await run(process.execPath, ['--import', 'tsx', path.join(FIXTURES, 'exit-with-live-group.mjs')], {
      cwd: path.join(FIXTURES, '..', '..', '..'),
      env: { ...process.env, PID_FILE: pidFile },
      timeout: 20_000,
    });
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(pid).toBeGreaterThan(0);
    expect(await eventually(() => !isProcessRunning(pid), 2000)).toBe(true);
  });

  it('reports a group that does not exist as gone, and terminating it is a no-op', async () => {
    const started = Date.now();
    const missing = 2 ** 22 + 12_345;
    expect(signalGroup(missing, 'SIGTERM')).toBe(false);
    expect(isGroupRunning(missing)).toBe(false);
    await terminateGroup(missing, 5000);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('runs a program with its own process group and forgets the group when it ends', async () => {
    const groups = new ProcessGroups({ killGraceMs: 100 });
    const outcome = await groups.run({
      file: 'bash',
      args: ['-c', 'echo "pid=$$ pgid=$(ps -o pgid= -p $$ | tr -d " ")"'],
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '' },
      timeoutMs: 10_000,
      maxOutputBytes: 1000,
    });
    const match = /pid=(\d+) pgid=(\d+)/.exec(outcome.output);
    expect(match?.[1]).toBe(match?.[2]);
    expect(outcome).toMatchObject({ exitCode: 0, signal: null, timedOut: false, canceled: false, startError: null });
    expect(groups.liveCount).toBe(0);
  });
});
