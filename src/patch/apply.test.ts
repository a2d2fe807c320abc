import { readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../test/helpers/cleanup.js';
import { detachedClone, fileHashes, makeTempDir, tempRepo, type TempRepo } from '../../test/helpers/git.js';
import { A_TS, MODIFY_A_TS } from '../../test/helpers/patches.js';
import { Repo } from '../git/repo.js';
import { applyPatch, type PatchOptions } from './apply.js';

const FILES = { 'src/a.ts': A_TS, 'a.ts': A_TS, 'src/old.ts': 'export const old = 1;\n', 'config.yaml': 'x: 1\n' };

const MODIFY = `diff --git a/src/a.ts b/src/a.ts\n${MODIFY_A_TS}`;

const { track, removeLater } = cleanupAfterEach();

async function setup(make: () => TempRepo = () => tempRepo(FILES)): Promise<{ t: TempRepo; repo: Repo }> {
  const t = track(make());
  return { t, repo: await Repo.open(t.dir) };
}

async function expectRefused(diff: string, reason: RegExp, options?: PatchOptions): Promise<void> {
  const { t, repo } = await setup();
  const before = fileHashes(t.dir);
  const result = await applyPatch(repo, diff, options);
  expect(result).toEqual({ applied: false, reason: expect.stringMatching(reason) });
  expect(fileHashes(t.dir)).toEqual(before);
  expect(t.git('status', '--porcelain')).toBe('');
}

describe('applyPatch applies', () => {
  it('a git diff, to the working tree only, reporting where each hunk went', async () => {
    const { t, repo } = await setup();
    expect(await applyPatch(repo, MODIFY)).toEqual({
      applied: true,
      files: ['src/a.ts'],
      method: 'exact',
      hunks: [{ file: 'src/a.ts', hunk: 1, stage: 'exact', at: 1 }],
    });
    expect(t.read('src/a.ts')).toBe(A_TS.replace('b = 2', 'b = 3'));
    expect(t.read('a.ts')).toBe(A_TS);
    expect(t.git('status', '--porcelain')).toBe(' M src/a.ts\n');
  });

  it('a model diff git apply refuses: wrong line numbers and counts, drifted indentation, no trailing newline', async () => {
    const { t, repo } = await setup();
    const sloppy = MODIFY.replace('@@ -1,3 +1,3 @@', '@@ -7,4 +7,5 @@').replace(' export { a, b };', '    export { a, b };').trimEnd();
    expect(await applyPatch(repo, sloppy)).toMatchObject({ applied: true, method: 'whitespace', hunks: [{ stage: 'whitespace', at: 1 }] });
    expect(t.read('src/a.ts')).toBe(A_TS.replace('b = 2', 'b = 3'));
  });

  it('a diff with bare names to the named file, not to a file one folder up', async () => {
    const { t, repo } = await setup();
    const bare = MODIFY.replace('diff --git a/src/a.ts b/src/a.ts\n', '').replaceAll('a/src/a.ts', 'src/a.ts').replaceAll('b/src/a.ts', 'src/a.ts');
    expect(await applyPatch(repo, bare)).toMatchObject({ applied: true, files: ['src/a.ts'] });
    expect(t.read('src/a.ts')).toContain('const b = 3;');
    expect(t.read('a.ts')).toBe(A_TS);
  });

  it('new, deleted and renamed files, reporting old and new names so the change can be undone', async () => {
    const { t, repo } = await setup();
    t.write({ 'src/created.ts': 'export const created = true;\n' });
    t.git('rm', '-q', 'a.ts');
    t.git('mv', 'src/old.ts', 'src/renamed.ts');
    t.git('add', '-A');
    const diff = t.git('diff', '--cached', '-M', 'HEAD');
    t.git('reset', '-q', '--hard');
    const before = fileHashes(t.dir);

    const result = await applyPatch(repo, diff);
    expect(result).toMatchObject({ applied: true, method: 'exact' });
    expect(result.applied && [...result.files].sort()).toEqual(['a.ts', 'src/created.ts', 'src/old.ts', 'src/renamed.ts']);
    expect(t.git('status', '--porcelain', '-uall').split('\n').filter(Boolean).sort()).toEqual([
      ' D a.ts',
      ' D src/old.ts',
      '?? src/created.ts',
      '?? src/renamed.ts',
    ]);
    await repo.discardChanges(result.applied ? result.files : []);
    expect(fileHashes(t.dir)).toEqual(before);
  });

  it('in a detached shallow clone, and the files commit', async () => {
    const { t, repo } = await setup(() => {
      const source = tempRepo(FILES);
      const clone = detachedClone(source.dir, { depth: 1 });
      source.cleanup();
      return clone;
    });
    const result = await applyPatch(repo, MODIFY);
    expect(result.applied).toBe(true);
    await repo.commitAll(result.applied ? result.files : [], 'fix');
    expect(t.git('status', '--porcelain')).toBe('');
    expect(t.git('show', 'HEAD:src/a.ts')).toContain('const b = 3;');
  });
});

describe('applyPatch refuses, leaving the tree unchanged, with a reason naming file and hunk', () => {
  it('a patch whose context is not in the file', async () => {
    await expectRefused(MODIFY.replace(' const a = 1;', ' const a = 100;').replace('-const b = 2;', '-const b = 200;'), /^src\/a\.ts: hunk 1 \(@@ -1,3 \+1,3 @@\) does not match the file/);
  });

  it('an empty diff or prose', async () => {
    await expectRefused('', /^no ---\/\+\+\+ file headers with @@ hunks found$/);
    await expectRefused('I could not find a fix.\n', /^no ---\/\+\+\+ file headers/);
  });

  it('paths outside the repository or inside .git', async () => {
    await expectRefused(MODIFY.replaceAll('src/a.ts', '../outside.ts'), /^path outside the directory: \.\.\/outside\.ts$/);
    await expectRefused('--- /dev/null\n+++ /tmp/evil.ts\n@@ -0,0 +1 @@\n+x\n', /^absolute path: \/tmp\/evil\.ts$/);
    await expectRefused('--- /dev/null\n+++ b/.git/hooks/pre-commit\n@@ -0,0 +1 @@\n+echo pwned\n', /^path inside \.git: \.git\/hooks\/pre-commit$/);
  });

  it('protected paths, when given', async () => {
    const edit = '--- a/config.yaml\n+++ b/config.yaml\n@@ -1 +1 @@\n-x: 1\n+x: 2\n';
    await expectRefused(edit, /^protected path: config\.yaml \(matches "config\.yaml"\)$/, { protectedPaths: ['config.yaml'] });
  });

  it('binary patches and symbolic links', async () => {
    const binary = 'diff --git a/img.png b/img.png\nnew file mode 100644\nindex 0000000..e69de29\nGIT binary patch\nliteral 3\nKcmZQzWMT#Y00aO4\n\nliteral 0\nHcmV?d00001\n\n';
    await expectRefused(binary, /^binary patch: img\.png$/);
    const link = 'diff --git a/ln b/ln\nnew file mode 120000\n--- /dev/null\n+++ b/ln\n@@ -0,0 +1 @@\n+/etc/passwd\n\\ No newline at end of file\n';
    await expectRefused(link, /^symbolic link in patch: ln$/);
  });

  it('a path that leads through a symbolic link out of the repository', async () => {
    const outside = removeLater(makeTempDir());
    const { t, repo } = await setup();
    symlinkSync(outside, join(t.dir, 'out'));
    t.commit('add a link');
    const result = await applyPatch(repo, '--- /dev/null\n+++ b/out/evil.txt\n@@ -0,0 +1 @@\n+pwned\n');
    expect(result).toEqual({ applied: false, reason: expect.stringMatching(/^path beyond a symbolic link: out\/evil\.txt/) });
    expect(readdirSync(outside)).toEqual([]);
  });
});
