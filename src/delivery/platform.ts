import type { CiContext } from '../ci/detect.js';
import type { DeliveryConfig } from '../config/schema.js';

export interface AzureReposTarget {
  readonly kind: 'azure';
  /** `SYSTEM_COLLECTIONURI`, with a trailing slash. Tests point it at 127.0.0.1. */
  readonly collectionUri: string;
  readonly project: string;
  readonly repositoryId: string;
  /** `BUILD_REPOSITORY_URI`: the repository's web address, for the pull request's link. */
  readonly repositoryUri: string | null;
}

export interface GithubTarget {
  readonly kind: 'github';
  /** `GITHUB_API_URL` (GitHub Enterprise Server, tests) or https://api.github.com. */
  readonly apiUrl: string;
  readonly owner: string;
  readonly repo: string;
}

export type PullRequestTarget = AzureReposTarget | GithubTarget | { readonly kind: 'unsupported'; readonly reason: string };

/** Where and with what credentials delivery talks to the repository host. */
export interface DeliveryPlatform {
  /** The variable the token is read from; null outside Azure Pipelines / GitHub Actions. */
  readonly tokenEnv: string | null;
  readonly token: string | null;
  /** The `http.extraheader` line git sends, the way the platform's own checkout does it; null without a token. */
  readonly gitAuthHeader: string | null;
  /** Values derived from the token that must be masked and redacted too. */
  readonly derivedSecrets: readonly string[];
  readonly pullRequests: PullRequestTarget;
}

type Env = NodeJS.ProcessEnv;

/** Reads the platform's variables from the injected environment; pure. */
export function deliveryPlatform(ci: CiContext, env: Env, config: Pick<DeliveryConfig, 'azure_token_env' | 'github_token_env'>): DeliveryPlatform {
  switch (ci.kind) {
    case 'azure-pipelines': {
      const token = value(env, config.azure_token_env);
      // persistCredentials stores exactly this header for the checkout (ECOSYSTEM §1.3).
      const header = token === null ? null : `AUTHORIZATION: bearer ${token}`;
      return { tokenEnv: config.azure_token_env, token, gitAuthHeader: header, derivedSecrets: [], pullRequests: azureTarget(env) };
    }
    case 'github-actions': {
      const token = value(env, config.github_token_env);
      const basic = token === null ? null : Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64');
      return {
        tokenEnv: config.github_token_env,
        token,
        gitAuthHeader: basic === null ? null : `AUTHORIZATION: basic ${basic}`,
        derivedSecrets: basic === null ? [] : [basic],
        pullRequests: githubTarget(env),
      };
    }
    case 'gitlab':
    case 'local':
      return {
        tokenEnv: null,
        token: null,
        gitAuthHeader: null,
        derivedSecrets: [],
        pullRequests: {
          kind: 'unsupported',
          reason: `pull requests are opened from Azure Pipelines or GitHub Actions only (this run is ${ci.kind === 'gitlab' ? 'on GitLab CI' : 'local'})`,
        },
      };
  }
}

function azureTarget(env: Env): PullRequestTarget {
  const provider = value(env, 'BUILD_REPOSITORY_PROVIDER');
  if (provider !== null && provider !== 'TfsGit') {
    return { kind: 'unsupported', reason: `the repository is on ${provider}, not Azure Repos: fleet-orch opens pull requests on Azure Repos from Azure Pipelines` };
  }
  const missing = ['SYSTEM_COLLECTIONURI', 'SYSTEM_TEAMPROJECT', 'BUILD_REPOSITORY_ID'].filter((name) => value(env, name) === null);
  if (missing.length > 0) return { kind: 'unsupported', reason: `${missing.join(', ')} not set` };
  const collection = value(env, 'SYSTEM_COLLECTIONURI')!;
  return {
    kind: 'azure',
    collectionUri: collection.endsWith('/') ? collection : `${collection}/`,
    project: value(env, 'SYSTEM_TEAMPROJECT')!,
    repositoryId: value(env, 'BUILD_REPOSITORY_ID')!,
    repositoryUri: value(env, 'BUILD_REPOSITORY_URI'),
  };
}

function githubTarget(env: Env): PullRequestTarget {
  const repository = value(env, 'GITHUB_REPOSITORY');
  const match = repository === null ? null : /^([^/\s]+)\/([^/\s]+)$/.exec(repository);
  if (!match) return { kind: 'unsupported', reason: 'GITHUB_REPOSITORY (owner/repo) not set' };
  return {
    kind: 'github',
    apiUrl: (value(env, 'GITHUB_API_URL') ?? 'https://api.github.com').replace(/\/+$/, ''),
    owner: match[1]!,
    repo: match[2]!,
  };
}

function value(env: Env, name: string): string | null {
  const text = env[name]?.trim();
  return text === undefined || text === '' ? null : text;
}
