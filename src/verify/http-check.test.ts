import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VerificationEndpoint } from '../config/schema.js';
import { backoffDelayMs, checkHttpEndpoint, reportableUrl } from './http-check.js';

/** A real HTTP server on 127.0.0.1 with one route per behaviour under test. */
let server: Server;
let base: string;
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    const count = (hits.get(path) ?? 0) + 1;
    hits.set(path, count);
    switch (path) {
      case '/health':
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"healthy","db":"up"}');
        return;
      case '/unavailable':
        response.writeHead(503).end('maintenance');
        return;
      case '/wrong-body':
        response.writeHead(200).end('{"status":"degraded"}');
        return;
      case '/flaky':
        if (count <= 2) response.writeHead(502).end('bad gateway');
        else response.writeHead(200).end('ready');
        return;
      case '/vehicles':
        response.writeHead(request.method === 'POST' ? 201 : 405).end();
        return;
      case '/never':
        return; // never answers: the socket stays open until the client gives up
      default:
        response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => hits.clear());

function endpoint(path: string, overrides: Partial<VerificationEndpoint> = {}): VerificationEndpoint {
  return VerificationEndpoint.parse({ url: `${base}${path}`, ...overrides });
}

function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe('checkHttpEndpoint against a real server', () => {
  it('passes on the expected status and body, in one attempt', async () => {
    const { delays, sleep } = recordingSleep();
    const result = await checkHttpEndpoint(endpoint('/health', { expect_body_contains: '"healthy"' }), { sleep });
    expect(result).toMatchObject({ kind: 'http', status: 200, attempts: 1, passed: true, error: null });
    expect(result.target).toBe(`GET ${base}/health`);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(delays).toEqual([]);
  });

  it('fails on a status mismatch after retries with exponential backoff', async () => {
    const { delays, sleep } = recordingSleep();
    const result = await checkHttpEndpoint(endpoint('/unavailable', { retries: 3 }), { sleep });
    expect(result).toMatchObject({ status: 503, attempts: 4, passed: false, error: 'expected status 200, got 503' });
    expect(hits.get('/unavailable')).toBe(4);
    expect(delays).toEqual([500, 1000, 2000]);
  });

  it('fails when the body does not contain the expected text', async () => {
    const { sleep } = recordingSleep();
    const result = await checkHttpEndpoint(endpoint('/wrong-body', { retries: 1, expect_body_contains: 'healthy' }), {
      sleep,
    });
    expect(result).toMatchObject({
      status: 200,
      attempts: 2,
      passed: false,
      error: 'response body does not contain "healthy"',
    });
  });

  it('passes on the third attempt when the server fails twice first', async () => {
    const { delays, sleep } = recordingSleep();
    const result = await checkHttpEndpoint(endpoint('/flaky', { retries: 3, expect_body_contains: 'ready' }), {
      sleep,
      backoffBaseMs: 100,
    });
    expect(result).toMatchObject({ status: 200, attempts: 3, passed: true, error: null });
    expect(hits.get('/flaky')).toBe(3);
    expect(delays).toEqual([100, 200]);
  });

  it('uses the configured method and expected status', async () => {
    const result = await checkHttpEndpoint(endpoint('/vehicles', { method: 'POST', expected_status: 201, retries: 0 }));
    expect(result).toMatchObject({ target: `POST ${base}/vehicles`, status: 201, passed: true });
  });

  it('times out an attempt on a server that never answers', async () => {
    const { sleep } = recordingSleep();
    const started = performance.now();
    const result = await checkHttpEndpoint(endpoint('/never', { timeout: 0.3, retries: 1 }), { sleep });
    expect(result).toMatchObject({ status: null, attempts: 2, passed: false, error: 'no response within 0.3s' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(250);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(hits.get('/never')).toBe(2);
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { sleep } = recordingSleep();
    const result = await checkHttpEndpoint(
      VerificationEndpoint.parse({ url: `http://127.0.0.1:${port}/health`, retries: 2 }),
      { sleep },
    );
    expect(result).toMatchObject({
      status: null,
      attempts: 3,
      passed: false,
      error: 'connection refused (ECONNREFUSED)',
    });
  });

  it('stops at once, without retrying, when the run is interrupted', async () => {
    const controller = new AbortController();
    const { delays, sleep } = recordingSleep();
    setTimeout(() => controller.abort('SIGINT'), 100);
    const result = await checkHttpEndpoint(endpoint('/never', { timeout: 10, retries: 5 }), {
      sleep,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ attempts: 1, passed: false, error: 'canceled' });
    expect(delays).toEqual([]);
  });
});

describe('helpers', () => {
  it('backoff doubles and is capped', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((retry) => backoffDelayMs(retry))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it('keeps credentials in a URL out of the report', () => {
    expect(reportableUrl('https://user:p4ss@fleet.example.com/health?x=1')).toBe('https://fleet.example.com/health?x=1');
    expect(reportableUrl('https://fleet.example.com/health')).toBe('https://fleet.example.com/health');
  });
});
