import { DeliveryError } from './delivery-error.js';
import { apiMessage, sendJson, type JsonAnswer } from './http.js';
import type { GithubTarget } from './platform.js';
import type { OpenedPullRequest, PullRequestContent, RequestOptions } from './pull-request.js';

/** GitHub allows 65,536 characters in a pull request body; stay well under it. */
export const GITHUB_BODY_LIMIT = 60_000;

function headers(token: string): Record<string, string> {
  return {
    Authorization: `Bearer ${token}`,
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28',
    'User-Agent': 'fleet-orch',
  };
}

export function githubPullRequestBody(content: PullRequestContent): Record<string, unknown> {
  return { title: content.title, head: content.sourceBranch, base: content.targetBranch, body: content.body, draft: false };
}

/**
 * `POST /repos/{owner}/{repo}/pulls`, then the labels through the issues API (the pulls API takes none). A
 * label that cannot be added is a warning: the pull request exists by then.
 */
export async function openGithubPullRequest(
  target: GithubTarget,
  content: PullRequestContent,
  options: RequestOptions,
): Promise<OpenedPullRequest> {
  const base = `${target.apiUrl}/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}`;
  const common = {
    headers: headers(options.token),
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.log ? { log: options.log } : {}),
  };
  const answer = await sendJson({ ...common, method: 'POST', url: `${base}/pulls`, body: githubPullRequestBody(content) });
  if (answer.status !== 201 && answer.status !== 200) throw new DeliveryError(githubRefusal(answer, options.tokenEnv));
  const created = answer.json as { html_url?: unknown; number?: unknown } | null;
  if (!created || typeof created.number !== 'number' || typeof created.html_url !== 'string') {
    throw new DeliveryError(`GitHub answered ${answer.status} without a pull request`);
  }
  const warnings: string[] = [];
  if (content.labels.length > 0) {
    const labelUrl = `${base}/issues/${created.number}/labels`;
    try {
      const labelled = await sendJson({ ...common, method: 'POST', url: labelUrl, body: { labels: content.labels } });
      if (labelled.status !== 200) warnings.push(`labels not added: GitHub answered ${labelled.status} ${apiMessage(labelled)}`.trim());
    } catch (error) {
      warnings.push(`labels not added: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { url: created.html_url, id: created.number, warnings };
}

function githubRefusal(answer: JsonAnswer, tokenEnv: string): string {
  const message = apiMessage(answer);
  const said = `GitHub answered ${answer.status}${message === '' ? '' : ` (${message})`}`;
  switch (answer.status) {
    case 401:
      return `${said}: the token in ${tokenEnv} was not accepted`;
    case 403:
      return `${said}: give the job "permissions: contents: write, pull-requests: write" and allow GitHub Actions to create pull requests (Settings → Actions → General)`;
    case 404:
      return `${said}: the repository is not visible to the token in ${tokenEnv}`;
    case 422:
      return `${said}: GitHub refused the pull request (one may already exist for this branch)`;
    default:
      return said;
  }
}
