import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../test/helpers/cleanup.js';
import { detachedClone, fileHashes, tempRepo, type TempRepo } from '../../test/helpers/git.js';
import { Repo } from './repo.js';
import { createThrowawayWorktree } from './worktree.js';

const { track, removeLater } = cleanupAfterEach();

/** Everything about the user's checkout that a dry run must leave as it was. */
function snapshot(t: TempRepo): Record<string, unknown> {
  return {
    head: t.git('rev-parse', 'HEAD'),
    symbolicHead: readFileSync(join(t.dir, '.git/HEAD'), 'utf8'),
    branches: t.git('for-each-ref', '--format=%(refname) %(objectname)'),
    status: t.git('status', '--porcelain', '--ignored'),
    index: t.git('ls-files', '--stage'),
    worktrees: t.git('worktree', 'list', '--porcelain'),
    files: fileHashes(t.dir),
  };
}

function userRepo(): TempRepo {
  const t = track(tempRepo({ 'src/a.ts': 'export const a = 1;\n', '.gitignore': 'node_modules/\n' }));
  t.commit('second', { 'src/b.ts': 'export const b = 2;\n' });
  t.write({ 'src/a.ts': 'uncommitted user edit\n', 'scratch.txt': 'untracked user file\n' });
  mkdirSync(join(t.dir, 'node_modules/.bin'), { recursive: true });
  mkdirSync(join(t.dir, 'node_modules/@scope/pkg'), { recursive: true });
  writeFileSync(join(t.dir, 'node_modules/@scope/pkg/index.js'), 'module.exports = 42;\n');
  writeFileSync(join(t.dir, 'node_modules/.package-lock.json'), '{}\n');
  return t;
}

describe('createThrowawayWorktree', () => {
  it('checks out the commit outside the repo, and create + modify + remove leaves the user checkout unchanged', async () => {
    const t = userRepo();
    const repo = await Repo.open(t.dir);
    const before = snapshot(t);
    const first = t.git('rev-parse', 'HEAD~1').trim();

    const worktree = await createThrowawayWorktree(repo, first);
    expect(worktree.dir.startsWith(t.dir)).toBe(false);
    expect(worktree.repo.root).toBe(worktree.dir);
    expect(await worktree.repo.headSha()).toBe(first);
    expect(await worktree.repo.currentBranch()).toBeNull();
    expect(readFileSync(join(worktree.dir, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect(existsSync(join(worktree.dir, 'src/b.ts'))).toBe(false);
    expect(await worktree.repo.dirtyPaths([])).toEqual([]);

    writeFileSync(join(worktree.dir, 'src/a.ts'), 'dry-run change\n');
    writeFileSync(join(worktree.dir, 'src/new.ts'), 'new\n');
    await worktree.repo.commitAll(['src/a.ts'], 'a commit in the throwaway worktree');
    await worktree.remove();
    await worktree.remove();

    expect(existsSync(worktree.dir)).toBe(false);
    expect(snapshot(t)).toEqual(before);
    const metadata = join(t.dir, '.git/worktrees');
    expect(existsSync(metadata) ? readdirSync(metadata) : []).toEqual([]);
    expect(readFileSync(join(t.dir, 'node_modules/@scope/pkg/index.js'), 'utf8')).toBe('module.exports = 42;\n');
  });

  it('links the ignored node_modules in so that it resolves and stays out of git status', async () => {
    const t = userRepo();
    const worktree = await createThrowawayWorktree(await Repo.open(t.dir), 'HEAD');
    removeLater(worktree.dir);
    const linked = join(worktree.dir, 'node_modules/@scope');
    expect(lstatSync(linked).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(linked, 'pkg/index.js'), 'utf8')).toBe('module.exports = 42;\n');
    expect(await worktree.repo.dirtyPaths([])).toEqual([]);
    expect(await worktree.repo.diffWorkingTree()).toBe('');
    await worktree.remove();
    expect(existsSync(join(t.dir, 'node_modules/@scope/pkg/index.js'))).toBe(true);
    expect(existsSync(join(t.dir, 'node_modules/.package-lock.json'))).toBe(true);
  });

  it('does not link node_modules that git does not ignore', async () => {
    const t = userRepo();
    t.write({ '.gitignore': '' });
    const worktree = await createThrowawayWorktree(await Repo.open(t.dir), 'HEAD');
    removeLater(worktree.dir);
    expect(existsSync(join(worktree.dir, 'node_modules'))).toBe(false);
    await worktree.remove();
  });

  it('checks out a `git stash create` snapshot, so a dry run sees the user\'s uncommitted edits', async () => {
    const t = userRepo();
    const repo = await Repo.open(t.dir);
    const before = snapshot(t);
    const worktree = await createThrowawayWorktree(repo, (await repo.stashCreate()) ?? 'HEAD');
    expect(readFileSync(join(worktree.dir, 'src/a.ts'), 'utf8')).toBe('uncommitted user edit\n');
    await worktree.remove();
    expect(snapshot(t)).toEqual(before);
  });

  it('works from a detached shallow clone', async () => {
    const source = track(tempRepo({ 'a.txt': 'a\n' }));
    const clone = track(detachedClone(source.dir, { depth: 1 }));
    const before = snapshot(clone);
    const worktree = await createThrowawayWorktree(await Repo.open(clone.dir), 'HEAD');
    expect(readFileSync(join(worktree.dir, 'a.txt'), 'utf8')).toBe('a\n');
    await worktree.remove();
    expect(snapshot(clone)).toEqual(before);
  });

  it('cleans up after itself when the commit does not exist', async () => {
    const t = userRepo();
    const before = snapshot(t);
    await expect(createThrowawayWorktree(await Repo.open(t.dir), 'no-such-commit')).rejects.toThrow(/^git worktree failed: /);
    expect(snapshot(t)).toEqual(before);
  });
});
