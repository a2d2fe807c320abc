import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFakeTools, type FakeTools } from '../../test/helpers/fake-tools.js';
import { EnvironmentConfig, SafetyConfig } from '../config/schema.js';
import { Redactor } from '../secrets/redact.js';
import { MemoryAuditLog } from '../shell/audit-log.js';
import { shellFromConfig } from '../shell/from-config.js';
import { CommandDenied } from '../shell/guarded-shell.js';
import { runDeployPipeline, type DeployPipelineContext, type NoteKind } from './deploy-pipeline.js';

/*
 * The deploy phase through the real guarded shell, with recording fake `az`, `kubectl` and `docker` executables
 * first on PATH (test/helpers/fake-tools.ts): they log their argv and simulate an ACR Tasks build killed with
 * exit 137 and an OOM message, rollouts that succeed or time out, and deployment revisions.
 */

let dir: string;
let tools: FakeTools;
let audit: MemoryAuditLog;
let allowLists: string[][];
let notes: [NoteKind, string][];
let verifications: number;

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'fleet-deploy-')));
  tools = installFakeTools(dir, { revisions: { 'fleet-api': 3 } });
  audit = new MemoryAuditLog();
  allowLists = [];
  notes = [];
  verifications = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const STAGING = {
  namespace: 'fleet-staging',
  deployments: ['fleet-api'],
  deploy: ['kubectl apply -f k8s/ -n fleet-staging'],
  image_build: {
    primary: 'az acr build --registry fleetacr --image fleet-api:1.0 .',
    fallback: 'docker build -t fleetacr.azurecr.io/fleet-api:1.0 . && docker push fleetacr.azurecr.io/fleet-api:1.0',
  },
  aks: { resource_group: 'fleet-rg', cluster: 'fleet-aks' },
  acr_name: 'fleetacr',
  rollout_timeout: 60,
};

interface Options {
  dryRun?: boolean;
  environment?: string;
  approval?: { required: boolean; approved: boolean };
  verification?: boolean;
  config?: Record<string, unknown>;
  /** safety.allowed_commands */
  allowed?: string[];
}

function context(options: Options = {}): DeployPipelineContext {
  const environment = options.environment ?? 'staging';
  const env: NodeJS.ProcessEnv = { PATH: tools.path, HOME: dir, LANG: 'C.UTF-8' };
  const approval = options.approval ? { environment, ...options.approval } : null;
  return {
    openShell: (declared) => {
      allowLists.push([...declared.commands]);
      const safety = SafetyConfig.parse(options.allowed ? { allowed_commands: options.allowed } : {});
      return shellFromConfig(safety, { repoRoot: dir, redactor: new Redactor(), audit, dryRun: options.dryRun ?? false, env, approval, declaredCommands: declared });
    },
    cwd: dir,
    env,
    dryRun: options.dryRun ?? false,
    environment,
    config: EnvironmentConfig.parse({ ...STAGING, ...options.config }),
    verify: async () => {
      verifications += 1;
      return options.verification === false
        ? { passed: false, summary: 'verification failed: GET http://127.0.0.1/health: expected status 200, got 500' }
        : { passed: true, summary: 'verification passed (1 check(s))' };
    },
    note: (kind, text) => void notes.push([kind, text]),
  };
}

const PREPARE = [
  'az acr login --name fleetacr',
  'az aks get-credentials --resource-group fleet-rg --name fleet-aks --overwrite-existing',
  'kubectl get deployment/fleet-api -n fleet-staging -o jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
];

describe('deploy phase with fake az / kubectl / docker', () => {
  it('builds, deploys, waits for the rollout and verifies, each action allow-listed to its own commands', async () => {
    const record = await runDeployPipeline(context());
    expect(record).toMatchObject({ status: 'passed', failedStage: null, imageBuiltBy: 'primary', undone: [] });
    expect(tools.commandLines()).toEqual([
      ...PREPARE,
      'az acr build --registry fleetacr --image fleet-api:1.0 .',
      'kubectl apply -f k8s/ -n fleet-staging',
      'kubectl rollout status deployment/fleet-api -n fleet-staging --timeout=60s',
    ]);
    expect(verifications).toBe(1);
    expect(record.steps.map((step) => [step.stage, step.action.id, step.action.ok])).toEqual([
      ['prepare', 'acr-login', true],
      ['prepare', 'aks-credentials', true],
      ['prepare', 'rollout-revision', true],
      ['build', 'switch-build-agent', true],
      ['deploy', 'deploy', true],
      ['rollout', 'rollout-status', true],
    ]);
    expect(allowLists[3]).toEqual([STAGING.image_build.primary, STAGING.image_build.fallback]);
    expect(allowLists[4]).toEqual(STAGING.deploy);
    expect(audit.entries.every((entry) => entry.verdict === 'allowed' && entry.actor.startsWith('devops:'))).toBe(true);
  });

  it('OOM on ACR Tasks (exit 137) → the fallback docker build + push builds the image', async () => {
    tools.set({ acrBuild: 'oom' });
    const record = await runDeployPipeline(context());
    expect(record.status).toBe('passed');
    expect(record.imageBuiltBy).toBe('fallback');
    expect(tools.commandLines().slice(3, 6)).toEqual([
      'az acr build --registry fleetacr --image fleet-api:1.0 .',
      'docker build -t fleetacr.azurecr.io/fleet-api:1.0 .',
      'docker push fleetacr.azurecr.io/fleet-api:1.0',
    ]);
    const build = record.steps.find((step) => step.stage === 'build')!.action;
    expect(build.detail).toBe('primary build was OOM-killed; image built by the fallback path');
    expect(build.output).toMatchObject({
      builtBy: 'fallback',
      attempts: [
        { path: 'primary', status: 'oom', output: { exitCode: 137 } },
        { path: 'fallback', status: 'passed', output: { exitCode: 0 } },
      ],
    });
    expect(audit.entries.map((entry) => entry.actor)).toContain('devops:switch-build-agent:fallback');
  });

  it('stops before deploying when the fallback is OOM-killed too, or none is configured', async () => {
    tools.set({ acrBuild: 'oom', dockerBuild: 'oom' });
    const record = await runDeployPipeline(context());
    expect(record).toMatchObject({ status: 'failed', failedStage: 'build', imageBuiltBy: null });
    expect(record.reason).toMatch(/^primary build was OOM-killed and the fallback was OOM-killed too: .*137.*\(nothing was deployed\)$/);
    expect(tools.commandLines().some((line) => line.startsWith('kubectl apply'))).toBe(false);

    const noFallback = await runDeployPipeline(context({ config: { image_build: { primary: STAGING.image_build.primary } } }));
    expect(noFallback.reason).toBe('primary build was OOM-killed and no image_build.fallback is configured (nothing was deployed)');
  });

  it('failed verification → each deployment the deploy changed goes back to its revision before the deploy', async () => {
    const record = await runDeployPipeline(context({ verification: false }));
    expect(record).toMatchObject({ status: 'failed', failedStage: 'verify' });
    expect(record.undone).toEqual([{ deployment: 'fleet-api', toRevision: 3, ok: true, detail: 'rolled back to revision 3' }]);
    expect(record.reason).toBe(
      'verification failed: GET http://127.0.0.1/health: expected status 200, got 500; rolled back deployment/fleet-api to revision 3',
    );
    expect(tools.commandLines().slice(-3)).toEqual([
      PREPARE[2],
      'kubectl rollout undo deployment/fleet-api -n fleet-staging --to-revision=3',
      'kubectl rollout status deployment/fleet-api -n fleet-staging --timeout=60s',
    ]);
    // Nothing was deleted, whatever happened.
    expect(tools.commandLines().some((line) => / delete /.test(line))).toBe(false);
  });

  it('a rollout that times out is undone without verifying', async () => {
    tools.set({ rollout: 'timeout' });
    const record = await runDeployPipeline(context());
    expect(record).toMatchObject({ status: 'failed', failedStage: 'rollout' });
    expect(record.reason).toMatch(/^deployment\/fleet-api did not roll out: exit 1: kubectl rollout status .* — error: timed out waiting for the condition; rolled back/);
    expect(verifications).toBe(0);
    expect(tools.commandLines()).toContain('kubectl rollout undo deployment/fleet-api -n fleet-staging --to-revision=3');
  });

  it('never undoes a deployment the deploy created or did not change, and not at all when switched off', async () => {
    tools.set({ revisions: {}, applyCreates: ['fleet-api'] });
    const created = await runDeployPipeline(context({ verification: false }));
    expect(created.undone).toEqual([
      { deployment: 'fleet-api', toRevision: null, ok: true, detail: 'did not exist before the deploy: left as it is (fleet-orch never deletes)' },
    ]);

    tools.set({ revisions: { 'fleet-api': 3 } });
    const unchanged = await runDeployPipeline(context({ verification: false, config: { deploy: [] } }));
    expect(unchanged.undone[0]?.detail).toBe('unchanged by the deploy (revision 3): nothing to undo');

    const before = tools.calls().length;
    const off = await runDeployPipeline(context({ verification: false, config: { undo_on_failed_verification: false } }));
    expect(off.reason).toMatch(/undo_on_failed_verification is off: left as deployed$/);
    expect(tools.commandLines().slice(before).some((line) => line.includes('rollout undo'))).toBe(false);
  });

  it('production without approval: the shell refuses the first mutating command (reads still run)', async () => {
    const run = runDeployPipeline(context({ environment: 'production', approval: { required: true, approved: false } }));
    await expect(run).rejects.toBeInstanceOf(CommandDenied);
    await expect(run).rejects.toMatchObject({ rule: 'builtin:approval-required' });
    expect(tools.commandLines()).toEqual(PREPARE);
    expect(audit.entries.at(-1)).toMatchObject({ actor: 'devops:switch-build-agent:primary', verdict: 'denied', rule: 'builtin:approval-required' });

    const approved = await runDeployPipeline(context({ environment: 'production', approval: { required: true, approved: true } }));
    expect(approved.status).toBe('passed');
  });

  it('safety.allowed_commands narrows what the actions declared: the first command it does not list stops the run', async () => {
    const reads = ['az acr login', 'az aks get-credentials', 'kubectl get deployment', 'az acr build', 'kubectl rollout status'];
    const run = runDeployPipeline(context({ allowed: reads }));
    await expect(run).rejects.toBeInstanceOf(CommandDenied);
    await expect(run).rejects.toMatchObject({
      rule: 'allowlist:not-listed',
      message: expect.stringContaining('"kubectl apply -f k8s/ -n fleet-staging" is not in safety.allowed_commands'),
    });
    expect(tools.commandLines()).toEqual([...PREPARE, 'az acr build --registry fleetacr --image fleet-api:1.0 .']);

    const listed = await runDeployPipeline(context({ allowed: [...reads, 'kubectl apply'] }));
    expect(listed.status).toBe('passed');
  });

  it('dry run: prints the exact commands and runs none of them', async () => {
    const record = await runDeployPipeline(context({ dryRun: true }));
    expect(tools.calls()).toEqual([]);
    expect(verifications).toBe(0);
    expect(record).toMatchObject({ status: 'printed', imageBuiltBy: null, dryRun: true });
    const printed = notes.filter(([kind]) => kind === 'info').map(([, text]) => text);
    expect(printed).toEqual([
      ...PREPARE.map((command) => `[dry-run] would run: ${command.replace('jsonpath=', "'jsonpath=").replace(/revision}$/, "revision}'")}`),
      `[dry-run] would run: ${STAGING.image_build.primary}`,
      `[dry-run] would run: ${STAGING.image_build.fallback}`,
      `[dry-run] would run: ${STAGING.deploy[0]}`,
      '[dry-run] would run: kubectl rollout status deployment/fleet-api -n fleet-staging --timeout=60s',
      'dry run: verification skipped (nothing was deployed)',
    ]);
    expect(record.steps.map((step) => [step.action.id, step.action.ran])).toEqual([
      ['acr-login', false],
      ['aks-credentials', false],
      ['rollout-revision', false],
      ['switch-build-agent', true],
      ['deploy', true],
      ['rollout-status', false],
    ]);
    // The mutating ones went through the shell's policy and were audited as printed.
    expect(audit.entries.map((entry) => [entry.actor, entry.verdict])).toEqual([
      ['devops:switch-build-agent:primary', 'dry-run'],
      ['devops:deploy', 'dry-run'],
    ]);
  });
});
