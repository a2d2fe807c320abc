import { describe, expect, it } from 'vitest';
import { branchFromRef, detectCi, type CiContext } from './detect.js';

const cases: { name: string; env: NodeJS.ProcessEnv; expected: CiContext }[] = [
  {
    name: 'nothing set -> local',
    env: { CI: 'true', PATH: '/usr/bin' },
    expected: { kind: 'local', branch: null, runUrl: null, repository: null, isPullRequest: false },
  },
  {
    name: 'azure CI build on a branch',
    env: {
      TF_BUILD: 'True',
      BUILD_SOURCEBRANCH: 'refs/heads/feature/fleet',
      BUILD_REASON: 'IndividualCI',
      BUILD_REPOSITORY_NAME: 'fleet-api',
      SYSTEM_COLLECTIONURI: 'https://dev.azure.com/contoso/',
      SYSTEM_TEAMPROJECT: 'Fleet Ops',
      BUILD_BUILDID: '1234',
      SYSTEM_PULLREQUEST_PULLREQUESTID: '',
    },
    expected: {
      kind: 'azure-pipelines',
      branch: 'feature/fleet',
      runUrl: 'https://dev.azure.com/contoso/Fleet%20Ops/_build/results?buildId=1234',
      repository: 'fleet-api',
      isPullRequest: false,
    },
  },
  {
    name: 'azure PR build takes the PR source branch, not refs/pull/n/merge',
    env: {
      TF_BUILD: 'True',
      BUILD_SOURCEBRANCH: 'refs/pull/42/merge',
      BUILD_REASON: 'PullRequest',
      SYSTEM_PULLREQUEST_SOURCEBRANCH: 'refs/heads/fix/heap',
      SYSTEM_PULLREQUEST_PULLREQUESTID: '42',
      SYSTEM_COLLECTIONURI: 'https://dev.azure.com/contoso',
      SYSTEM_TEAMPROJECT: 'fleet',
      BUILD_BUILDID: '9',
    },
    expected: {
      kind: 'azure-pipelines',
      branch: 'fix/heap',
      runUrl: 'https://dev.azure.com/contoso/fleet/_build/results?buildId=9',
      repository: null,
      isPullRequest: true,
    },
  },
  {
    name: 'azure tag build has no branch; TF_BUILD is case-insensitive',
    env: { TF_BUILD: 'true', BUILD_SOURCEBRANCH: 'refs/tags/v1.2.0' },
    expected: { kind: 'azure-pipelines', branch: null, runUrl: null, repository: null, isPullRequest: false },
  },
  {
    name: 'github push',
    env: {
      GITHUB_ACTIONS: 'true',
      GITHUB_REF_NAME: 'main',
      GITHUB_REF_TYPE: 'branch',
      GITHUB_HEAD_REF: '',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REPOSITORY: 'contoso/fleet',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '777',
    },
    expected: {
      kind: 'github-actions',
      branch: 'main',
      runUrl: 'https://github.com/contoso/fleet/actions/runs/777',
      repository: 'contoso/fleet',
      isPullRequest: false,
    },
  },
  {
    name: 'github pull_request uses GITHUB_HEAD_REF',
    env: {
      GITHUB_ACTIONS: 'true',
      GITHUB_REF_NAME: '42/merge',
      GITHUB_HEAD_REF: 'feature/x',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REPOSITORY: 'contoso/fleet',
      GITHUB_RUN_ID: '1',
    },
    expected: {
      kind: 'github-actions',
      branch: 'feature/x',
      runUrl: 'https://github.com/contoso/fleet/actions/runs/1',
      repository: 'contoso/fleet',
      isPullRequest: true,
    },
  },
  {
    name: 'github tag push has no branch',
    env: { GITHUB_ACTIONS: 'true', GITHUB_REF_NAME: 'v2.0.0', GITHUB_REF_TYPE: 'tag' },
    expected: { kind: 'github-actions', branch: null, runUrl: null, repository: null, isPullRequest: false },
  },
  {
    name: 'gitlab merge request pipeline',
    env: {
      GITLAB_CI: 'true',
      CI_COMMIT_REF_NAME: 'feature/y',
      CI_MERGE_REQUEST_IID: '5',
      CI_JOB_URL: 'https://gitlab.example.com/g/p/-/jobs/3',
      CI_PROJECT_PATH: 'g/p',
    },
    expected: {
      kind: 'gitlab',
      branch: 'feature/y',
      runUrl: 'https://gitlab.example.com/g/p/-/jobs/3',
      repository: 'g/p',
      isPullRequest: true,
    },
  },
  {
    name: 'azure wins over github when both are set (Azure is the outer system)',
    env: { TF_BUILD: 'True', GITHUB_ACTIONS: 'true', BUILD_SOURCEBRANCH: 'refs/heads/main' },
    expected: { kind: 'azure-pipelines', branch: 'main', runUrl: null, repository: null, isPullRequest: false },
  },
  {
    name: 'TF_BUILD=False is not azure',
    env: { TF_BUILD: 'False' },
    expected: { kind: 'local', branch: null, runUrl: null, repository: null, isPullRequest: false },
  },
];

describe('detectCi', () => {
  it.each(cases)('$name', ({ env, expected }) => {
    expect(detectCi(env)).toEqual(expected);
  });

  it('never reads process.env', () => {
    const before = process.env['TF_BUILD'];
    process.env['TF_BUILD'] = 'True';
    try {
      expect(detectCi({}).kind).toBe('local');
    } finally {
      if (before === undefined) delete process.env['TF_BUILD'];
      else process.env['TF_BUILD'] = before;
    }
  });
});

describe('branchFromRef', () => {
  it.each([
    ['refs/heads/main', 'main'],
    ['refs/heads/feature/a/b', 'feature/a/b'],
    ['refs/tags/v1', null],
    ['refs/pull/3/merge', null],
    ['release-1', 'release-1'],
    ['refs/heads/', null],
  ])('%s -> %s', (ref, branch) => {
    expect(branchFromRef(ref)).toBe(branch);
  });
});
