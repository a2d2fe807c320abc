import { describe, expect, it } from 'vitest';
import { detectCi } from '../ci/detect.js';
import { deliveryPlatform } from './platform.js';

const names = { azure_token_env: 'SYSTEM_ACCESSTOKEN', github_token_env: 'GITHUB_TOKEN' };
const token = `tok-${'w'.repeat(30)}`;

function platformFor(env: NodeJS.ProcessEnv, config = names) {
  return deliveryPlatform(detectCi(env), env, config);
}

describe('deliveryPlatform', () => {
  it('Azure: bearer header from SYSTEM_ACCESSTOKEN and the Azure Repos target', () => {
    const platform = platformFor({
      TF_BUILD: 'True',
      SYSTEM_ACCESSTOKEN: token,
      SYSTEM_COLLECTIONURI: 'https://dev.azure.com/contoso',
      SYSTEM_TEAMPROJECT: 'Fleet Ops',
      BUILD_REPOSITORY_ID: 'c0ffee',
      BUILD_REPOSITORY_PROVIDER: 'TfsGit',
      BUILD_REPOSITORY_URI: 'https://dev.azure.com/contoso/Fleet%20Ops/_git/app',
    });
    expect(platform).toEqual({
      tokenEnv: 'SYSTEM_ACCESSTOKEN',
      token,
      gitAuthHeader: `AUTHORIZATION: bearer ${token}`,
      derivedSecrets: [],
      pullRequests: {
        kind: 'azure',
        collectionUri: 'https://dev.azure.com/contoso/',
        project: 'Fleet Ops',
        repositoryId: 'c0ffee',
        repositoryUri: 'https://dev.azure.com/contoso/Fleet%20Ops/_git/app',
      },
    });
  });

  it('Azure: missing variables and other providers are named', () => {
    expect(platformFor({ TF_BUILD: 'True', SYSTEM_TEAMPROJECT: 'p' }).pullRequests).toEqual({
      kind: 'unsupported',
      reason: 'SYSTEM_COLLECTIONURI, BUILD_REPOSITORY_ID not set',
    });
    expect(platformFor({ TF_BUILD: 'True', BUILD_REPOSITORY_PROVIDER: 'GitHub' }).pullRequests.kind).toBe('unsupported');
    expect(platformFor({ TF_BUILD: 'True' }).token).toBeNull();
  });

  it('GitHub: basic x-access-token header (a derived secret), api URL overridable', () => {
    const platform = platformFor({ GITHUB_ACTIONS: 'true', GITHUB_TOKEN: token, GITHUB_REPOSITORY: 'contoso/fleet', GITHUB_API_URL: 'http://127.0.0.1:9/api/v3/' });
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    expect(platform.gitAuthHeader).toBe(`AUTHORIZATION: basic ${basic}`);
    expect(platform.derivedSecrets).toEqual([basic]);
    expect(platform.pullRequests).toEqual({ kind: 'github', apiUrl: 'http://127.0.0.1:9/api/v3', owner: 'contoso', repo: 'fleet' });
    expect(platformFor({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'contoso/fleet' }).pullRequests).toMatchObject({ apiUrl: 'https://api.github.com' });
  });

  it('the token variable is configurable; local and GitLab runs cannot open pull requests', () => {
    expect(platformFor({ GITHUB_ACTIONS: 'true', BOT_PAT: token }, { ...names, github_token_env: 'BOT_PAT' }).token).toBe(token);
    expect(platformFor({ GITHUB_TOKEN: token })).toMatchObject({ token: null, gitAuthHeader: null, pullRequests: { kind: 'unsupported' } });
    expect(platformFor({ GITLAB_CI: 'true' }).pullRequests).toMatchObject({ reason: expect.stringContaining('GitLab') });
  });
});
