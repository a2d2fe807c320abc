import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureCommand, testShell } from '../../test/helpers/shell.js';
import type { GateConfig } from '../config/schema.js';
import type { MemoryAuditLog } from '../shell/audit-log.js';
import { CommandDenied, type GuardedShell } from '../shell/guarded-shell.js';
import { isProcessRunning } from '../shell/process-table.js';
import { gateStatus, runGates } from './run-gates.js';
import type { GateResult } from './types.js';

const gate = (command: string, extra: Partial<GateConfig> = {}): GateConfig => ({ command, timeout: 20, required: true, ...extra });

let dir: string;
let audit: MemoryAuditLog;
let shell: GuardedShell;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-gates-'));
  ({ shell, audit } = testShell(dir));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runGates', () => {
  it('runs every gate in config order, a red one does not skip the others', async () => {
    const events: string[] = [];
    const startedCommands: string[] = [];
    const gates = {
      install: gate(fixtureCommand('exit-with.mjs', '0', 'installed')),
      lint: gate(fixtureCommand('exit-with.mjs', '2', 'src/a.ts:1:1 error'), { required: true }),
      audit: gate(fixtureCommand('exit-with.mjs', '1', 'advisory'), { required: false }),
      build: gate('echo built'),
    };
    const results = await runGates(shell, gates, {
      cwd: dir,
      hooks: {
        onGateStart: (name, command) => {
          events.push(`start ${name}`);
          startedCommands.push(command);
        },
        onGateEnd: (result) => events.push(`end ${result.name} ${result.status}`),
      },
    });
    expect(results.map((result) => [result.name, result.status, result.exitCode, result.required])).toEqual([
      ['install', 'passed', 0, true],
      ['lint', 'failed', 2, true],
      ['audit', 'failed', 1, false],
      ['build', 'passed', 0, true],
    ]);
    expect(results[1]!.output).toBe('src/a.ts:1:1 error\n');
    expect(results[3]).toMatchObject({ command: 'echo built', output: 'built\n', outputTruncated: false, signal: null, outputLogPath: null });
    expect(events).toEqual([
      'start install', 'end install passed',
      'start lint', 'end lint failed',
      'start audit', 'end audit failed',
      'start build', 'end build passed',
    ]);
    expect(startedCommands).toEqual(Object.values(gates).map((config) => config.command));
    expect(audit.entries.map((entry) => entry.actor)).toEqual(['gate:install', 'gate:lint', 'gate:audit', 'gate:build']);
  });

  it('keeps each gate run\'s whole output in <logDir>/gates/run-<id>-<gate>-<n>.log, n counting the runs', async () => {
    const logDir = path.join(dir, 'logs');
    const gates = { lint: gate('echo clean'), 'unit tests': gate(fixtureCommand('exit-with.mjs', '1', 'boom')) };
    const outputLogs = { logDir, runId: '20260101_000000' };
    const first = await runGates(shell, gates, { cwd: dir, outputLogs });
    const second = await runGates(shell, gates, { cwd: dir, outputLogs });
    const names = (results: GateResult[]) => results.map((result) => path.relative(logDir, result.outputLogPath ?? ''));
    expect(names(first)).toEqual([
      path.join('gates', 'run-20260101_000000-lint-1.log'),
      path.join('gates', 'run-20260101_000000-unit_tests-1.log'),
    ]);
    expect(names(second)).toEqual([
      path.join('gates', 'run-20260101_000000-lint-2.log'),
      path.join('gates', 'run-20260101_000000-unit_tests-2.log'),
    ]);
    expect(await readFile(first[1]!.outputLogPath!, 'utf8')).toBe('boom\n');
    expect(await readFile(second[0]!.outputLogPath!, 'utf8')).toBe('clean\n');
  });

  it('still runs a gate when its log cannot be written', async () => {
    await writeFile(path.join(dir, 'not-a-folder'), 'x');
    const [result] = await runGates(shell, { lint: gate('echo ok') }, { cwd: dir, outputLogs: { logDir: path.join(dir, 'not-a-folder'), runId: '1' } });
    expect(result).toMatchObject({ status: 'passed', output: 'ok\n', outputLogPath: null });
  });

  it('marks a gate killed by its timeout as timed_out, grandchild and all, within seconds', async () => {
    const started = Date.now();
    const [result] = await runGates(shell, { slow: gate('sleep 30 & echo "grandchild=$!"; wait', { timeout: 1 }) }, { cwd: dir });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(result).toMatchObject({ name: 'slow', status: 'timed_out', exitCode: null, signal: 'SIGTERM' });
    expect(result!.durationMs).toBeGreaterThanOrEqual(900);
    const grandchild = Number(/grandchild=(\d+)/.exec(result!.output)?.[1]);
    expect(grandchild).toBeGreaterThan(0);
    expect(isProcessRunning(grandchild)).toBe(false);
  });

  it('treats a fractional timeout as seconds', async () => {
    const started = Date.now();
    const [result] = await runGates(shell, { quick: gate(fixtureCommand('sleep-forever.mjs'), { timeout: 0.5 }) }, { cwd: dir });
    expect(result!.status).toBe('timed_out');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stops at an abort and returns what ran, the interrupted gate included', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    setTimeout(() => controller.abort(), 400);
    const results = await runGates(
      shell,
      { first: gate('true'), second: gate(fixtureCommand('sleep-forever.mjs')), third: gate('true') },
      { cwd: dir, signal: controller.signal, hooks: { onGateStart: (name) => started.push(name) } },
    );
    expect(results.map((result) => [result.name, result.status])).toEqual([
      ['first', 'passed'],
      ['second', 'failed'],
    ]);
    expect(started).toEqual(['first', 'second']);
  });

  it('runs nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await runGates(shell, { only: gate('true') }, { cwd: dir, signal: controller.signal })).toEqual([]);
    expect(audit.entries).toEqual([]);
  });

  it('lets CommandDenied propagate for a forbidden gate command', async () => {
    const ended: string[] = [];
    const attempt = runGates(
      shell,
      { ok: gate('true'), evil: gate('rm -rf /'), after: gate('true') },
      { cwd: dir, hooks: { onGateEnd: (result) => ended.push(result.name) } },
    );
    await expect(attempt).rejects.toBeInstanceOf(CommandDenied);
    expect(ended).toEqual(['ok']);
    expect(audit.entries.map((entry) => [entry.actor, entry.verdict])).toEqual([
      ['gate:ok', 'allowed'],
      ['gate:evil', 'denied'],
    ]);
  });
});

describe('gateStatus', () => {
  it.each([
    [{ timedOut: false, exitCode: 0 }, 'passed'],
    [{ timedOut: false, exitCode: 1 }, 'failed'],
    [{ timedOut: false, exitCode: null }, 'failed'],
    [{ timedOut: true, exitCode: null }, 'timed_out'],
    [{ timedOut: true, exitCode: 0 }, 'timed_out'],
  ] as const)('%j → %s', (result, status) => {
    expect(gateStatus(result)).toBe(status satisfies GateResult['status']);
  });
});
