import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { e2eScope } from '../helpers/e2e.js';
import { sampleConfig } from '../helpers/ts-project.js';
import type { TempRepo } from '../helpers/git.js';

/** `--verify`: after green gates, the environment's health endpoint is checked on a real local server. */

const { later, project } = e2eScope();

async function healthServer(status: number): Promise<string> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: status === 200 ? 'healthy' : 'down' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  later(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function greenProject(origin: string): TempRepo {
  return project(
    sampleConfig({
      quality_gates: { unit: { command: 'node -e "process.exit(0)"', timeout: 30 } },
      deployment: {
        environments: {
          staging: {
            health_endpoint: `${origin}/health`,
            verification_endpoints: [{ url: `${origin}/api/vehicles`, expected_status: 200, retries: 1, expect_body_contains: 'healthy' }],
          },
        },
      },
    }),
  );
}

function verificationFile(repo: TempRepo): { passed: boolean; checks: { target: string; passed: boolean; status: number | null }[] } {
  const logs = path.join(repo.dir, 'logs');
  const name = readdirSync(logs).find((file) => /^verification_\d{8}_\d{6}.*\.json$/.test(file));
  if (!name) throw new Error('no verification file');
  return JSON.parse(readFileSync(path.join(logs, name), 'utf8')) as ReturnType<typeof verificationFile>;
}

describe('fleet-orch --verify', () => {
  it('exits 0 when the gates are green and the environment is healthy', async () => {
    const repo = greenProject(await healthServer(200));
    const run = await runCli(['-e', 'staging', '--verify'], { cwd: repo.dir });
    expect(run.code).toBe(0);
    const report = verificationFile(repo);
    expect(report.passed).toBe(true);
    expect(report.checks.map((check) => [check.passed, check.status])).toEqual([
      [true, 200],
      [true, 200],
    ]);
  });

  it('exits 4 when verification fails after green gates', async () => {
    const repo = greenProject(await healthServer(503));
    const run = await runCli(['-e', 'staging', '--verify'], { cwd: repo.dir });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/fleet-orch: verification_failed: gates green, but verification failed/);
    expect(verificationFile(repo).passed).toBe(false);
  });
});
