import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../test/helpers/cleanup.js';
import { startGitHttpServer, type GitHttpServer } from '../../test/helpers/fake-rest.js';
import { makeTempDir, runGit, tempRepo, type TempRepo } from '../../test/helpers/git.js';
import { GitOperationError, SafetyStop } from '../errors.js';
import { isProtectedBranch } from './protected-branches.js';
import { AUTH_HEADER_ENV, pushArguments, pushBranch, type PushRequest } from './push.js';

const { track, removeLater } = cleanupAfterEach();
const servers: GitHttpServer[] = [];
afterEach(async () => {
  while (servers.length > 0) await servers.pop()?.close();
});

const token = `tok-${'q'.repeat(32)}`;
const header = `AUTHORIZATION: bearer ${token}`;

/** A bare repository with `main`, and a clone of it that has one fix commit on `fleet-orch/fix-1`. */
function setup(): { root: string; bare: string; work: TempRepo } {
  const root = removeLater(makeTempDir('fleet-orch-remote-'));
  const bare = join(root, 'app.git');
  runGit(root, ['init', '-q', '--bare', '-b', 'main', bare]);
  const work = track(tempRepo({ 'a.txt': 'one\n' }));
  work.git('remote', 'add', 'origin', bare);
  work.git('push', '-q', 'origin', 'main');
  work.git('checkout', '-q', '-b', 'fleet-orch/fix-1');
  work.commit('fix', { 'a.txt': 'two\n' });
  return { root, bare, work };
}

function request(work: TempRepo, overrides: Partial<PushRequest> = {}): PushRequest {
  return {
    root: work.dir,
    remote: 'origin',
    source: 'fleet-orch/fix-1',
    destination: 'fleet-orch/fix-1',
    authHeader: null,
    protectedBranches: [],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, GIT_CONFIG_NOSYSTEM: '1' },
    ...overrides,
  };
}

describe('pushBranch', () => {
  it('pushes over smart HTTP with the token as an extraheader that reaches the server and is never persisted', async () => {
    const { root, bare, work } = setup();
    const server = await startGitHttpServer(root, { requireAuthorization: `bearer ${token}` });
    servers.push(server);
    work.git('remote', 'set-url', 'origin', `${server.baseUrl}/app.git`);

    await pushBranch(request(work, { authHeader: header }));

    expect(runGit(bare, ['rev-parse', 'refs/heads/fleet-orch/fix-1']).trim()).toBe(work.headSha());
    expect(server.authorizations.length).toBeGreaterThan(0);
    expect(server.authorizations.every((value) => value === `bearer ${token}`)).toBe(true);
    const config = readFileSync(join(work.dir, '.git', 'config'), 'utf8');
    expect(config).not.toContain(token);
    expect(config).not.toContain('extraheader');
  });

  it('without the header the host answers 401 and the push fails with one line', async () => {
    const { root, work } = setup();
    const server = await startGitHttpServer(root, { requireAuthorization: `bearer ${token}` });
    servers.push(server);
    work.git('remote', 'set-url', 'origin', `${server.baseUrl}/app.git`);

    const failure = await pushBranch(request(work)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GitOperationError);
    expect((failure as Error).message).toMatch(/^git push to origin\/fleet-orch\/fix-1 failed: /);
    expect((failure as Error).message).not.toContain('\n');
  });

  it('a fast-forward onto an existing branch works; a non-fast-forward is rejected, never forced', async () => {
    const { bare, work } = setup();
    await pushBranch(request(work, { destination: 'feature/x' }));
    expect(runGit(bare, ['rev-parse', 'refs/heads/feature/x']).trim()).toBe(work.headSha());

    work.git('checkout', '-q', '-b', 'other', 'main');
    work.commit('diverging', { 'b.txt': 'b\n' });
    const failure = await pushBranch(request(work, { source: 'other', destination: 'feature/x' })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GitOperationError);
    expect((failure as Error).message).toContain('[rejected]');
    expect(runGit(bare, ['rev-parse', 'refs/heads/feature/x']).trim()).not.toBe(work.headSha());
  });

  it('refuses main, master and configured protected branches before git runs', async () => {
    const { bare, work } = setup();
    const before = runGit(bare, ['rev-parse', 'refs/heads/main']).trim();
    for (const destination of ['main', 'master', 'release/2.0']) {
      await expect(pushBranch(request(work, { destination, protectedBranches: ['release/*'] }))).rejects.toBeInstanceOf(SafetyStop);
    }
    expect(runGit(bare, ['rev-parse', 'refs/heads/main']).trim()).toBe(before);
  });

  it('refuses option-like remote and branch names', async () => {
    const { work } = setup();
    await expect(pushBranch(request(work, { remote: '--upload-pack=x' }))).rejects.toBeInstanceOf(GitOperationError);
    await expect(pushBranch(request(work, { destination: '-f' }))).rejects.toBeInstanceOf(GitOperationError);
    await expect(pushBranch(request(work, { destination: '+main' }))).rejects.toBeInstanceOf(GitOperationError);
  });
});

describe('pushArguments', () => {
  it('names the header variable, never its value, and never forces', () => {
    const args = pushArguments({ remote: 'origin', source: 'a', destination: 'b', authHeader: header });
    expect(args).toEqual([`--config-env=http.extraheader=${AUTH_HEADER_ENV}`, 'push', '--no-verify', '--porcelain', 'origin', 'refs/heads/a:refs/heads/b']);
    expect(args.join(' ')).not.toContain(token);
    expect(pushArguments({ remote: 'origin', source: 'a', destination: 'b', authHeader: null })[0]).toBe('push');
  });
});

describe('isProtectedBranch', () => {
  it.each([
    ['main', [], true],
    ['refs/heads/master', [], true],
    ['develop', ['develop'], true],
    ['release/2.0', ['release/*'], true],
    ['release/2.0/hotfix', ['release/*'], false],
    ['feature/main', [], false],
    ['fleet-orch/fix-1', [], false],
  ] as const)('%s with %j -> %s', (branch, configured, expected) => {
    expect(isProtectedBranch(branch, configured)).toBe(expected);
  });
});
