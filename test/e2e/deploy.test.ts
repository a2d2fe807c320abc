import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { e2eScope } from '../helpers/e2e.js';
import { installFakeTools, type FakeTools } from '../helpers/fake-tools.js';
import type { TempRepo } from '../helpers/git.js';
import { sampleConfig } from '../helpers/ts-project.js';

/*
 * `fleet-orch run --deploy` through the real CLI, on a project whose gates are green. Recording fake `az`,
 * `kubectl` and `docker` executables are first on PATH (test/helpers/fake-tools.ts): they log their argv and
 * simulate an ACR Tasks build OOM-killed with exit 137, rollouts, and revisions; the health endpoint is a real
 * HTTP server on 127.0.0.1.
 */

const { later, project, tempDir } = e2eScope();

async function healthServer(status: number): Promise<string> {
  const server = createServer((_request, response) => response.writeHead(status).end(status === 200 ? 'healthy' : 'down'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  later(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const BUILD = {
  primary: 'az acr build --registry fleetacr --image fleet-api:1.0 .',
  fallback: 'docker build -t fleetacr.azurecr.io/fleet-api:1.0 . && docker push fleetacr.azurecr.io/fleet-api:1.0',
};

function deployProject(origin: string, safety: Record<string, unknown> = {}): TempRepo {
  const environment = {
    health_endpoint: `${origin}/health`,
    namespace: 'fleet',
    deployments: ['fleet-api'],
    deploy: ['kubectl apply -f k8s/ -n fleet'],
    image_build: BUILD,
    aks: { resource_group: 'fleet-rg', cluster: 'fleet-aks' },
    acr_name: 'fleetacr',
    rollout_timeout: 30,
  };
  return project(
    sampleConfig({
      quality_gates: { unit: { command: 'node -e "process.exit(0)"', timeout: 30 } },
      ...(Object.keys(safety).length > 0 ? { safety } : {}),
      deployment: {
        environments: {
          // One retry (500 ms backoff) keeps the failing case quick; the health endpoint's default is three.
          staging: { ...environment, health_endpoint: null, verification_endpoints: [{ url: `${origin}/health`, retries: 1, timeout: 2 }] },
          production: environment,
        },
      },
    }),
  );
}

function fakes(): FakeTools {
  return installFakeTools(tempDir('fleet-orch-fakes-'), { revisions: { 'fleet-api': 7 } });
}

interface Report {
  outcome: string;
  exitCode: number;
  deploy: { status: string; failedStage: string | null; imageBuiltBy: string | null; undone: { deployment: string; toRevision: number | null; ok: boolean }[]; steps: { stage: string; action: { id: string; commands: string[]; ran: boolean } }[] };
  files: { json: string; markdown: string };
}

function runReport(stderr: string): Report {
  const file = /fleet-orch: report (\S+\.json)/.exec(stderr)?.[1];
  if (!file) throw new Error(`no report in:\n${stderr}`);
  return JSON.parse(readFileSync(file, 'utf8')) as Report;
}

describe('fleet-orch run --deploy', () => {
  it('an image build OOM-killed on ACR Tasks is rebuilt on the agent; deploys, rolls out, verifies; tells Azure which path built it', async () => {
    const repo = deployProject(await healthServer(200));
    const tools = fakes();
    tools.set({ acrBuild: 'oom' });
    const run = await runCli(['-e', 'staging', '--deploy'], { cwd: repo.dir, env: cleanEnv({ PATH: tools.path, TF_BUILD: 'True' }) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('##vso[task.setvariable variable=image_build_path;isOutput=true;]fallback');
    expect(tools.commandLines()).toEqual([
      'az acr login --name fleetacr',
      'az aks get-credentials --resource-group fleet-rg --name fleet-aks --overwrite-existing',
      'kubectl get deployment/fleet-api -n fleet -o jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
      BUILD.primary,
      'docker build -t fleetacr.azurecr.io/fleet-api:1.0 .',
      'docker push fleetacr.azurecr.io/fleet-api:1.0',
      'kubectl apply -f k8s/ -n fleet',
      'kubectl rollout status deployment/fleet-api -n fleet --timeout=30s',
    ]);
    const report = runReport(run.stderr);
    expect(report).toMatchObject({ outcome: 'green', exitCode: 0, deploy: { status: 'passed', imageBuiltBy: 'fallback', undone: [] } });
    const markdown = readFileSync(report.files.markdown, 'utf8');
    expect(markdown).toContain('### Deploy to staging');
    expect(markdown).toContain('| Image built by | fallback path |');
  });

  it('failed verification after the deploy: the rollout is undone to the revision before it, exit 4', async () => {
    const repo = deployProject(await healthServer(500));
    const tools = fakes();
    const run = await runCli(['-e', 'staging', '--deploy'], { cwd: repo.dir, env: cleanEnv({ PATH: tools.path }) });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/fleet-orch: verification_failed: gates green, but the deploy to staging stopped at verify: verification failed: .*expected status 200, got 500.*; rolled back deployment\/fleet-api to revision 7/);
    expect(tools.commandLines().slice(-2)).toEqual([
      'kubectl rollout undo deployment/fleet-api -n fleet --to-revision=7',
      'kubectl rollout status deployment/fleet-api -n fleet --timeout=30s',
    ]);
    expect(runReport(run.stderr).deploy).toMatchObject({ status: 'failed', failedStage: 'verify', undone: [{ deployment: 'fleet-api', toRevision: 7, ok: true }] });
  });

  it('--dry-run --deploy prints the exact commands and runs none of them', async () => {
    const repo = deployProject(await healthServer(200));
    const tools = fakes();
    const run = await runCli(['-e', 'staging', '--deploy', '--dry-run'], { cwd: repo.dir, env: cleanEnv({ PATH: tools.path }) });
    expect(run.code, run.stderr).toBe(0);
    expect(tools.calls()).toEqual([]);
    for (const command of [BUILD.primary, BUILD.fallback, 'kubectl apply -f k8s/ -n fleet', 'az acr login --name fleetacr', 'kubectl rollout status deployment/fleet-api -n fleet --timeout=30s']) {
      expect(run.stderr).toContain(`[dry-run] would run: ${command}`);
    }
    const report = runReport(run.stderr);
    expect(report.deploy.status).toBe('printed');
    expect(report.deploy.steps.flatMap((step) => step.action.commands)).toContain(BUILD.fallback);
    expect(readFileSync(report.files.markdown, 'utf8')).toContain('`kubectl apply -f k8s/ -n fleet`');
  });

  it('safety.allowed_commands narrows the DevOps agent: the first command it does not list stops the run (exit 3)', async () => {
    const reads = ['az acr login', 'az aks get-credentials', 'kubectl get deployment', 'az acr build', 'kubectl rollout status'];
    const repo = deployProject(await healthServer(200), { allowed_commands: reads });
    const tools = fakes();
    const run = await runCli(['-e', 'staging', '--deploy'], { cwd: repo.dir, env: cleanEnv({ PATH: tools.path }) });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('"kubectl apply -f k8s/ -n fleet" is not in safety.allowed_commands');
    expect(tools.commandLines().at(-1)).toBe(BUILD.primary);
  });

  it('production without --approve-production is refused before anything runs (exit 3)', async () => {
    const repo = deployProject(await healthServer(200));
    const tools = fakes();
    const run = await runCli(['-e', 'production', '--deploy'], { cwd: repo.dir, env: cleanEnv({ PATH: tools.path }) });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('--approve-production');
    expect(tools.calls()).toEqual([]);
  });

  it('--deploy without an environment is a usage error (exit 2)', async () => {
    const repo = deployProject(await healthServer(200));
    const run = await runCli(['--deploy'], { cwd: repo.dir });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('--deploy needs --environment <name>');
  });
});
