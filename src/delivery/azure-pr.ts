import { DeliveryError } from './delivery-error.js';
import { apiMessage, sendJson, type JsonAnswer } from './http.js';
import type { AzureReposTarget } from './platform.js';
import type { OpenedPullRequest, PullRequestContent, RequestOptions } from './pull-request.js';

/** Azure Repos keeps a pull request description under 4,000 characters. */
export const AZURE_DESCRIPTION_LIMIT = 4000;
const API_VERSION = '7.1';

/** `POST {collection}{project}/_apis/git/repositories/{id}/pullrequests?api-version=7.1`. */
export function azurePullRequestUrl(target: AzureReposTarget): string {
  const project = encodeURIComponent(target.project);
  const repository = encodeURIComponent(target.repositoryId);
  return `${target.collectionUri}${project}/_apis/git/repositories/${repository}/pullrequests?api-version=${API_VERSION}`;
}

export function azurePullRequestBody(content: PullRequestContent): Record<string, unknown> {
  return {
    sourceRefName: `refs/heads/${content.sourceBranch}`,
    targetRefName: `refs/heads/${content.targetBranch}`,
    title: content.title,
    description: content.body,
    isDraft: false,
    labels: content.labels.map((name) => ({ name })),
  };
}

/** Opens the pull request with the pipeline's token (`Authorization: Bearer`); throws DeliveryError with one line. */
export async function openAzurePullRequest(
  target: AzureReposTarget,
  content: PullRequestContent,
  options: RequestOptions,
): Promise<OpenedPullRequest> {
  const answer = await sendJson({
    method: 'POST',
    url: azurePullRequestUrl(target),
    headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json', 'User-Agent': 'fleet-orch' },
    body: azurePullRequestBody(content),
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  if (answer.status < 200 || answer.status >= 300) throw new DeliveryError(azureRefusal(answer, options.tokenEnv));
  const created = answer.json as { pullRequestId?: unknown; url?: unknown; repository?: { webUrl?: unknown } } | null;
  if (!created || typeof created.pullRequestId !== 'number') {
    // An unauthenticated request can get a 203 with a sign-in page instead of a 401.
    throw new DeliveryError(`Azure Repos answered ${answer.status} without a pull request: the token in ${options.tokenEnv} was probably not accepted`);
  }
  const webUrl = typeof created.repository?.webUrl === 'string' ? created.repository.webUrl : target.repositoryUri;
  const url = webUrl !== null ? `${webUrl.replace(/\/+$/, '')}/pullrequest/${created.pullRequestId}` : String(created.url ?? '');
  return { url, id: created.pullRequestId, warnings: [] };
}

function azureRefusal(answer: JsonAnswer, tokenEnv: string): string {
  const message = apiMessage(answer);
  const said = `Azure Repos answered ${answer.status}${message === '' ? '' : ` (${message})`}`;
  switch (answer.status) {
    case 401:
      return `${said}: the token in ${tokenEnv} was not accepted (map it: env: ${tokenEnv}: $(System.AccessToken))`;
    case 403:
      return `${said}: allow "Contribute to pull requests" for the project's Build Service identity on this repository`;
    case 409:
      return `${said}: a pull request for this branch may already exist`;
    default:
      return said;
  }
}
