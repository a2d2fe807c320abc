import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { e2eScope } from '../helpers/e2e.js';
import { startFakeRest, startGitHttpServer, type FakeRoute } from '../helpers/fake-rest.js';
import { runGit, type TempRepo } from '../helpers/git.js';
import { APPROVE, FIX_DIFF, codexAnswer, llmAt, sampleConfig } from '../helpers/ts-project.js';

/**
 * Delivery through the real CLI: the broken sample project is repaired by the scripted model, then its fix is
 * pushed over real smart HTTP (git http-backend on 127.0.0.1, which insists on the pipeline's token) and the
 * pull request is opened against a REST stand-in for GitHub or Azure DevOps.
 */

const { fakeLlm, project, tempDir, later } = e2eScope();

const token = `tok-${'e'.repeat(32)}`;
const basic = Buffer.from(`x-access-token:${token}`).toString('base64');

interface Delivered {
  status: string;
  action: string;
  confidence: number;
  reason: string;
  targetBranch: string | null;
  remoteBranch: string | null;
  pullRequestUrl: string | null;
  patchFile: string | null;
}

interface RunJson {
  runId: string;
  outcome: string;
  reason: string;
  repository: { backupBranch: string | null; workBranch: string | null };
  delivery: Delivered | null;
}

/** The sample project with `delivery` configured and a remote served over smart HTTP that requires `authorization`. */
async function projectWithRemote(delivery: Record<string, unknown>, authorization: string, branch = 'main') {
  const llm = await fakeLlm({ codex: [codexAnswer(FIX_DIFF)], jules: [APPROVE] });
  const repo = project(sampleConfig({ llm: llmAt(llm.baseUrl), delivery }));
  const root = tempDir('fleet-orch-remote-');
  const bare = path.join(root, 'app.git');
  runGit(root, ['init', '-q', '--bare', '-b', 'main', bare]);
  repo.git('remote', 'add', 'origin', bare);
  if (branch !== 'main') repo.git('checkout', '-q', '-b', branch);
  repo.git('push', '-q', 'origin', branch);
  const git = await startGitHttpServer(root, { requireAuthorization: authorization });
  later(() => git.close());
  repo.git('remote', 'set-url', 'origin', `${git.baseUrl}/app.git`);
  return { repo, bare, git };
}

async function rest(routes: FakeRoute[]) {
  const server = await startFakeRest(routes);
  later(() => server.close());
  return server;
}

function readRun(repo: TempRepo): RunJson {
  const logs = path.join(repo.dir, 'logs');
  const file = readdirSync(logs).find((name) => /^run-.*\.json$/.test(name));
  if (file === undefined) throw new Error('no run report');
  return JSON.parse(readFileSync(path.join(logs, file), 'utf8')) as RunJson;
}

/** Every file fleet-orch wrote under logs/, as text. */
function allLogs(repo: TempRepo): string {
  const logs = path.join(repo.dir, 'logs');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(path.join(dir, entry.name)) : [readFileSync(path.join(dir, entry.name), 'utf8')],
    );
  return walk(logs).join('\n');
}

const remoteSha = (bare: string, branch: string): string => runGit(bare, ['rev-parse', `refs/heads/${branch}`]).trim();

describe('delivery, end to end', () => {
  it('GitHub Actions: pushes the work branch with GITHUB_TOKEN and opens a pull request; outputs and summary say so', async () => {
    const { repo, bare, git } = await projectWithRemote({ mode: 'pull_request', labels: ['fleet-orch', 'bot'] }, `basic ${basic}`);
    const api = await rest([
      { method: 'POST', path: '/repos/contoso/fleet/pulls', status: 201, json: { number: 12, html_url: 'https://github.com/contoso/fleet/pull/12' } },
      { method: 'POST', path: '/repos/contoso/fleet/issues/12/labels', status: 200, json: [] },
    ]);
    const files = tempDir('fleet-orch-gha-');
    const output = path.join(files, 'output');
    const summary = path.join(files, 'summary.md');
    writeFileSync(output, '');
    const run = await runCli([], {
      cwd: repo.dir,
      env: cleanEnv({
        GITHUB_ACTIONS: 'true',
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_TOKEN: token,
        GITHUB_REPOSITORY: 'contoso/fleet',
        GITHUB_API_URL: api.baseUrl,
        GITHUB_REF_NAME: 'main',
        GITHUB_REF_TYPE: 'branch',
      }),
    });

    expect(run.code, run.stderr).toBe(0);
    const report = readRun(repo);
    const work = report.repository.workBranch!;
    expect(report.delivery).toMatchObject({ status: 'pull_request', action: 'pull_request', targetBranch: 'main', remoteBranch: work, pullRequestUrl: 'https://github.com/contoso/fleet/pull/12' });
    expect(remoteSha(bare, work)).toBe(repo.git('rev-parse', work).trim());
    expect(git.authorizations.every((value) => value === `basic ${basic}`)).toBe(true);

    const [create, labels] = api.calls;
    expect(create).toMatchObject({ method: 'POST', path: '/repos/contoso/fleet/pulls' });
    expect(create!.headers).toMatchObject({ authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' });
    const body = create!.body as { title: string; head: string; base: string; body: string };
    expect(body).toMatchObject({ head: work, base: 'main', title: 'fleet-orch: fix(typecheck): make gate "typecheck" pass in src/index.ts' });
    expect(body.body).toContain(`backup branch \`${report.repository.backupBranch}\``);
    expect(body.body).toContain('## fleet-orch: ✅ Build is green');
    expect(labels!.body).toEqual({ labels: ['fleet-orch', 'bot'] });

    const stdoutLines = run.stdout.split('\n');
    expect(stdoutLines).toContain(`::add-mask::${token}`);
    expect(stdoutLines).toContain(`::add-mask::${basic}`);
    const outputs = readFileSync(output, 'utf8');
    expect(outputs).toContain('pull_request_url=https://github.com/contoso/fleet/pull/12\n');
    expect(outputs).toContain('delivery=pull_request\n');
    expect(readFileSync(summary, 'utf8')).toMatch(/### Delivery[\s\S]*\| Pull request \| https:\/\/github\.com\/contoso\/fleet\/pull\/12 \|/);
    expect(run.stderr).toContain('delivery: pull request https://github.com/contoso/fleet/pull/12');

    expect(allLogs(repo)).not.toContain(token);
    expect(allLogs(repo)).not.toContain(basic);
    expect(readFileSync(path.join(repo.dir, '.git', 'config'), 'utf8')).not.toMatch(/extraheader|x-access-token/);
  });

  it('Azure Pipelines, mode push: fast-forwards the feature branch the run started on with System.AccessToken', async () => {
    const { repo, bare } = await projectWithRemote({ mode: 'push', auto_push_threshold: 0.85 }, `bearer ${token}`, 'feature/fleet');
    repo.git('checkout', '-q', '--detach'); // as the agent checks out
    const run = await runCli([], {
      cwd: repo.dir,
      env: cleanEnv({ TF_BUILD: 'True', BUILD_SOURCEBRANCH: 'refs/heads/feature/fleet', SYSTEM_ACCESSTOKEN: token }),
    });
    expect(run.code).toBe(0);
    const report = readRun(repo);
    expect(report.delivery).toMatchObject({ status: 'pushed', action: 'push', targetBranch: 'feature/fleet', remoteBranch: 'feature/fleet', pullRequestUrl: null });
    expect(remoteSha(bare, 'feature/fleet')).toBe(repo.git('rev-parse', report.repository.workBranch!).trim());
    const lines = run.stdout.split('\n');
    expect(lines).toContain(`##vso[task.setsecret]${token}`);
    expect(lines).toContain('##vso[task.setvariable variable=delivery;isOutput=true;]pushed');
    expect(lines).toContain('##vso[task.setvariable variable=pull_request_url;isOutput=true;]');
    expect(lines).toContain('##vso[task.complete result=SucceededWithIssues;]DONE');
  });

  it('Azure Pipelines, 401 on the pull request: exit code unchanged, a CI warning, delivery=failed, the patch kept', async () => {
    const { repo, bare } = await projectWithRemote({ mode: 'pull_request' }, `bearer ${token}`);
    const path401 = '/org/fleet/_apis/git/repositories/repo-9/pullrequests?api-version=7.1';
    const api = await rest([{ method: 'POST', path: path401, status: 401, json: { message: 'TF400813: The user is not authorized to access this resource.' } }]);
    const run = await runCli([], {
      cwd: repo.dir,
      env: cleanEnv({
        TF_BUILD: 'True',
        BUILD_SOURCEBRANCH: 'refs/heads/main',
        SYSTEM_ACCESSTOKEN: token,
        SYSTEM_COLLECTIONURI: `${api.baseUrl}/org/`,
        SYSTEM_TEAMPROJECT: 'fleet',
        BUILD_REPOSITORY_ID: 'repo-9',
        BUILD_REPOSITORY_PROVIDER: 'TfsGit',
      }),
    });
    expect(run.code).toBe(0);
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]!.headers.authorization).toBe(`Bearer ${token}`);
    const report = readRun(repo);
    const why = 'Azure Repos answered 401 (TF400813: The user is not authorized to access this resource.): the token in SYSTEM_ACCESSTOKEN was not accepted (map it: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken))';
    expect(report.delivery).toMatchObject({ status: 'failed', reason: why, remoteBranch: report.repository.workBranch });
    expect(report.reason).toContain(`; delivery failed: ${why}`);
    expect(existsSync(report.delivery!.patchFile!)).toBe(true);
    expect(path.basename(report.delivery!.patchFile!)).toBe(`run-${report.runId}.patch`);
    expect(remoteSha(bare, 'main')).not.toBe(repo.git('rev-parse', report.repository.workBranch!).trim());
    const lines = run.stdout.split('\n');
    expect(lines.some((line) => line.startsWith('##vso[task.logissue type=warning;]fleet-orch: delivery failed: Azure Repos answered 401'))).toBe(true);
    expect(lines).toContain('##vso[task.setvariable variable=delivery;isOutput=true;]failed');
    expect(run.stderr).toMatch(/fleet-orch: green: .*delivery failed: Azure Repos answered 401/);
  });

  it('a dry run delivers nothing and reports what it would have done', async () => {
    const { repo, bare } = await projectWithRemote({ mode: 'pull_request' }, `basic ${basic}`);
    const api = await rest([]);
    const output = path.join(tempDir('fleet-orch-gha-'), 'output');
    writeFileSync(output, '');
    const run = await runCli(['--dry-run'], {
      cwd: repo.dir,
      env: cleanEnv({ GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output, GITHUB_TOKEN: token, GITHUB_REPOSITORY: 'contoso/fleet', GITHUB_API_URL: api.baseUrl, GITHUB_REF_NAME: 'main' }),
    });
    expect(run.code).toBe(0);
    const report = readRun(repo);
    expect(report.delivery?.status).toBe('dry_run');
    expect(report.delivery?.reason).toMatch(/^dry run: would push fleet-orch\/fix-\S+ and open a pull request into main \(confidence 0\.9/);
    expect(api.calls).toEqual([]);
    expect(runGit(bare, ['for-each-ref', '--format=%(refname)']).trim()).toBe('refs/heads/main');
    expect(readFileSync(output, 'utf8')).toContain('delivery=dry_run\n');
  });
});
