import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../test/helpers/cleanup.js';
import { detachedClone, fileHashes, makeTempDir, tempRepo, type TempRepo } from '../../test/helpers/git.js';
import { GitOperationError, UsageError } from '../errors.js';
import { parsePorcelainZ, Repo } from './repo.js';

const FILES = { 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n', '.gitignore': 'dist/\n' };

const { track, removeLater } = cleanupAfterEach();

async function setup(files: Record<string, string> = FILES): Promise<{ t: TempRepo; repo: Repo }> {
  const t = track(tempRepo(files));
  return { t, repo: await Repo.open(t.dir) };
}

async function detached(): Promise<{ t: TempRepo; repo: Repo; source: TempRepo }> {
  const source = track(tempRepo(FILES));
  source.commit('second', { 'src/c.ts': 'export const c = 3;\n' });
  const t = track(detachedClone(source.dir, { depth: 1 }));
  return { t, repo: await Repo.open(t.dir), source };
}

describe('Repo.open', () => {
  it('finds the top level from a subfolder', async () => {
    const { t } = await setup();
    expect((await Repo.open(join(t.dir, 'src'))).root).toBe(t.dir);
  });

  it('throws a UsageError outside a repository or for a missing folder', async () => {
    const dir = removeLater(makeTempDir());
    await expect(Repo.open(dir)).rejects.toThrow(new UsageError(`not inside a git repository: ${dir}`));
    await expect(Repo.open(join(dir, 'missing'))).rejects.toBeInstanceOf(UsageError);
  });
});

describe('reading HEAD', () => {
  it('reads sha, branch and message on a branch', async () => {
    const { t, repo } = await setup();
    t.commit('fix: something\n\nbody line\n\nFleet-Orch-Run: 1');
    expect(await repo.headSha()).toBe(t.headSha());
    expect(await repo.currentBranch()).toBe('main');
    expect(await repo.headMessage()).toBe('fix: something\n\nbody line\n\nFleet-Orch-Run: 1');
  });

  it('works in a detached shallow clone, as CI checks out', async () => {
    const { t, repo, source } = await detached();
    expect(await repo.currentBranch()).toBeNull();
    expect(await repo.headSha()).toBe(source.headSha());
    expect(await repo.headMessage()).toBe('second');
    expect(t.git('rev-parse', '--is-shallow-repository').trim()).toBe('true');
  });
});

describe('dirtyPaths', () => {
  it('lists porcelain lines, ignoring the given folders but not ignored-by-git files', async () => {
    const { t, repo } = await setup();
    t.write({ 'src/a.ts': 'changed\n', 'logs/run.json': '{}', 'logs/deep/x.txt': 'x', 'notes/new.md': 'n', 'dist/out.js': 'x' });
    t.git('mv', 'src/b.ts', 'src/b2.ts');
    expect((await repo.dirtyPaths(['logs/'])).sort()).toEqual([' M src/a.ts', '?? notes/new.md', 'R  src/b.ts -> src/b2.ts']);
    expect(await repo.dirtyPaths(['./logs', 'notes', 'src'])).toEqual([]);
    expect(await repo.dirtyPaths([''])).toHaveLength(5);
  });

  it('is empty for a clean tree', async () => {
    const { repo } = await setup();
    expect(await repo.dirtyPaths([])).toEqual([]);
  });
});

describe('branches', () => {
  it('creates a branch without switching and lists it', async () => {
    const { t, repo } = await setup();
    const first = t.headSha();
    t.commit('second', { 'src/a.ts': 'two\n' });
    await repo.createBranch('backup/pre-orchestration-20261122_001234', first);
    expect(await repo.branchExists('backup/pre-orchestration-20261122_001234')).toBe(true);
    expect(await repo.branchExists('backup')).toBe(false);
    expect(await repo.listBranches()).toEqual(['backup/pre-orchestration-20261122_001234', 'main']);
    expect(await repo.currentBranch()).toBe('main');
    expect(t.git('rev-parse', 'backup/pre-orchestration-20261122_001234').trim()).toBe(first);
  });

  it('switches to a new branch from a detached HEAD, keeping the working tree', async () => {
    const { t, repo, source } = await detached();
    t.write({ 'src/a.ts': 'dirty\n' });
    await repo.switchToNewBranch('fleet-orch/fix-20261122-001234-a1b2');
    expect(await repo.currentBranch()).toBe('fleet-orch/fix-20261122-001234-a1b2');
    expect(await repo.headSha()).toBe(source.headSha());
    expect(t.read('src/a.ts')).toBe('dirty\n');
    expect(t.git('status', '--porcelain')).toBe(' M src/a.ts\n');
  });

  it('goes back to a branch or a detached commit and deletes a merged branch, never an unmerged one', async () => {
    const { t, repo } = await setup();
    const start = t.headSha();
    await repo.switchToNewBranch('fleet-orch/fix-1');
    await repo.checkout('main');
    expect(await repo.currentBranch()).toBe('main');
    await repo.deleteBranch('fleet-orch/fix-1');
    expect(await repo.listBranches()).toEqual(['main']);

    await repo.switchToNewBranch('fleet-orch/fix-2');
    t.commit('kept work', { 'src/a.ts': 'kept\n' });
    await repo.checkout(start);
    expect(await repo.currentBranch()).toBeNull();
    expect(await repo.headSha()).toBe(start);
    await expect(repo.deleteBranch('fleet-orch/fix-2')).rejects.toThrow(/^git branch failed: error: .*not fully merged/);
    expect(await repo.branchExists('fleet-orch/fix-2')).toBe(true);
  });

  it('diffs two commits', async () => {
    const { t, repo } = await setup();
    const start = t.headSha();
    t.commit('change', { 'src/a.ts': 'export const a = 2;\n' });
    const diff = await repo.diffRange(start, 'HEAD');
    expect(diff).toContain('diff --git a/src/a.ts b/src/a.ts');
    expect(diff).toContain('+export const a = 2;');
    expect(await repo.diffRange('HEAD', 'HEAD')).toBe('');
  });

  it('reports git failures as one-line GitOperationErrors and refuses option-like refs', async () => {
    const { repo } = await setup();
    const error = await repo.createBranch('main', 'HEAD').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitOperationError);
    expect((error as Error).message).toMatch(/^git branch failed: fatal: .*main.* already exists/);
    expect((error as Error).message).not.toContain('\n');
    await expect(repo.createBranch('--force', 'HEAD')).rejects.toThrow(/refusing git ref argument/);
    await expect(repo.resetHard('-q')).rejects.toBeInstanceOf(GitOperationError);
    await expect(repo.commitsSince('no-such-ref')).rejects.toThrow(/^git log failed: /);
  });
});

describe('ensureIdentity', () => {
  const isolated = (home: string): Record<string, string> => ({
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
  });

  it('sets a local identity only when none is configured at any level', async () => {
    const t = track(tempRepo(FILES, { identity: false }));
    const home = removeLater(makeTempDir());
    const repo = await Repo.open(t.dir, { env: isolated(home) });
    await repo.ensureIdentity('fleet-orch', 'fleet-orch@example.invalid');
    expect(t.git('config', '--local', 'user.name').trim()).toBe('fleet-orch');
    expect(t.git('config', '--local', 'user.email').trim()).toBe('fleet-orch@example.invalid');
  });

  it('keeps an identity configured globally (and does not copy it locally)', async () => {
    const t = track(tempRepo(FILES, { identity: false }));
    const home = removeLater(makeTempDir());
    writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = Dev Person\n');
    const repo = await Repo.open(t.dir, { env: isolated(home) });
    await repo.ensureIdentity('fleet-orch', 'fleet-orch@example.invalid');
    expect(t.git('config', '--local', '--default', 'unset', 'user.name').trim()).toBe('unset');
    expect(t.git('config', '--local', 'user.email').trim()).toBe('fleet-orch@example.invalid');
  });
});

describe('commitAll', () => {
  it('commits exactly the given paths, including new and deleted files, and leaves other changes alone', async () => {
    const { t, repo } = await setup();
    t.write({ 'src/a.ts': 'fixed\n', 'src/new.ts': 'new\n', 'user-staged.txt': 'mine\n', 'src/untouched-edit.ts': 'x' });
    rmSync(join(t.dir, 'src/b.ts'));
    t.git('add', 'user-staged.txt');
    const sha = await repo.commitAll(['src/a.ts', 'src/new.ts', 'src/b.ts'], 'fix(lint): x\n\nFleet-Orch-Run: r1\n');
    expect(sha).toBe(t.headSha());
    expect(t.git('show', '--name-status', '--format=', 'HEAD').trim().split('\n').sort()).toEqual([
      'A\tsrc/new.ts',
      'D\tsrc/b.ts',
      'M\tsrc/a.ts',
    ]);
    expect(t.git('log', '-1', '--format=%B').trim()).toBe('fix(lint): x\n\nFleet-Orch-Run: r1');
    expect(t.git('status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual(['?? src/untouched-edit.ts', 'A  user-staged.txt']);
  });

  it('commits on a detached HEAD and handles names with glob characters literally', async () => {
    const { t, repo, source } = await detached();
    t.write({ 'src/[id].ts': 'route\n', 'src/i.ts': 'not matched by the glob\n' });
    const sha = await repo.commitAll(['src/[id].ts'], 'add route');
    expect(t.git('show', '--name-only', '--format=', sha).trim()).toBe('src/[id].ts');
    expect(t.git('rev-parse', 'HEAD~1').trim()).toBe(source.headSha());
    expect(await repo.currentBranch()).toBeNull();
  });

  it('does not run hooks', async () => {
    const { t, repo } = await setup();
    writeFileSync(join(t.dir, '.git/hooks/pre-commit'), '#!/bin/sh\necho ran > hook-ran\nexit 1\n', { mode: 0o755 });
    t.write({ 'src/a.ts': 'fixed\n' });
    await repo.commitAll(['src/a.ts'], 'fix');
    expect(existsSync(join(t.dir, 'hook-ran'))).toBe(false);
  });

  it('fails when there is nothing to commit', async () => {
    const { repo } = await setup();
    await expect(repo.commitAll(['src/a.ts'], 'nothing')).rejects.toThrow(/^git commit failed: /);
    await expect(repo.commitAll([], 'nothing')).rejects.toThrow('nothing to commit: no paths given');
  });
});

describe('resetHard, commitsSince, stashCreate', () => {
  it('lists commits since a base, oldest first, and resets back', async () => {
    const { t, repo } = await setup();
    const base = t.headSha();
    const one = t.commit('one', { 'src/a.ts': '1\n' });
    const two = t.commit('two\n\nwith a body', { 'src/a.ts': '2\n' });
    expect(await repo.commitsSince(base)).toEqual([
      { sha: one, subject: 'one' },
      { sha: two, subject: 'two' },
    ]);
    await repo.resetHard(base);
    expect(t.headSha()).toBe(base);
    expect(await repo.commitsSince(base)).toEqual([]);
    expect(t.read('src/a.ts')).toBe(FILES['src/a.ts']);
  });

  it('snapshots a dirty tree without touching it', async () => {
    const { t, repo } = await setup();
    expect(await repo.stashCreate()).toBeNull();
    t.write({ 'src/a.ts': 'dirty\n' });
    const before = t.git('status', '--porcelain');
    const sha = await repo.stashCreate();
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(t.git('show', `${sha}:src/a.ts`)).toBe('dirty\n');
    expect(t.git('status', '--porcelain')).toBe(before);
    expect(t.git('stash', 'list')).toBe('');
  });
});

describe('discardChanges', () => {
  it('restores the listed tracked files and deletes the listed untracked ones, never ignored or unlisted files', async () => {
    const { t, repo } = await setup();
    const before = fileHashes(t.dir);
    t.write({ 'src/a.ts': 'patched\n', 'src/created.ts': 'new\n', 'dist/created.js': 'ignored\n', 'mine.txt': 'user\n' });
    rmSync(join(t.dir, 'src/b.ts'));
    await repo.discardChanges(['src/a.ts', 'src/b.ts', 'src/created.ts', 'dist/created.js']);
    expect(t.git('status', '--porcelain')).toBe('?? mine.txt\n');
    expect(existsSync(join(t.dir, 'dist/created.js'))).toBe(true);
    const after = fileHashes(t.dir);
    delete after['mine.txt'];
    delete after['dist/created.js'];
    expect(after).toEqual(before);
  });

  it('keeps a staged new file the user made, restoring it from the index', async () => {
    const { t, repo } = await setup();
    t.write({ 'staged.ts': 'staged\n' });
    t.git('add', 'staged.ts');
    t.write({ 'staged.ts': 'patched on top\n' });
    await repo.discardChanges(['staged.ts']);
    expect(t.read('staged.ts')).toBe('staged\n');
    expect(t.git('status', '--porcelain')).toBe('A  staged.ts\n');
  });

  it('without paths restores every tracked file and keeps untracked ones', async () => {
    const { t, repo } = await setup();
    t.write({ 'src/a.ts': 'patched\n', 'untracked.txt': 'keep\n' });
    rmSync(join(t.dir, 'src/b.ts'));
    t.git('add', 'src/a.ts');
    await repo.discardChanges();
    expect(t.git('status', '--porcelain')).toBe('?? untracked.txt\n');
    expect(t.read('src/a.ts')).toBe(FILES['src/a.ts']);
  });
});

describe('diffWorkingTree', () => {
  it('shows changes, deletions and untracked files, and leaves the index as it was', async () => {
    const { t, repo } = await setup();
    t.write({ 'src/a.ts': 'changed\n', 'src/new dir/new.ts': 'brand new\n', 'dist/ignored.js': 'x' });
    rmSync(join(t.dir, 'src/b.ts'));
    t.write({ 'staged.txt': 'staged\n' });
    t.git('add', 'staged.txt');
    const statusBefore = t.git('status', '--porcelain');
    const indexBefore = t.git('ls-files', '--stage');
    const diff = await repo.diffWorkingTree();
    expect(diff).toContain('diff --git a/src/a.ts b/src/a.ts');
    expect(diff).toContain('+++ b/src/new dir/new.ts');
    expect(diff).toContain('+brand new');
    expect(diff).toContain('deleted file mode');
    expect(diff).toContain('+++ b/staged.txt');
    expect(diff).not.toContain('ignored.js');
    expect(t.git('status', '--porcelain')).toBe(statusBefore);
    expect(t.git('ls-files', '--stage')).toBe(indexBefore);

    // The diff is complete: applied to a clean copy it reproduces the tree.
    const copy = track(detachedClone(t.dir));
    writeFileSync(join(copy.dir, 'change.diff'), diff);
    copy.git('apply', 'change.diff');
    rmSync(join(copy.dir, 'change.diff'));
    const expected = fileHashes(t.dir);
    delete expected['dist/ignored.js'];
    expect(fileHashes(copy.dir)).toEqual(expected);
  });

  it('is empty for a clean tree', async () => {
    const { repo } = await setup();
    expect(await repo.diffWorkingTree()).toBe('');
  });
});

describe('isIgnored', () => {
  it('tells ignored untracked paths from others', async () => {
    const { t, repo } = await setup();
    mkdirSync(join(t.dir, 'dist'));
    writeFileSync(join(t.dir, 'dist/x.js'), 'x');
    expect(await repo.isIgnored('dist')).toBe(true);
    expect(await repo.isIgnored('src')).toBe(false);
    expect(await repo.isIgnored('missing')).toBe(false);
  });
});

describe('parsePorcelainZ', () => {
  it('reads plain entries and renames with their source', () => {
    expect(parsePorcelainZ(' M a b.ts\0R  new.ts\0old.ts\0?? x\0')).toEqual([
      { line: ' M a b.ts', paths: ['a b.ts'] },
      { line: 'R  old.ts -> new.ts', paths: ['old.ts', 'new.ts'] },
      { line: '?? x', paths: ['x'] },
    ]);
  });
});
