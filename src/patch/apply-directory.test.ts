import * as fsp from 'node:fs/promises';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../test/helpers/cleanup.js';
import { makeTempDir } from '../../test/helpers/git.js';
import { treeSnapshot } from '../../test/fixtures/patches/corpus.mjs';
import { applyPatchToDirectory } from './apply-directory.js';
import type { PatchOptions } from './types.js';
import { PatchRollbackError, type WriteFs } from './write-changes.js';

const { removeLater } = cleanupAfterEach();

function folder(files: Record<string, string | Buffer>): string {
  const dir = removeLater(makeTempDir('fleet-orch-patch-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const APP = 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\n';
const modify = (path: string): string => `--- a/${path}\n+++ b/${path}\n@@ -1,3 +1,3 @@\n export const a = 1;\n-export const b = 2;\n+export const b = 20;\n export const c = 3;\n`;
const create = (path: string, line = 'export {};'): string => `--- /dev/null\n+++ b/${path}\n@@ -0,0 +1 @@\n+${line}\n`;

async function expectRefused(dir: string, diff: string, reason: string | RegExp, options: PatchOptions = {}): Promise<void> {
  const before = treeSnapshot(dir);
  const outcome = await applyPatchToDirectory(dir, diff, options);
  expect(outcome).toEqual({ applied: false, kind: 'refused', reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) });
  expect(treeSnapshot(dir)).toEqual(before);
}

describe('applyPatchToDirectory changes files', () => {
  it('creates, deletes (and the folder it empties), renames with an edit, and changes modes', async () => {
    const dir = folder({ 'src/app.ts': APP, 'old/gone.ts': 'export {};\n', 'src/name.ts': APP, 'run.sh': 'echo hi\n' });
    const diff = [
      create('src/new/made.ts', 'export const made = true;'),
      'diff --git a/old/gone.ts b/old/gone.ts\ndeleted file mode 100644\n--- a/old/gone.ts\n+++ /dev/null\n@@ -1 +0,0 @@\n-export {};\n',
      `diff --git a/src/name.ts b/src/renamed.ts\nsimilarity index 90%\nrename from src/name.ts\nrename to src/renamed.ts\n${modify('src/name.ts').replace('+++ b/src/name.ts', '+++ b/src/renamed.ts')}`,
      'diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n',
    ].join('');
    const outcome = await applyPatchToDirectory(dir, diff);
    expect(outcome).toEqual({
      applied: true,
      files: ['src/new/made.ts', 'old/gone.ts', 'src/name.ts', 'src/renamed.ts', 'run.sh'],
      method: 'exact',
      hunks: [
        { file: 'src/new/made.ts', hunk: 1, stage: 'exact', at: 0 },
        { file: 'old/gone.ts', hunk: 1, stage: 'exact', at: 1 },
        { file: 'src/renamed.ts', hunk: 1, stage: 'exact', at: 1 },
      ],
    });
    expect(readFileSync(join(dir, 'src/new/made.ts'), 'utf8')).toBe('export const made = true;\n');
    expect(existsSync(join(dir, 'old'))).toBe(false);
    expect(existsSync(join(dir, 'src/name.ts'))).toBe(false);
    expect(readFileSync(join(dir, 'src/renamed.ts'), 'utf8')).toBe(APP.replace('b = 2', 'b = 20'));
    expect(statSync(join(dir, 'run.sh')).mode & 0o777).toBe(0o755);
  });

  it('writes a created file with CRLF when the diff was CRLF, and without a final newline when marked', async () => {
    const dir = folder({});
    const diff = '--- /dev/null\r\n+++ b/a.txt\r\n@@ -0,0 +1,2 @@\r\n+one\r\n+two\r\n\\ No newline at end of file\r\n';
    expect(await applyPatchToDirectory(dir, diff)).toMatchObject({ applied: true, files: ['a.txt'] });
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('one\r\ntwo');
  });

  it('keeps the mode of a file it edits', async () => {
    const dir = folder({ 'tool.sh': APP });
    await fsp.chmod(join(dir, 'tool.sh'), 0o750);
    expect(await applyPatchToDirectory(dir, modify('tool.sh'))).toMatchObject({ applied: true });
    expect(statSync(join(dir, 'tool.sh')).mode & 0o777).toBe(0o750);
  });

  it('refuses a patch that changes nothing (context only, or a mode the file already has)', async () => {
    const dir = folder({ 'a.ts': APP });
    await expectRefused(dir, '--- a/a.ts\n+++ b/a.ts\n@@ -1,2 +1,2 @@\n export const a = 1;\n export const b = 2;\n', 'the patch changes nothing');
    await expectRefused(dir, 'diff --git a/a.ts b/a.ts\nold mode 100755\nnew mode 100644\n', 'the patch changes nothing');
  });

  it('calls text that is no diff unparseable', async () => {
    expect(await applyPatchToDirectory(folder({}), 'Sorry, no patch today.\n')).toEqual({
      applied: false,
      kind: 'unparseable',
      reason: 'no ---/+++ file headers with @@ hunks found',
    });
  });
});

describe('applyPatchToDirectory guards, leaving the folder unchanged', () => {
  it('refuses paths outside, absolute or inside .git, however spelled', async () => {
    const dir = folder({ 'src/app.ts': APP });
    await expectRefused(dir, create('../escape.ts'), 'path outside the directory: ../escape.ts');
    await expectRefused(dir, create('src/../../escape.ts'), 'path outside the directory: src/../../escape.ts');
    await expectRefused(dir, create('/tmp/escape.ts').replace('+++ b//tmp', '+++ /tmp'), 'absolute path: /tmp/escape.ts');
    await expectRefused(dir, create('.git/hooks/pre-commit'), 'path inside .git: .git/hooks/pre-commit');
    await expectRefused(dir, create('vendor/.GIT/config'), 'path inside .git: vendor/.GIT/config');
  });

  it('refuses protected paths, by either name of a rename', async () => {
    const dir = folder({ '.github/workflows/ci.yml': 'on: push\n', 'config.yaml': 'a: 1\n' });
    const protectedPaths = ['.github/workflows/**', 'config.yaml'];
    await expectRefused(dir, create('.github/workflows/new.yml', 'on: pull_request'), 'protected path: .github/workflows/new.yml (matches ".github/workflows/**")', { protectedPaths });
    const rename = 'diff --git a/config.yaml b/settings.yaml\nsimilarity index 100%\nrename from config.yaml\nrename to settings.yaml\n';
    await expectRefused(dir, rename, 'protected path: config.yaml (matches "config.yaml")', { protectedPaths });
  });

  it('refuses writing through a symbolic link, pointing outside or not', async () => {
    const outside = removeLater(makeTempDir('fleet-orch-outside-'));
    const dir = folder({ 'src/app.ts': APP });
    symlinkSync(outside, join(dir, 'out'));
    symlinkSync('src', join(dir, 'alias'));
    await expectRefused(dir, create('out/evil.ts'), 'path beyond a symbolic link: out/evil.ts (out is a link pointing outside the directory)');
    await expectRefused(dir, modify('alias/app.ts'), 'path beyond a symbolic link: alias/app.ts (alias is a link)');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses binary patches, text patches to binary or non-UTF-8 files, and files used as folders', async () => {
    const dir = folder({ 'img.png': Buffer.from([0x89, 0x50, 0, 1]), 'latin.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), 'src/app.ts': APP });
    await expectRefused(dir, 'diff --git a/img.png b/img.png\nBinary files a/img.png and b/img.png differ\n', 'binary patch: img.png');
    await expectRefused(dir, '--- a/img.png\n+++ b/img.png\n@@ -1 +1 @@\n-x\n+y\n', 'binary file: img.png (a text patch cannot change it)');
    await expectRefused(dir, '--- a/latin.txt\n+++ b/latin.txt\n@@ -1 +1 @@\n-café\n+cafe\n', 'not UTF-8 text: latin.txt');
    await expectRefused(dir, create('src/app.ts/inner.ts'), 'not a directory: src/app.ts (on the way to src/app.ts/inner.ts)');
  });

  it('refuses creating what exists, changing what does not, and naming a file twice', async () => {
    const dir = folder({ 'src/app.ts': APP });
    await expectRefused(dir, create('src/app.ts'), 'file already exists: src/app.ts (the patch creates it)');
    await expectRefused(dir, modify('src/missing.ts'), 'file not found: src/missing.ts (the patch changes it)');
    await expectRefused(dir, create('x.ts') + create('x.ts'), 'x.ts appears twice in the patch');
  });

  it('refuses the whole patch when one file of several does not apply', async () => {
    const dir = folder({ 'a.ts': APP, 'b.ts': APP.replace('b = 2', 'b = 5') });
    await expectRefused(dir, create('new.ts') + modify('a.ts') + modify('b.ts'), /^b\.ts: hunk 1 \(@@ -1,3 \+1,3 @@\) does not match the file/);
  });
});

describe('applyPatchToDirectory when a write fails', () => {
  const diff = modify('a.ts') + create('deep/new/file.ts') + 'diff --git a/old.ts b/old.ts\ndeleted file mode 100644\n--- a/old.ts\n+++ /dev/null\n@@ -1 +0,0 @@\n-export {};\n';
  const files = { 'a.ts': APP, 'old.ts': 'export {};\n' };

  /** Node's fs, with the `rename` calls (counted from 1) that `fails` picks failing as a full disk would. */
  function failingFs(fails: (call: number) => boolean): WriteFs {
    let calls = 0;
    return {
      ...fsp,
      rename: async (from, to) => {
        calls += 1;
        if (fails(calls)) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        return fsp.rename(from, to);
      },
    };
  }

  it('undoes every change before it: contents, deleted files, created folders', async () => {
    const dir = folder(files);
    const before = treeSnapshot(dir);
    const outcome = await applyPatchToDirectory(dir, diff, {}, failingFs((call) => call === 2));
    expect(outcome).toEqual({ applied: false, kind: 'refused', reason: 'could not write deep/new/file.ts (ENOSPC: no space left on device); every change was undone' });
    expect(treeSnapshot(dir)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['a.ts', 'old.ts']);
  });

  it('throws PatchRollbackError when undoing fails too', async () => {
    const dir = folder({ ...files, 'b.ts': APP });
    const error = await applyPatchToDirectory(dir, modify('a.ts') + modify('b.ts'), {}, failingFs((call) => call >= 2)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PatchRollbackError);
    expect((error as Error).message).toMatch(/^could not write b\.ts \(ENOSPC: no space left on device\) nor undo the changes before it: ENOSPC/);
  });
});
