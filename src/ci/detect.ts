export type CiKind = 'azure-pipelines' | 'github-actions' | 'gitlab' | 'local';

export interface CiContext {
  kind: CiKind;
  /** The branch being built (from CI variables, never from git: CI checkouts are detached). Null for tags. */
  branch: string | null;
  runUrl: string | null;
  repository: string | null;
  isPullRequest: boolean;
}

type Env = NodeJS.ProcessEnv;

/**
 * Which CI this process runs in, from the injected environment only. Azure is recognised by `TF_BUILD=True`
 * (not `CI`, which Azure does not always set), GitHub by `GITHUB_ACTIONS=true`, GitLab by `GITLAB_CI`.
 */
export function detectCi(env: Env): CiContext {
  if (equalsIgnoreCase(env['TF_BUILD'], 'true')) return azurePipelines(env);
  if (equalsIgnoreCase(env['GITHUB_ACTIONS'], 'true')) return githubActions(env);
  if (value(env, 'GITLAB_CI') !== null) return gitlab(env);
  return { kind: 'local', branch: null, runUrl: null, repository: null, isPullRequest: false };
}

function azurePipelines(env: Env): CiContext {
  const isPullRequest =
    value(env, 'BUILD_REASON') === 'PullRequest' || value(env, 'SYSTEM_PULLREQUEST_PULLREQUESTID') !== null;
  // On a PR build BUILD_SOURCEBRANCH is `refs/pull/<n>/merge`; the PR's own branch is the useful one.
  const sourceRef = (isPullRequest ? value(env, 'SYSTEM_PULLREQUEST_SOURCEBRANCH') : null) ?? value(env, 'BUILD_SOURCEBRANCH');
  return {
    kind: 'azure-pipelines',
    branch: branchFromRef(sourceRef),
    runUrl: azureRunUrl(env),
    repository: value(env, 'BUILD_REPOSITORY_NAME'),
    isPullRequest,
  };
}

function azureRunUrl(env: Env): string | null {
  const collection = value(env, 'SYSTEM_COLLECTIONURI');
  const project = value(env, 'SYSTEM_TEAMPROJECT');
  const buildId = value(env, 'BUILD_BUILDID');
  if (collection === null || project === null || buildId === null) return null;
  const base = collection.endsWith('/') ? collection : `${collection}/`;
  return `${base}${encodeURIComponent(project)}/_build/results?buildId=${encodeURIComponent(buildId)}`;
}

function githubActions(env: Env): CiContext {
  const headRef = value(env, 'GITHUB_HEAD_REF');
  const isTag = value(env, 'GITHUB_REF_TYPE') === 'tag';
  const branch = headRef ?? (isTag ? null : branchFromRef(value(env, 'GITHUB_REF_NAME')));
  const event = value(env, 'GITHUB_EVENT_NAME');
  return {
    kind: 'github-actions',
    branch,
    runUrl: githubRunUrl(env),
    repository: value(env, 'GITHUB_REPOSITORY'),
    isPullRequest: headRef !== null || event === 'pull_request' || event === 'pull_request_target',
  };
}

function githubRunUrl(env: Env): string | null {
  const repository = value(env, 'GITHUB_REPOSITORY');
  const runId = value(env, 'GITHUB_RUN_ID');
  if (repository === null || runId === null) return null;
  const server = (value(env, 'GITHUB_SERVER_URL') ?? 'https://github.com').replace(/\/+$/, '');
  return `${server}/${repository}/actions/runs/${runId}`;
}

function gitlab(env: Env): CiContext {
  const isTag = value(env, 'CI_COMMIT_TAG') !== null;
  return {
    kind: 'gitlab',
    branch: isTag ? null : branchFromRef(value(env, 'CI_COMMIT_REF_NAME')),
    runUrl: value(env, 'CI_JOB_URL') ?? value(env, 'CI_PIPELINE_URL'),
    repository: value(env, 'CI_PROJECT_PATH'),
    isPullRequest: value(env, 'CI_MERGE_REQUEST_IID') !== null,
  };
}

/** `refs/heads/feature/x` -> `feature/x`; other refs (tags, PR merge refs) are not branches; a bare name is kept. */
export function branchFromRef(ref: string | null): string | null {
  if (ref === null) return null;
  if (ref.startsWith('refs/heads/')) return nonEmpty(ref.slice('refs/heads/'.length));
  if (ref.startsWith('refs/')) return null;
  return nonEmpty(ref);
}

/** A variable's value, with unset and empty (CI systems export empty variables) both meaning absent. */
function value(env: Env, name: string): string | null {
  return nonEmpty(env[name]?.trim());
}

function nonEmpty(text: string | undefined): string | null {
  return text === undefined || text === '' ? null : text;
}

function equalsIgnoreCase(actual: string | undefined, expected: string): boolean {
  return actual !== undefined && actual.trim().toLowerCase() === expected;
}
