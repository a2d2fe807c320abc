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

describe('the verification report against a real server: each kind of endpoint, field by field', () => {
  let routes: Server;
  let origin: string;
  const hits = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;

  beforeAll(async () => {
    routes = createServer((request, response) => {
      const path = request.url ?? '/';
      const count = (hits.get(path) ?? 0) + 1;
      hits.set(path, count);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Closed when answered or when the client gave up (the slow route's timeout).
      response.on('close', () => {
        inFlight -= 1;
      });
      const send = (status: number, body: string, delayMs = 0) =>
        setTimeout(() => {
          if (!response.destroyed) response.writeHead(status).end(body);
        }, delayMs);
      if (path === '/ok') send(200, '{"status":"healthy"}');
      else if (path === '/error') send(500, 'boom');
      else if (path === '/slow') send(200, 'late', 2000);
      else if (path === '/flaky') send(count <= 2 ? 503 : 200, count <= 2 ? 'warming up' : 'ready');
      else if (path === '/wrong-body') send(200, '{"status":"degraded"}');
      else if (path.startsWith('/latency/')) send(200, 'ok', 40);
      else send(404, 'no such route');
    });
    await new Promise<void>((resolve) => routes.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(routes.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    routes.closeAllConnections();
    await new Promise<void>((resolve) => routes.close(() => resolve()));
  });

  beforeEach(() => {
    hits.clear();
    inFlight = 0;
    maxInFlight = 0;
  });

  it('200, 500, slow past its timeout, flaky passing on retry, wrong body', async () => {
    const environment = EnvironmentConfig.parse({
      health_endpoint: `${origin}/ok`,
      verification_endpoints: [
        { url: `${origin}/error`, retries: 1 },
        { url: `${origin}/slow`, timeout: 0.2, retries: 0 },
        { url: `${origin}/flaky`, retries: 3, expect_body_contains: 'ready' },
        { url: `${origin}/wrong-body`, retries: 0, expect_body_contains: '"healthy"' },
      ],
    });
    const report = await verifyEnvironment('staging', environment, { shell: shell(), cwd: dir, now, backoffBaseMs: 1 });
    const file = await writeVerificationReport(report, join(dir, 'logs'), now());
    const written = JSON.parse(readFileSync(file, 'utf8')) as VerificationReport;
    expect(Object.keys(written)).toEqual(['environment', 'startedAt', 'passed', 'checks']);
    expect(written).toMatchObject({ environment: 'staging', startedAt: '2026-03-04T05:06:07.890Z', passed: false });
    for (const check of written.checks) {
      expect(Object.keys(check)).toEqual(['target', 'kind', 'status', 'latencyMs', 'attempts', 'passed', 'error']);
      expect(check.kind).toBe('http');
      expect(Number.isInteger(check.latencyMs) && check.latencyMs >= 0).toBe(true);
    }
    const fields = written.checks.map(({ target, status, attempts, passed, error }) => ({ target, status, attempts, passed, error }));
    expect(fields).toEqual([
      { target: `GET ${origin}/ok`, status: 200, attempts: 1, passed: true, error: null },
      { target: `GET ${origin}/error`, status: 500, attempts: 2, passed: false, error: 'expected status 200, got 500' },
      { target: `GET ${origin}/slow`, status: null, attempts: 1, passed: false, error: 'no response within 0.2s' },
      { target: `GET ${origin}/flaky`, status: 200, attempts: 3, passed: true, error: null },
      { target: `GET ${origin}/wrong-body`, status: 200, attempts: 1, passed: false, error: 'response body does not contain "\\"healthy\\""' },
    ]);
    // The timeout cut the slow request short: its latency is the timeout, not the server's 2 s.
    expect(written.checks[2]!.latencyMs).toBeLessThan(1500);
    expect(hits.get('/flaky')).toBe(3);
  });

  it('checks endpoints at most `verify_concurrency` at a time and reports them in config order', async () => {
    const endpoints = Array.from({ length: 12 }, (_, index) => ({ url: `${origin}/latency/${index}`, retries: 0 }));
    const environment = EnvironmentConfig.parse({ verification_endpoints: endpoints, verify_concurrency: 3 });
    const report = await verifyEnvironment('staging', environment, { shell: shell(), cwd: dir });
    expect(report.passed).toBe(true);
    expect(report.checks.map((check) => check.target)).toEqual(endpoints.map((endpoint) => `GET ${endpoint.url}`));
    expect(maxInFlight).toBe(3);

    maxInFlight = 0;
    const oneByOne = await verifyEnvironment('staging', environment, { shell: shell(), cwd: dir, concurrency: 1 });
    expect(oneByOne.passed).toBe(true);
    expect(maxInFlight).toBe(1);
  });
});

