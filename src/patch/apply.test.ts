import { readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../test/helpers/cleanup.js';
import { detachedClone, fileHashes, makeTempDir, tempRepo, type TempRepo } from '../../test/helpers/git.js';
import { A_TS, MODIFY_A_TS } from '../../test/helpers/patches.js';
import { Repo } from '../git/repo.js';
import { applyPatch, planPatch, unsafePathReason } from './apply.js';

const FILES = { 'src/a.ts': A_TS, 'a.ts': A_TS, 'src/old.ts': 'export const old = 1;\n' };

const MODIFY = `diff --git a/src/a.ts b/src/a.ts\n${MODIFY_A_TS}`;

const { track, removeLater } = cleanupAfterEach();

async function setup(make: () => TempRepo = () => tempRepo(FILES)): Promise<{ t: TempRepo; repo: Repo }> {
  const t = track(make());
  return { t, repo: await Repo.open(t.dir) };
}

async function expectRefused(diff: string, reason: RegExp): Promise<void> {
  const { t, repo } = await setup();
  const before = fileHashes(t.dir);
  const result = await applyPatch(repo, diff);
  expect(result).toEqual({ applied: false, reason: expect.stringMatching(reason) });
  expect(fileHashes(t.dir)).toEqual(before);
  expect(t.git('status', '--porcelain')).toBe('');
}

describe('applyPatch applies', () => {
  it('a git diff, to the working tree only', async () => {
    const { t, repo } = await setup();
    expect(await applyPatch(repo, MODIFY)).toEqual({ applied: true, files: ['src/a.ts'], method: 'git-apply' });
    expect(t.read('src/a.ts')).toBe(A_TS.replace('b = 2', 'b = 3'));
    expect(t.read('a.ts')).toBe(A_TS);
    expect(t.git('status', '--porcelain')).toBe(' M src/a.ts\n');
  });

  it('a diff that lacks its trailing newline', async () => {
    const { t, repo } = await setup();
    expect(await applyPatch(repo, MODIFY.trimEnd())).toEqual({ applied: true, files: ['src/a.ts'], method: 'git-apply' });
    expect(t.read('src/a.ts')).toContain('const b = 3;');
  });

  it('a diff with wrong @@ counts and no trailing newline, by recounting', async () => {
    const { t, repo } = await setup();
    const sloppy = MODIFY.replace('@@ -1,3 +1,3 @@', '@@ -1,4 +1,5 @@').trimEnd();
    expect(await applyPatch(repo, sloppy)).toEqual({ applied: true, files: ['src/a.ts'], method: 'git-apply-recount' });
    expect(t.read('src/a.ts')).toContain('const b = 3;');
  });

  it('a diff with bare names to the named file, not to a file one folder up', async () => {
    const { t, repo } = await setup();
    const bare = MODIFY.replace('diff --git a/src/a.ts b/src/a.ts\n', '').replaceAll('a/src/a.ts', 'src/a.ts').replaceAll('b/src/a.ts', 'src/a.ts');
    expect(await applyPatch(repo, bare)).toMatchObject({ applied: true, files: ['src/a.ts'] });
    expect(t.read('src/a.ts')).toContain('const b = 3;');
    expect(t.read('a.ts')).toBe(A_TS);
  });

  it('new, deleted and renamed files, reporting old and new names', async () => {
    const { t, repo } = await setup();
    t.write({ 'src/created.ts': 'export const created = true;\n' });
    t.git('rm', '-q', 'a.ts');
    t.git('mv', 'src/old.ts', 'src/renamed.ts');
    t.git('add', '-A');
    const diff = t.git('diff', '--cached', '-M', 'HEAD');
    t.git('reset', '-q', '--hard');
    const before = fileHashes(t.dir);

    const result = await applyPatch(repo, diff);
    expect(result).toMatchObject({ applied: true, method: 'git-apply' });
    expect(result.applied && [...result.files].sort()).toEqual(['a.ts', 'src/created.ts', 'src/old.ts', 'src/renamed.ts']);
    expect(t.git('status', '--porcelain', '-uall').split('\n').filter(Boolean).sort()).toEqual([
      ' D a.ts',
      ' D src/old.ts',
      '?? src/created.ts',
      '?? src/renamed.ts',
    ]);

    // The reported files are what it takes to undo the patch.
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

describe('applyPatch refuses, leaving the tree unchanged,', () => {
  it('a patch whose context does not match, with git’s reason', async () => {
    await expectRefused(MODIFY.replace(' const a = 1;', ' const a = 100;'), /^patch does not apply: git apply failed: error: patch failed: src\/a\.ts:1; .* \(also with --recount\)$/);
  });

  it('an empty diff or prose', async () => {
    await expectRefused('', /^empty diff$/);
    await expectRefused('  \n', /^empty diff$/);
    await expectRefused('I could not find a fix.\n', /^empty diff: no file headers/);
  });

  it('paths outside the repository', async () => {
    await expectRefused(MODIFY.replaceAll('src/a.ts', '../outside.ts'), /^path outside the repository: \.\.\/outside\.ts$/);
    await expectRefused(MODIFY.replaceAll('src/a.ts', 'src/../../outside.ts'), /^path outside the repository/);
    const absolute = '--- /dev/null\n+++ /tmp/evil.ts\n@@ -0,0 +1 @@\n+x\n';
    await expectRefused(absolute, /^absolute path: \/tmp\/evil\.ts$/);
  });

  it('paths inside .git, however spelled', async () => {
    const hook = '--- /dev/null\n+++ b/.git/hooks/pre-commit\n@@ -0,0 +1 @@\n+echo pwned\n';
    await expectRefused(hook, /^path inside \.git: \.git\/hooks\/pre-commit$/);
    await expectRefused(hook.replace('.git/', '.GIT/'), /^path inside \.git/);
    await expectRefused(hook.replace('.git/', 'vendor/lib/.git/'), /^path inside \.git/);
  });

  it('binary patches, symlinks and submodules', async () => {
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
    expect(result).toEqual({ applied: false, reason: expect.stringMatching(/beyond a symbolic link/) });
    expect(readdirSync(outside)).toEqual([]);
  });

  it('names written with a/ b/ in one file and bare in another', async () => {
    const mixed = `${MODIFY}--- a.ts\n+++ a.ts\n@@ -1 +1 @@\n-const a = 1;\n+const a = 2;\n`;
    await expectRefused(mixed, /^inconsistent file names/);
    await expectRefused(MODIFY.replace('+++ b/src/a.ts', '+++ src/a.ts'), /^inconsistent file names/);
  });

  it('a diff git reads differently from fleet-orch', async () => {
    // jsdiff trims the trailing space off the name; git would create `src/new.ts ` and a commit of
    // `src/new.ts` would then miss it. Refuse rather than guess.
    const trailingSpace = '--- /dev/null\n+++ b/src/new.ts \n@@ -0,0 +1 @@\n+export {};\n';
    await expectRefused(trailingSpace, /^git reads other files from the diff than expected: expected src\/new\.ts; git: src\/new\.ts $/);
  });
});

describe('planPatch', () => {
  it('chooses -p1 for prefixed names and -p0 for bare ones', () => {
    expect(planPatch(MODIFY)).toMatchObject({ ok: true, stripComponents: 1, files: ['src/a.ts'] });
    expect(planPatch('--- src/a.ts\n+++ src/a.ts\n@@ -1 +1 @@\n-x\n+y\n')).toMatchObject({ ok: true, stripComponents: 0 });
  });
});

describe('unsafePathReason', () => {
  it('accepts ordinary repository paths', () => {
    for (const path of ['src/a.ts', '.github/x.yml', 'a/.gitignore', '.gitkeep', 'docs/..hidden', 'x/git~2']) {
      expect(unsafePathReason(path), path).toBeNull();
    }
  });

  it('refuses escapes, .git and odd names', () => {
    for (const path of ['/etc/passwd', 'C:/x', '\\\\server\\share', 'a/../../b', 'a\\..\\b', '.git', 'x/.git./config', 'GIT~1/config', '', 'a\nb']) {
      expect(unsafePathReason(path), path).not.toBeNull();
    }
  });
});
