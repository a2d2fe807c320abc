import { afterEach, describe, expect, it } from 'vitest';
import { closedPortUrl, startFakeRest, type FakeRest, type FakeRoute } from '../../test/helpers/fake-rest.js';
import { openAzurePullRequest } from './azure-pr.js';
import { DeliveryError } from './delivery-error.js';
import { openGithubPullRequest } from './github-pr.js';
import type { AzureReposTarget, GithubTarget } from './platform.js';
import type { PullRequestContent } from './pull-request.js';

const servers: FakeRest[] = [];
afterEach(async () => {
  while (servers.length > 0) await servers.pop()?.close();
});

async function fake(routes: FakeRoute[]): Promise<FakeRest> {
  const server = await startFakeRest(routes);
  servers.push(server);
  return server;
}

const token = `tok-${'r'.repeat(32)}`;
const content: PullRequestContent = {
  title: 'fleet-orch: fix(typecheck): make gate "typecheck" pass',
  body: '## fleet-orch: ✅ Build is green\n',
  sourceBranch: 'fleet-orch/fix-20261122-010203-abcd',
  targetBranch: 'feature/x',
  labels: ['fleet-orch', 'automated'],
};
const options = { token, tokenEnv: 'SYSTEM_ACCESSTOKEN', timeoutMs: 5000 };
const AZURE_PATH = '/contoso/Fleet%20Ops/_apis/git/repositories/repo-1/pullrequests?api-version=7.1';

function azureTarget(baseUrl: string): AzureReposTarget {
  return { kind: 'azure', collectionUri: `${baseUrl}/contoso/`, project: 'Fleet Ops', repositoryId: 'repo-1', repositoryUri: null };
}

function githubTarget(baseUrl: string): GithubTarget {
  return { kind: 'github', apiUrl: baseUrl, owner: 'contoso', repo: 'fleet' };
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(DeliveryError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  expect(message).not.toContain(token);
  return message;
}

describe('Azure Repos pull requests', () => {
  it('POSTs the pull request with a bearer token and returns its web address', async () => {
    const server = await fake([
      { method: 'POST', path: AZURE_PATH, status: 201, json: { pullRequestId: 17, url: 'api-url', repository: { webUrl: 'https://dev.azure.com/contoso/Fleet%20Ops/_git/app' } } },
    ]);
    const opened = await openAzurePullRequest(azureTarget(server.baseUrl), content, options);
    expect(opened).toEqual({ url: 'https://dev.azure.com/contoso/Fleet%20Ops/_git/app/pullrequest/17', id: 17, warnings: [] });
    expect(server.calls).toHaveLength(1);
    const [call] = server.calls;
    expect(call).toMatchObject({ method: 'POST', path: AZURE_PATH });
    expect(call!.headers).toMatchObject({ authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' });
    expect(call!.body).toEqual({
      sourceRefName: 'refs/heads/fleet-orch/fix-20261122-010203-abcd',
      targetRefName: 'refs/heads/feature/x',
      title: content.title,
      description: content.body,
      isDraft: false,
      labels: [{ name: 'fleet-orch' }, { name: 'automated' }],
    });
  });

  it.each([
    [401, { message: 'TF400813: not authorized' }, 'Azure Repos answered 401 (TF400813: not authorized): the token in SYSTEM_ACCESSTOKEN was not accepted (map it: env: SYSTEM_ACCESSTOKEN: $(System.AccessToken))'],
    [403, { message: 'TF401027: You need the Git \'PullRequestContribute\' permission' }, 'allow "Contribute to pull requests"'],
    [409, { message: 'TF401179: An active pull request for the source and target branch already exists.' }, 'Azure Repos answered 409 (TF401179: An active pull request for the source and target branch already exists.): a pull request for this branch may already exist'],
  ])('HTTP %i becomes one clear line', async (status, json, expected) => {
    const server = await fake([{ method: 'POST', path: AZURE_PATH, status, json }]);
    expect(await failure(openAzurePullRequest(azureTarget(server.baseUrl), content, options))).toContain(expected);
  });

  it('a sign-in page instead of JSON (203) is a refused token, not a crash', async () => {
    const server = await fake([{ method: 'POST', path: AZURE_PATH, status: 203, text: '<html>Sign in</html>' }]);
    expect(await failure(openAzurePullRequest(azureTarget(server.baseUrl), content, options))).toBe(
      'Azure Repos answered 203 without a pull request: the token in SYSTEM_ACCESSTOKEN was probably not accepted',
    );
  });

  it('a closed port is a network failure naming the host', async () => {
    const url = await closedPortUrl();
    expect(await failure(openAzurePullRequest(azureTarget(url), content, options))).toBe(`cannot reach ${url}: ECONNREFUSED`);
  });
});

describe('GitHub pull requests', () => {
  const ghOptions = { ...options, tokenEnv: 'GITHUB_TOKEN' };

  it('POSTs /repos/o/r/pulls with the REST headers, then adds the labels', async () => {
    const server = await fake([
      { method: 'POST', path: '/repos/contoso/fleet/pulls', status: 201, json: { number: 42, html_url: 'https://github.com/contoso/fleet/pull/42' } },
      { method: 'POST', path: '/repos/contoso/fleet/issues/42/labels', status: 200, json: [{ name: 'fleet-orch' }] },
    ]);
    const log: string[] = [];
    const opened = await openGithubPullRequest(githubTarget(server.baseUrl), content, {
      ...ghOptions,
      log: ({ method, url, status }) => log.push(`${method} ${new URL(url).pathname} ${status}`),
    });
    expect(opened).toEqual({ url: 'https://github.com/contoso/fleet/pull/42', id: 42, warnings: [] });
    const [create, labels] = server.calls;
    expect(create!.headers).toMatchObject({
      authorization: `Bearer ${token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'content-type': 'application/json',
      'user-agent': 'fleet-orch',
    });
    expect(create!.body).toEqual({ title: content.title, head: content.sourceBranch, base: 'feature/x', body: content.body, draft: false });
    expect(labels).toMatchObject({ method: 'POST', path: '/repos/contoso/fleet/issues/42/labels', body: { labels: ['fleet-orch', 'automated'] } });
    expect(log).toEqual(['POST /repos/contoso/fleet/pulls 201', 'POST /repos/contoso/fleet/issues/42/labels 200']);
  });

  it('a label that cannot be added is a warning, the pull request stands', async () => {
    const server = await fake([
      { method: 'POST', path: '/repos/contoso/fleet/pulls', status: 201, json: { number: 7, html_url: 'https://github.com/contoso/fleet/pull/7' } },
      { method: 'POST', path: '/repos/contoso/fleet/issues/7/labels', status: 403, json: { message: 'Resource not accessible by integration' } },
    ]);
    const opened = await openGithubPullRequest(githubTarget(server.baseUrl), content, ghOptions);
    expect(opened.warnings).toEqual(['labels not added: GitHub answered 403 Resource not accessible by integration']);
  });

  it.each([
    [401, { message: 'Bad credentials' }, 'GitHub answered 401 (Bad credentials): the token in GITHUB_TOKEN was not accepted'],
    [403, { message: 'GitHub Actions is not permitted to create or approve pull requests.' }, 'permissions: contents: write, pull-requests: write'],
    [422, { message: 'Validation Failed', errors: [{ message: 'A pull request already exists for contoso:fleet-orch/fix-1.' }] }, 'GitHub answered 422 (Validation Failed: A pull request already exists for contoso:fleet-orch/fix-1.)'],
  ])('HTTP %i becomes one clear line', async (status, json, expected) => {
    const server = await fake([{ method: 'POST', path: '/repos/contoso/fleet/pulls', status, json }]);
    expect(await failure(openGithubPullRequest(githubTarget(server.baseUrl), content, ghOptions))).toContain(expected);
    expect(server.calls).toHaveLength(1);
  });

  it('a closed port is a network failure', async () => {
    const url = await closedPortUrl();
    expect(await failure(openGithubPullRequest(githubTarget(url), content, ghOptions))).toBe(`cannot reach ${url}: ECONNREFUSED`);
  });
});
