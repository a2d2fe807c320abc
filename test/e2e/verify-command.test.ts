import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { e2eScope } from '../helpers/e2e.js';

/** `fleet-orch verify -e <env>`: the verifier alone, in a folder that is not a git repository, against 127.0.0.1. */

const { later, tempDir } = e2eScope();

async function server(): Promise<string> {
  let flaky = 0;
  const routes = createServer((request, response) => {
    if (request.url === '/health') response.writeHead(200).end('{"status":"healthy"}');
    else if (request.url === '/flaky') response.writeHead((flaky += 1) < 2 ? 503 : 200).end('ok');
    else response.writeHead(500).end('boom');
  });
  await new Promise<void>((resolve) => routes.listen(0, '127.0.0.1', resolve));
  later(() => new Promise<void>((resolve) => routes.close(() => resolve())));
  return `http://127.0.0.1:${(routes.address() as AddressInfo).port}`;
}

function folder(environments: Record<string, unknown>): string {
  const dir = tempDir('fleet-orch-verify-');
  writeFileSync(path.join(dir, 'config.yaml'), stringify({ quality_gates: { unit: { command: 'true' } }, deployment: { environments } }));
  return dir;
}

function verificationFiles(dir: string): string[] {
  return readdirSync(path.join(dir, 'logs')).filter((file) => /^verification_\d{8}_\d{6}(_\d+)?\.json$/.test(file));
}

describe('fleet-orch verify', () => {
  it('passes (exit 0): one line per check, the report in logs/, smoke tests run from here and audited', async () => {
    const origin = await server();
    const dir = folder({
      staging: {
        health_endpoint: `${origin}/health`,
        verification_endpoints: [{ url: `${origin}/flaky`, retries: 2 }],
        smoke_tests: ['test -f config.yaml'],
      },
    });
    const run = await runCli(['verify', '-e', 'staging'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(path.join(dir, '.git'))).toBe(false);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^ok {4}GET ${origin}/health {2}200 {2}\\d+ ms {2}1 attempt\\(s\\)$`));
    expect(lines[1]).toMatch(/^ok {4}GET .*\/flaky {2}200 {2}\d+ ms {2}2 attempt\(s\)$/);
    expect(lines[2]).toMatch(/^ok {4}test -f config\.yaml {2}0 {2}\d+ ms {2}1 attempt\(s\)$/);
    const [file] = verificationFiles(dir);
    expect(run.stderr).toContain(`fleet-orch: verify: staging passed (3 check(s)); report ${path.join(dir, 'logs', file!)} (exit 0)`);
    const report = JSON.parse(readFileSync(path.join(dir, 'logs', file!), 'utf8'));
    expect(report).toMatchObject({ environment: 'staging', passed: true });
    expect(report.checks.map((check: { kind: string }) => check.kind)).toEqual(['http', 'http', 'smoke']);
    const audit = readdirSync(path.join(dir, 'logs')).find((name) => name.startsWith('audit-verify-'));
    expect(readFileSync(path.join(dir, 'logs', audit!), 'utf8')).toContain('"actor":"verifier:smoke"');
  });

  it('fails (exit 4) with --json: the report on stdout, field by field', async () => {
    const origin = await server();
    const dir = folder({ staging: { verification_endpoints: [{ url: `${origin}/broken`, retries: 0 }, { url: `${origin}/health` }] } });
    const run = await runCli(['verify', '-e', 'staging', '--json', '--log-dir', 'out'], { cwd: dir });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/fleet-orch: verification_failed: staging: 1 of 2 check\(s\) failed; report .*out\/verification_\d{8}_\d{6}\.json \(exit 4\)/);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ environment: 'staging', passed: false, file: expect.stringMatching(/out\/verification_/) });
    expect(report.checks[0]).toEqual({
      target: `GET ${origin}/broken`,
      kind: 'http',
      status: 500,
      latencyMs: expect.any(Number),
      attempts: 1,
      passed: false,
      error: 'expected status 200, got 500',
    });
    expect(report.checks[1]).toMatchObject({ status: 200, passed: true, error: null });
    expect(JSON.parse(readFileSync(report.file, 'utf8'))).toEqual({ environment: report.environment, startedAt: report.startedAt, passed: false, checks: report.checks });
  });

  it('usage errors exit 2: no -e, an unknown environment, an environment with nothing to check', async () => {
    const dir = folder({ staging: {} });
    const missing = await runCli(['verify'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '-e, --environment <name>' not specified");
    const unknown = await runCli(['verify', '-e', 'qa'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown environment "qa" (defined: staging)');
    const empty = await runCli(['verify', '-e', 'staging'], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('environment "staging" defines no health endpoint, verification endpoints or smoke tests: nothing to verify');
  });
});
