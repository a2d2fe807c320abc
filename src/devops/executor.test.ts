import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testShell } from '../../test/helpers/shell.js';
import { MemoryAuditLog } from '../shell/audit-log.js';
import { CommandDenied } from '../shell/guarded-shell.js';
import type { DeclaredCommands } from '../shell/policy.js';
import { raiseNodeHeap, rolloutRestart, rolloutStatus, switchBuildAgent } from './actions.js';
import { findAction, planAction, runAction, selectActions, type ExecutorContext } from './executor.js';

/*
 * Real child processes through the real guarded shell.
 * - raise-node-heap re-runs a real node script that dies like V8 does (exit 134, "JavaScript heap out of
 *   memory") unless the heap limit V8 actually applied (v8.getHeapStatistics, so NODE_OPTIONS really reached
 *   node) is at least what the script needs. Nothing allocates gigabytes: V8 reserves, it does not commit.
 * - kubectl is not installable here: a recording fake `kubectl` (a sh script that appends its argv to a file
 *   and exits 0) is put first on PATH in a temp dir.
 */

const OOM_SCRIPT = `
import { appendFileSync } from 'node:fs';
import v8 from 'node:v8';
const [needMb, seenFile] = process.argv.slice(2);
const limitMb = Math.round(v8.getHeapStatistics().heap_size_limit / 1048576);
appendFileSync(seenFile, JSON.stringify({ limitMb, nodeOptions: process.env.NODE_OPTIONS ?? null }) + '\\n');
if (needMb === 'type-error') { console.error('TypeError: cannot read properties of undefined'); process.exit(1); }
if (limitMb < Number(needMb)) {
  console.error('<--- Last few GCs --->');
  console.error('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory');
  process.exit(134);
}
console.log('build ok with ' + limitMb + ' MB');
`;

let dir: string;
let kubectlLog: string;
let seenFile: string;
let audit: MemoryAuditLog;
let allowLists: string[][];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleet-devops-'));
  kubectlLog = join(dir, 'kubectl-calls.log');
  seenFile = join(dir, 'seen.jsonl');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'kubectl'),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${kubectlLog}'\necho "deployment.apps/fleet-api: ok"\nexit 0\n`,
  );
  chmodSync(join(bin, 'kubectl'), 0o755);
  writeFileSync(join(dir, 'fake-build.mjs'), OOM_SCRIPT);
  audit = new MemoryAuditLog();
  allowLists = [];
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The executor context; `allowLists` records the allow-list each action's shell was opened with. */
function context(
  options: { dryRun?: boolean; nodeOptions?: string; forbidden?: string[]; allowed?: string[]; environment?: string | null } = {},
): ExecutorContext {
  const env: NodeJS.ProcessEnv = {
    PATH: `${join(dir, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: dir,
    ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
  };
  const openShell = (declared: DeclaredCommands) => {
    allowLists.push([...declared.commands]);
    return testShell(dir, { audit, env, dryRun: options.dryRun, forbiddenCommands: options.forbidden, allowedCommands: options.allowed, declaredCommands: declared }).shell;
  };
  return { openShell, cwd: dir, env, dryRun: options.dryRun ?? false, environment: options.environment === undefined ? 'staging' : options.environment };
}

function buildInput(needMb: number | 'type-error') {
  return { gateName: 'build', command: `node fake-build.mjs ${needMb} ${seenFile}`, timeoutMs: 20_000 };
}

function seen(): { limitMb: number; nodeOptions: string | null }[] {
  return readFileSync(seenFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
}

describe('raise-node-heap through the guarded shell', () => {
  it('steps the heap up until the gate passes, appending to the project NODE_OPTIONS', async () => {
    const record = await runAction(raiseNodeHeap, buildInput(5000), context({ nodeOptions: '--no-deprecation' }));
    expect(record).toMatchObject({
      id: 'raise-node-heap',
      mutates: false,
      dryRun: false,
      ok: true,
      environment: 'staging',
      detail: 'gate passed with --max-old-space-size=6144 after 2 attempt(s)',
    });
    expect(record.output).toEqual({
      succeededWithMb: 6144,
      attempts: [
        { mb: 4096, exitCode: 134, status: 'oom' },
        { mb: 6144, exitCode: 0, status: 'passed' },
      ],
    });
    expect(record.commands).toHaveLength(3);
    const runs = seen();
    expect(runs.map((run) => run.nodeOptions)).toEqual([
      '--no-deprecation --max-old-space-size=4096',
      '--no-deprecation --max-old-space-size=6144',
    ]);
    expect(runs[0]!.limitMb).toBeGreaterThanOrEqual(4096);
    expect(runs[0]!.limitMb).toBeLessThan(5000);
    expect(audit.entries.map((entry) => entry.actor)).toEqual(['devops:raise-node-heap', 'devops:raise-node-heap']);
  });

  it('gives up at the cap when even the largest heap is not enough', async () => {
    const record = await runAction(raiseNodeHeap, { ...buildInput(100_000), stepMb: 4096 }, context());
    expect(record.ok).toBe(false);
    expect(record.detail).toBe('still out of memory at the 8192 MB cap');
    expect(record.output?.attempts.map((attempt) => [attempt.mb, attempt.status])).toEqual([
      [4096, 'oom'],
      [8192, 'oom'],
    ]);
  });

  it('stops climbing when the failure is not an out-of-memory one', async () => {
    const record = await runAction(raiseNodeHeap, buildInput('type-error'), context());
    expect(record.ok).toBe(false);
    expect(record.output?.attempts).toEqual([{ mb: 4096, exitCode: 1, status: 'failed' }]);
    expect(seen()).toHaveLength(1);
  });

  it('still runs in dry-run mode: re-running a gate changes nothing the user owns', async () => {
    const record = await runAction(raiseNodeHeap, buildInput(1), context({ dryRun: true }));
    expect(record).toMatchObject({ ok: true, dryRun: true });
    expect(seen()).toHaveLength(1);
  });
});

describe('kubectl rollout actions with a recording fake kubectl', () => {
  const target = { deployment: 'fleet-api', namespace: 'staging', timeoutSeconds: 60 };

  it('rollout-status runs kubectl with the exact argv', async () => {
    const record = await runAction(rolloutStatus, target, context());
    expect(record).toMatchObject({
      id: 'rollout-status',
      mutates: false,
      ok: true,
      commands: ['kubectl rollout status deployment/fleet-api -n staging --timeout=60s'],
      detail: 'ok: kubectl rollout status deployment/fleet-api -n staging --timeout=60s',
    });
    expect(record.output?.tail).toBe('deployment.apps/fleet-api: ok');
    expect(readFileSync(kubectlLog, 'utf8')).toBe('rollout status deployment/fleet-api -n staging --timeout=60s\n');
  });

  it('rollout-restart runs for real outside dry-run', async () => {
    const record = await runAction(rolloutRestart, target, context());
    expect(record).toMatchObject({ mutates: true, dryRun: false, ok: true });
    expect(readFileSync(kubectlLog, 'utf8')).toBe('rollout restart deployment/fleet-api -n staging\n');
    expect(audit.entries).toMatchObject([{ actor: 'devops:rollout-restart', verdict: 'allowed', exitCode: 0 }]);
  });

  it('rollout-restart in dry-run is printed, not run', async () => {
    const record = await runAction(rolloutRestart, target, context({ dryRun: true }));
    expect(record).toMatchObject({
      mutates: true,
      dryRun: true,
      ok: true,
      commands: ['kubectl rollout restart deployment/fleet-api -n staging'],
      detail: 'dry run: would run kubectl rollout restart deployment/fleet-api -n staging',
    });
    expect(record.output?.verdict).toBe('dry-run');
    expect(existsSync(kubectlLog)).toBe(false);
    expect(audit.entries).toMatchObject([{ actor: 'devops:rollout-restart', verdict: 'dry-run' }]);
  });

  it('invalid input becomes a failed record and nothing runs', async () => {
    const record = await runAction(rolloutRestart, { deployment: 'x; kubectl delete ns prod', namespace: 'staging' }, context());
    expect(record).toMatchObject({ ok: false, commands: [], output: null });
    expect(record.detail).toBe('rollout-restart: "x; kubectl delete ns prod" is not a valid deployment name');
    expect(existsSync(kubectlLog)).toBe(false);
    expect(audit.entries).toEqual([]);
  });

  it('a command the policy forbids is a safety stop, not a failed record', async () => {
    const run = runAction(rolloutRestart, target, context({ forbidden: ['kubectl rollout restart'] }));
    await expect(run).rejects.toBeInstanceOf(CommandDenied);
    expect(existsSync(kubectlLog)).toBe(false);
  });
});

describe('allow-list mode and where an action may run', () => {
  const target = { deployment: 'fleet-api', namespace: 'staging', timeoutSeconds: 60 };

  it('opens each action a shell that allows exactly its declared commands', async () => {
    await runAction(rolloutStatus, target, context());
    await runAction(raiseNodeHeap, buildInput(1), context());
    expect(allowLists).toEqual([
      ['kubectl rollout status deployment/fleet-api -n staging --timeout=60s'],
      [`node fake-build.mjs 1 ${seenFile}`],
    ]);
  });

  it('an action that runs a command it did not declare is refused by the shell', async () => {
    // Declares a status read, then tries a restart: the allow-list shell denies it (a safety stop, exit 3).
    const rogue: typeof rolloutStatus = { ...rolloutStatus, run: (input, ctx) => rolloutRestart.run(input, ctx) };
    const run = runAction(rogue, target, context());
    await expect(run).rejects.toMatchObject({
      rule: 'action:not-listed',
      message: expect.stringContaining('"kubectl rollout restart deployment/fleet-api -n staging" is not in the commands rollout-status declares'),
    });
    expect(existsSync(kubectlLog)).toBe(false);
  });

  it('safety.allowed_commands narrows what an action declared, never widens it', async () => {
    const narrowed = runAction(rolloutRestart, target, context({ allowed: ['kubectl rollout status'] }));
    await expect(narrowed).rejects.toMatchObject({ rule: 'allowlist:not-listed' });
    expect(existsSync(kubectlLog)).toBe(false);
    // Listing a command in safety.allowed_commands does not let an action run what it did not declare.
    const rogue: typeof rolloutStatus = { ...rolloutStatus, run: (input, ctx) => rolloutRestart.run(input, ctx) };
    const widened = runAction(rogue, target, context({ allowed: ['kubectl rollout'] }));
    await expect(widened).rejects.toMatchObject({ rule: 'action:not-listed' });
    expect(existsSync(kubectlLog)).toBe(false);
    expect(await runAction(rolloutStatus, target, context({ allowed: ['kubectl rollout status'] }))).toMatchObject({ ok: true });
  });

  it('a deployment action without an environment, or with a command that cannot be allow-listed, does not run', async () => {
    const noEnvironment = await runAction(rolloutStatus, target, context({ environment: null }));
    expect(noEnvironment).toMatchObject({ ok: false, ran: false, detail: 'rollout-status runs only against a deployment environment (--environment)' });
    const dynamic = await runAction(raiseNodeHeap, { ...buildInput(1), command: 'node fake-build.mjs $NEED x' }, context());
    expect(dynamic).toMatchObject({ ok: false, ran: false });
    expect(dynamic.detail).toMatch(/^raise-node-heap cannot allow-list "node fake-build.mjs \$NEED x": expected a literal command/);
    expect(allowLists).toEqual([]);
  });

  it('planAction lists the exact commands without running anything', () => {
    const input = { primary: 'az acr build --registry acr1x --image app:1 .', fallback: null, timeoutMs: 1000 };
    expect(planAction(switchBuildAgent, input, context({ dryRun: true }), 'dry run')).toMatchObject({
      id: 'switch-build-agent',
      ran: false,
      ok: true,
      dryRun: true,
      commands: [input.primary],
      detail: `not run (dry run): ${input.primary}`,
    });
    expect(allowLists).toEqual([]);
  });
});

describe('selection', () => {
  it('answers an out-of-memory failure with raise-node-heap, then the image build switch', () => {
    expect(selectActions('oom').map((action) => action.id)).toEqual(['raise-node-heap', 'switch-build-agent']);
    expect(selectActions('lint')).toEqual([]);
    expect(findAction('rollout-restart')).toBe(rolloutRestart);
    expect(findAction('az-group-delete')).toBeNull();
  });
});
