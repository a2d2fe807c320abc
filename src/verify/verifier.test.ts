import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testShell } from '../../test/helpers/shell.js';
import { EnvironmentConfig } from '../config/schema.js';
import { MemoryAuditLog } from '../shell/audit-log.js';
import { CommandDenied, type GuardedShell } from '../shell/guarded-shell.js';
import { verificationStamp, verifyEnvironment, writeVerificationReport, type VerificationReport } from './verifier.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/health') response.writeHead(200).end('ok');
    else if (request.url === '/api/vehicles') response.writeHead(200).end('[{"id":"truck-1"}]');
    else response.writeHead(500).end('boom');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let dir: string;
let audit: MemoryAuditLog;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleet-verify-'));
  audit = new MemoryAuditLog();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function shell(dryRun = false): GuardedShell {
  return testShell(dir, { audit, dryRun }).shell;
}

const noSleep = async () => {};
const now = () => new Date('2026-03-04T05:06:07.890Z');

describe('verifyEnvironment', () => {
  it('passes when the health endpoint, the endpoints and the smoke tests all pass', async () => {
    const environment = EnvironmentConfig.parse({
      health_endpoint: `${base}/health`,
      verification_endpoints: [{ url: `${base}/api/vehicles`, expect_body_contains: 'truck-1', timeout: 2 }],
      smoke_tests: ['test "$(echo fleet)" = fleet'],
    });
    const report = await verifyEnvironment('staging', environment, { shell: shell(true), cwd: dir, sleep: noSleep, now });
    expect(report).toMatchObject({ environment: 'staging', startedAt: '2026-03-04T05:06:07.890Z', passed: true });
    expect(report.checks.map((check) => [check.kind, check.target, check.status, check.passed])).toEqual([
      ['http', `GET ${base}/health`, 200, true],
      ['http', `GET ${base}/api/vehicles`, 200, true],
      ['smoke', 'test "$(echo fleet)" = fleet', 0, true],
    ]);
    // Smoke tests read only, so they run even in dry-run mode, as the verifier's own actor.
    expect(audit.entries).toMatchObject([{ actor: 'verifier:smoke', verdict: 'allowed', exitCode: 0 }]);
  });

  it('fails, but runs every check, when some fail', async () => {
    const environment = EnvironmentConfig.parse({
      health_endpoint: `${base}/broken`,
      verification_endpoints: [{ url: `${base}/api/vehicles`, retries: 0 }],
      smoke_tests: ['echo "checking fleet"; echo "vehicle count 0" >&2; exit 3', 'true'],
    });
    const report = await verifyEnvironment('staging', environment, { shell: shell(), cwd: dir, sleep: noSleep, now });
    expect(report.passed).toBe(false);
    expect(report.checks.map((check) => [check.passed, check.attempts, check.error])).toEqual([
      [false, 4, 'expected status 200, got 500'],
      [true, 1, null],
      [false, 1, 'exit code 3: vehicle count 0'],
      [true, 1, null],
    ]);
    expect(report.checks[2]).toMatchObject({ kind: 'smoke', status: 3 });
  });

  it('a forbidden smoke test is a safety stop', async () => {
    const environment = EnvironmentConfig.parse({ smoke_tests: ['rm -r -f /'] });
    await expect(verifyEnvironment('staging', environment, { shell: shell(), cwd: dir })).rejects.toBeInstanceOf(
      CommandDenied,
    );
    expect(audit.entries).toMatchObject([{ actor: 'verifier:smoke', verdict: 'denied' }]);
  });

  it('stops when the run is interrupted and does not call it a pass', async () => {
    const controller = new AbortController();
    controller.abort('SIGINT');
    const environment = EnvironmentConfig.parse({ health_endpoint: `${base}/health`, smoke_tests: ['true'] });
    const report = await verifyEnvironment('staging', environment, { shell: shell(), cwd: dir, signal: controller.signal });
    expect(report.passed).toBe(false);
    expect(report.checks).toEqual([]);
    expect(audit.entries).toEqual([]);
  });
});

describe('writeVerificationReport', () => {
  const report: VerificationReport = {
    environment: 'staging',
    startedAt: '2026-03-04T05:06:07.890Z',
    passed: true,
    checks: [{ target: 'GET http://x/health', kind: 'http', status: 200, latencyMs: 3, attempts: 1, passed: true, error: null }],
  };

  it('writes logs/verification_<YYYYMMDD_HHMMSS>.json (UTC) and never overwrites one', async () => {
    const logDir = join(dir, 'logs');
    const first = await writeVerificationReport(report, logDir, now());
    const second = await writeVerificationReport({ ...report, passed: false }, logDir, now());
    expect(first).toBe(join(logDir, 'verification_20260304_050607.json'));
    expect(second).toBe(join(logDir, 'verification_20260304_050607_2.json'));
    expect(JSON.parse(readFileSync(first, 'utf8'))).toEqual(report);
    expect(JSON.parse(readFileSync(second, 'utf8')).passed).toBe(false);
    expect(readdirSync(logDir).sort()).toEqual(['verification_20260304_050607.json', 'verification_20260304_050607_2.json']);
  });

  it('stamps in UTC whatever the local zone', () => {
    expect(verificationStamp(new Date('2026-12-31T23:59:58.000Z'))).toBe('20261231_235958');
  });
});
