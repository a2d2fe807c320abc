import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../test/helpers/cleanup.js';
import { startFakeRest, startGitHttpServer, type FakeRest, type FakeRoute, type GitHttpServer } from '../../test/helpers/fake-rest.js';
import { makeTempDir, runGit, tempRepo, type TempRepo } from '../../test/helpers/git.js';
import { detectCi } from '../ci/detect.js';
import { createReporter } from '../ci/reporter.js';
import { DeliveryConfig } from '../config/schema.js';
import { Repo } from '../git/repo.js';
import type { AttemptRecord, IterationRecord, RunReport } from '../report/run-report.js';
import { Redactor } from '../secrets/redact.js';
import { MemoryAuditLog } from '../shell/audit-log.js';
import { deliver, type DeliveryContext } from './deliver.js';

const { track, removeLater } = cleanupAfterEach();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

const token = `tok-${'d'.repeat(32)}`;
const WORK = 'fleet-orch/fix-20261122-010203-abcd';
const RUN_ID = '20261122-010203-abcd';

interface Setup {
  readonly work: TempRepo;
  readonly bare: string;
  readonly root: string;
  readonly startCommit: string;
}

/** A remote with `main` and `feature/x`; a clone on feature/x with one fix commit on the work branch. */
function setup(): Setup {
  const root = removeLater(makeTempDir('fleet-orch-remote-'));
  const bare = join(root, 'app.git');
  runGit(root, ['init', '-q', '--bare', '-b', 'main', bare]);
  const work = track(tempRepo({ 'src/a.ts': 'export const a: number = "1";\n' }));
  work.git('remote', 'add', 'origin', bare);
  work.git('push', '-q', 'origin', 'main', 'main:feature/x');
  work.git('checkout', '-q', '-b', 'feature/x');
  const startCommit = work.headSha();
  work.git('checkout', '-q', '-b', WORK);
  work.commit('fix(typecheck): make gate "typecheck" pass in src/a.ts', { 'src/a.ts': 'export const a: number = 1;\n' });
  return { work, bare, root, startCommit };
}

function report(s: Setup, tier: AttemptRecord['tier'] = 'fixer'): RunReport {
  const attempt = {
    tier,
    gate: 'typecheck',
    failureClass: 'typecheck',
    source: tier === 'fixer' ? 'eslint' : 'gpt-4.1',
    proposal: tier === 'fixer' ? null : { analysis: '', rootCause: '', confidence: 0.7, rationale: '' },
    patchFile: null,
    diffStats: { files: ['src/a.ts'], added: 1, removed: 1 },
    review: tier === 'fixer' ? null : { decision: 'approve', findings: [], decidedBy: 'model', confidence: 0.9, summary: 'ok' },
    apply: null,
    commit: s.work.headSha(),
    outcome: 'committed',
    reasons: [],
  } as AttemptRecord;
  return {
    runId: RUN_ID,
    outcome: 'green',
    exitCode: 0,
    reason: 'every required gate is green after 1 iteration(s)',
    dryRun: false,
    environment: null,
    repository: {
      root: s.work.dir,
      startCommit: s.startCommit,
      startBranch: 'feature/x',
      backupBranch: 'backup/pre-orchestration-20261122_010203',
      workBranch: WORK,
      commits: [{ sha: s.work.headSha(), subject: 'fix(typecheck): make gate "typecheck" pass in src/a.ts' }],
    },
    iterations: [{ iteration: 1, attempt, verdict: 'green', spend: { calls: 0, tokens: 0, costUsd: 0 } } as unknown as IterationRecord],
    final: { gates: [] },
    initial: null,
    llm: { available: false, detail: 'none' },
    usage: { totals: { calls: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0, costUsd: 0 }, calls: [] },
    files: { json: '', markdown: '', audit: '', log: '' },
  } as unknown as RunReport;
}

interface Harness {
  readonly context: DeliveryContext;
  readonly lines: string[];
  readonly audit: MemoryAuditLog;
  readonly logDir: string;
}

async function harness(s: Setup, env: NodeJS.ProcessEnv, delivery: Record<string, unknown>, extra: Partial<DeliveryContext> = {}): Promise<Harness> {
  const lines: string[] = [];
  const audit = new MemoryAuditLog();
  const logDir = removeLater(makeTempDir('fleet-orch-logs-'));
  const fullEnv = { PATH: process.env.PATH, HOME: process.env.HOME, GIT_CONFIG_NOSYSTEM: '1', ...env };
  const ci = detectCi(fullEnv);
  const context: DeliveryContext = {
    report: report(s),
    config: DeliveryConfig.parse(delivery),
    protectedBranches: [],
    dryRun: false,
    repo: await Repo.open(s.work.dir),
    ci,
    env: fullEnv,
    logDir,
    redactor: new Redactor(),
    reporter: createReporter(ci, { env: fullEnv, write: (line) => lines.push(line) }),
    audit,
    signal: new AbortController().signal,
    now: () => new Date('2026-11-22T01:02:03Z'),
    requestTimeoutMs: 5000,
    ...extra,
  };
  return { context, lines, audit, logDir };
}

async function gitHttp(s: Setup, authorization: string): Promise<GitHttpServer> {
  const server = await startGitHttpServer(s.root, { requireAuthorization: authorization });
  closers.push(() => server.close());
  s.work.git('remote', 'set-url', 'origin', `${server.baseUrl}/app.git`);
  return server;
}

async function rest(routes: FakeRoute[]): Promise<FakeRest> {
  const server = await startFakeRest(routes);
  closers.push(() => server.close());
  return server;
}

const remoteSha = (s: Setup, branch: string): string => runGit(s.bare, ['rev-parse', `refs/heads/${branch}`]).trim();

describe('deliver on GitHub Actions', () => {
  it('pushes the work branch with the basic extraheader, opens the pull request, masks the token and its derivative', async () => {
    const s = setup();
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    const git = await gitHttp(s, `basic ${basic}`);
    const api = await rest([
      { method: 'POST', path: '/repos/contoso/fleet/pulls', status: 201, json: { number: 5, html_url: 'https://github.com/contoso/fleet/pull/5' } },
      { method: 'POST', path: '/repos/contoso/fleet/issues/5/labels', status: 200, json: [] },
    ]);
    const h = await harness(s, { GITHUB_ACTIONS: 'true', GITHUB_TOKEN: token, GITHUB_REPOSITORY: 'contoso/fleet', GITHUB_API_URL: api.baseUrl }, { mode: 'pull_request' });

    const record = await deliver(h.context);

    expect(record).toMatchObject({ status: 'pull_request', action: 'pull_request', confidence: 0.95, targetBranch: 'feature/x', remoteBranch: WORK, pullRequestUrl: 'https://github.com/contoso/fleet/pull/5', patchFile: null });
    expect(remoteSha(s, WORK)).toBe(s.work.headSha());
    expect(remoteSha(s, 'feature/x')).toBe(s.startCommit);
    expect(git.authorizations.length).toBeGreaterThan(0);
    expect(h.lines).toEqual(expect.arrayContaining([`::add-mask::${token}`, `::add-mask::${basic}`]));
    const body = (api.calls[0]!.body as { body: string }).body;
    expect(body).toContain('backup/pre-orchestration-20261122_010203');
    expect(body).toContain('## fleet-orch: ✅ Build is green');
    expect(readFileSync(join(s.work.dir, '.git', 'config'), 'utf8')).not.toMatch(/extraheader|x-access-token/);
    expect(h.audit.entries.map((entry) => entry.command)).toEqual([
      `git --config-env=http.extraheader=FLEET_ORCH_HTTP_EXTRAHEADER push --no-verify --porcelain origin refs/heads/${WORK}:refs/heads/${WORK}`,
      `POST ${api.baseUrl}/repos/contoso/fleet/pulls`,
      `POST ${api.baseUrl}/repos/contoso/fleet/issues/5/labels`,
    ]);
    expect(JSON.stringify(h.audit.entries)).not.toContain(token);
  });

  it('a 401 from the API: delivery failed, branch pushed, patch kept, token nowhere in the message', async () => {
    const s = setup();
    await gitHttp(s, `basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`);
    const api = await rest([{ method: 'POST', path: '/repos/contoso/fleet/pulls', status: 401, json: { message: 'Bad credentials' } }]);
    const h = await harness(s, { GITHUB_ACTIONS: 'true', GITHUB_TOKEN: token, GITHUB_REPOSITORY: 'contoso/fleet', GITHUB_API_URL: api.baseUrl }, { mode: 'pull_request' });

    const record = await deliver(h.context);

    expect(record.status).toBe('failed');
    expect(record.reason).toBe('GitHub answered 401 (Bad credentials): the token in GITHUB_TOKEN was not accepted');
    expect(record.remoteBranch).toBe(WORK);
    expect(record.patchFile).toBe(join(h.logDir, 'patches', `run-${RUN_ID}.patch`));
    const patch = readFileSync(record.patchFile!, 'utf8');
    expect(patch).toMatch(/^From [0-9a-f]{40} /);
    expect(patch).toContain('+export const a: number = 1;');
  });

  it('no token: fails before pushing anything', async () => {
    const s = setup();
    const h = await harness(s, { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'contoso/fleet', GITHUB_API_URL: 'http://127.0.0.1:9' }, { mode: 'pull_request' });
    const record = await deliver(h.context);
    expect(record).toMatchObject({ status: 'failed', remoteBranch: null });
    expect(record.reason).toBe('cannot open a pull request: no token, GITHUB_TOKEN is not set (map it in the step: env: GITHUB_TOKEN: ${{ github.token }})');
    expect(() => remoteSha(s, WORK)).toThrow();
    expect(existsSync(record.patchFile!)).toBe(true);
  });
});

describe('deliver on Azure Pipelines', () => {
  const azureEnv = (baseUrl: string): NodeJS.ProcessEnv => ({
    TF_BUILD: 'True',
    SYSTEM_ACCESSTOKEN: token,
    SYSTEM_COLLECTIONURI: `${baseUrl}/contoso/`,
    SYSTEM_TEAMPROJECT: 'fleet',
    BUILD_REPOSITORY_ID: 'repo-1',
    BUILD_REPOSITORY_PROVIDER: 'TfsGit',
  });

  it('mode push with high confidence: fast-forwards the target branch with the bearer extraheader', async () => {
    const s = setup();
    const git = await gitHttp(s, `bearer ${token}`);
    const h = await harness(s, azureEnv('http://127.0.0.1:9'), { mode: 'push' });
    const record = await deliver(h.context);
    expect(record).toMatchObject({ status: 'pushed', action: 'push', remoteBranch: 'feature/x', pullRequestUrl: null });
    expect(remoteSha(s, 'feature/x')).toBe(s.work.headSha());
    expect(git.authorizations.every((value) => value === `bearer ${token}`)).toBe(true);
    expect(h.lines).toContain(`##vso[task.setsecret]${token}`);
  });

  it('mode push onto main falls back to a pull request on Azure Repos', async () => {
    const s = setup();
    await gitHttp(s, `bearer ${token}`);
    const path = '/contoso/fleet/_apis/git/repositories/repo-1/pullrequests?api-version=7.1';
    const api = await rest([{ method: 'POST', path, status: 201, json: { pullRequestId: 3, repository: { webUrl: 'https://dev.azure.com/contoso/fleet/_git/app' } } }]);
    const h = await harness(s, azureEnv(api.baseUrl), { mode: 'push', target_branch: 'main' });
    const record = await deliver(h.context);
    expect(record).toMatchObject({ status: 'pull_request', action: 'pull_request', targetBranch: 'main', pullRequestUrl: 'https://dev.azure.com/contoso/fleet/_git/app/pullrequest/3' });
    expect(record.reason).toContain('main is protected, so never pushed to');
    expect(api.calls[0]!.body).toMatchObject({ sourceRefName: `refs/heads/${WORK}`, targetRefName: 'refs/heads/main', labels: [{ name: 'fleet-orch' }] });
    expect(remoteSha(s, 'main')).toBe(s.startCommit);
  });

  it('a 409 leaves the run reporting a failed delivery with the patch kept', async () => {
    const s = setup();
    await gitHttp(s, `bearer ${token}`);
    const path = '/contoso/fleet/_apis/git/repositories/repo-1/pullrequests?api-version=7.1';
    const api = await rest([{ method: 'POST', path, status: 409, json: { message: 'TF401179: An active pull request for the source and target branch already exists.' } }]);
    const h = await harness(s, azureEnv(api.baseUrl), { mode: 'pull_request' });
    const record = await deliver(h.context);
    expect(record.status).toBe('failed');
    expect(record.reason).toMatch(/^Azure Repos answered 409 \(TF401179/);
    expect(existsSync(record.patchFile!)).toBe(true);
  });
});

describe('deliver without delivering', () => {
  it('a dry run touches nothing and says what would have happened', async () => {
    const s = setup();
    const h = await harness(s, { GITHUB_ACTIONS: 'true', GITHUB_TOKEN: token, GITHUB_REPOSITORY: 'contoso/fleet' }, { mode: 'pull_request' }, { dryRun: true, repo: null });
    const record = await deliver(h.context);
    expect(record.status).toBe('dry_run');
    expect(record.reason).toBe(`dry run: would push ${WORK} and open a pull request into feature/x (confidence 0.95 ≥ pull_request_threshold 0.6: pull request ${WORK} → feature/x)`);
    expect(h.audit.entries).toEqual([]);
    expect(h.lines).toEqual([]);
  });

  it('mode none keeps the commits as a patch; low confidence too', async () => {
    const s = setup();
    const none = await deliver((await harness(s, {}, {})).context);
    expect(none).toMatchObject({ status: 'none', action: 'none', reason: 'delivery.mode is none' });
    expect(readFileSync(none.patchFile!, 'utf8')).toContain('Subject: [PATCH] fix(typecheck)');

    const h = await harness(s, {}, { mode: 'pull_request' }, {});
    const low = await deliver({ ...h.context, report: report(s, 'model'), config: DeliveryConfig.parse({ mode: 'pull_request', pull_request_threshold: 0.8 }) });
    expect(low).toMatchObject({ status: 'none', confidence: 0.7 });
    expect(low.reason).toContain('confidence 0.70 < pull_request_threshold 0.8');
  });

  it('a pull request from a local run fails clearly; a missing remote too', async () => {
    const s = setup();
    const local = await deliver((await harness(s, {}, { mode: 'pull_request' })).context);
    expect(local.reason).toBe('cannot open a pull request: pull requests are opened from Azure Pipelines or GitHub Actions only (this run is local)');
    const noRemote = await deliver((await harness(s, {}, { mode: 'push', remote: 'upstream' })).context);
    expect(noRemote).toMatchObject({ status: 'failed', reason: 'the git remote "upstream" does not exist (delivery.remote)' });
  });
});
