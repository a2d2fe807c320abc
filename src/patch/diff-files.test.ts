import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempRepo, type TempRepo } from '../../test/helpers/git.js';
import { A_TS, MODIFY_A_TS as MODIFY } from '../../test/helpers/patches.js';
import { listDiffFiles, MalformedDiffError, readDiffSections, touchedPaths } from './diff-files.js';

describe('listDiffFiles on diffs git wrote', () => {
  let repo: TempRepo;
  let diff: string;
  let binaryDiff: string;

  beforeAll(() => {
    repo = tempRepo({
      'src/a.ts': A_TS,
      'src/gone.ts': 'export const gone = true;\n',
      'src/old-name.ts': 'export const x = 1;\nexport const y = 2;\nexport const z = 3;\nexport const w = 4;\n',
      'bin/run.sh': 'echo run\n',
      'img.bin': 'placeholder\n',
    });
    repo.write({
      'src/a.ts': 'const a = 1;\nconst b = 3;\nexport { a, b };\n',
      'src/new file\twith tab.ts': 'export const n = 1;\n',
      'src/new-name.ts': 'export const x = 1;\nexport const y = 2;\nexport const z = 3;\nexport const w = 5;\n',
    });
    repo.git('rm', '-q', 'src/gone.ts', 'src/old-name.ts');
    chmodSync(join(repo.dir, 'bin/run.sh'), 0o755);
    repo.git('add', '-A');
    diff = repo.git('diff', '--cached', '-M', 'HEAD');
    repo.git('reset', '-q', '--hard');
    repo.write({ 'img.bin': Buffer.from([0, 1, 2, 0, 255]).toString('latin1') });
    binaryDiff = repo.git('diff', '--binary', 'HEAD');
    repo.git('checkout', '-q', '--', '.');
  });
  afterAll(() => repo.cleanup());

  it('finds every kind of change with repo-relative names', () => {
    const files = listDiffFiles(diff);
    const byPath = new Map(files.map((file) => [file.newPath ?? file.oldPath, file]));
    expect(files).toHaveLength(5);
    expect(byPath.get('src/a.ts')).toMatchObject({ oldPath: 'src/a.ts', status: 'modified', prefix: 'a/b', added: 1, removed: 1 });
    expect(byPath.get('src/gone.ts')).toMatchObject({ oldPath: 'src/gone.ts', newPath: null, status: 'deleted', removed: 1 });
    expect(byPath.get('src/new file\twith tab.ts')).toMatchObject({ oldPath: null, status: 'added', added: 1 });
    expect(byPath.get('src/new-name.ts')).toMatchObject({ oldPath: 'src/old-name.ts', status: 'renamed' });
    expect(byPath.get('bin/run.sh')).toMatchObject({ status: 'modified', oldMode: '100644', newMode: '100755', added: 0 });
    expect(files.every((file) => !file.binary)).toBe(true);
  });

  it('lists old and new names of every file once', () => {
    expect(touchedPaths(listDiffFiles(diff)).sort()).toEqual(
      ['bin/run.sh', 'src/a.ts', 'src/gone.ts', 'src/new file\twith tab.ts', 'src/new-name.ts', 'src/old-name.ts'].sort(),
    );
  });

  it('flags a GIT binary patch', () => {
    expect(binaryDiff).toContain('GIT binary patch');
    expect(listDiffFiles(binaryDiff)).toMatchObject([{ newPath: 'img.bin', binary: true }]);
  });
});

describe('listDiffFiles on hand-written diffs', () => {
  it('reads bare names without a/ b/ prefixes', () => {
    const files = listDiffFiles(MODIFY.replace('a/src', 'src').replace('b/src', 'src'));
    expect(files).toMatchObject([{ oldPath: 'src/a.ts', newPath: 'src/a.ts', prefix: 'none', status: 'modified' }]);
  });

  it('reads a new file against /dev/null, prefixed or not', () => {
    const created = '--- /dev/null\n+++ b/src/new.ts\n@@ -0,0 +1 @@\n+export {};\n';
    expect(listDiffFiles(created)).toMatchObject([{ oldPath: null, newPath: 'src/new.ts', status: 'added', prefix: 'a/b' }]);
    expect(listDiffFiles(created.replace('b/src', 'src'))).toMatchObject([{ newPath: 'src/new.ts', prefix: 'none' }]);
  });

  it('marks one-sided prefixes as mixed but still names the file', () => {
    expect(listDiffFiles(MODIFY.replace('+++ b/src', '+++ src'))).toMatchObject([{ oldPath: 'src/a.ts', newPath: 'src/a.ts', prefix: 'mixed' }]);
  });

  it('tolerates wrong @@ line counts and text around the diff', () => {
    const wrongCounts = `Here is the fix:\n\n${MODIFY.replace('@@ -1,3 +1,3 @@', '@@ -1,7 +1,9 @@')}\nHope this helps.\n`;
    expect(listDiffFiles(wrongCounts)).toMatchObject([{ newPath: 'src/a.ts', added: 1, removed: 1 }]);
  });

  it('reads several files without diff --git headers', () => {
    const two = `${MODIFY}--- a/src/b.ts\n+++ b/src/b.ts\n@@ -1 +1 @@\n-x\n+y\n`;
    expect(listDiffFiles(two).map((file) => file.newPath)).toEqual(['src/a.ts', 'src/b.ts']);
  });

  it('keeps paths that try to escape as written, for the caller to judge', () => {
    const escape = MODIFY.replaceAll('src/a.ts', '../outside.ts');
    expect(touchedPaths(listDiffFiles(escape))).toEqual(['../outside.ts']);
  });

  it('flags a "Binary files differ" line even in a diff without git headers', () => {
    expect(listDiffFiles(`Binary files a/x.png and b/x.png differ\n${MODIFY}`)[0]?.binary).toBe(true);
    expect(listDiffFiles(`${MODIFY}GIT binary patch\nliteral 5\nMcmZQzWMXDw0009200{s9\n\n`)[0]?.binary).toBe(true);
    expect(listDiffFiles(`diff --git a/x.png b/x.png\nBinary files a/x.png and b/x.png differ\n`)).toMatchObject([
      { newPath: 'x.png', binary: true },
    ]);
  });

  it('returns nothing for text that is not a diff, and throws for hunks without file names', () => {
    expect(listDiffFiles('just some prose\n')).toEqual([]);
    expect(listDiffFiles('')).toEqual([]);
    expect(() => listDiffFiles('@@ -1 +1 @@\n-a\n+b\n')).toThrow(MalformedDiffError);
    expect(() => listDiffFiles('--- a/x\n@@ -1 +1 @@\n-a\n+b\n')).toThrow(/malformed diff/);
  });
});

describe('readDiffSections', () => {
  it('pairs each file with the jsdiff structure it was read from', () => {
    const sections = readDiffSections(`${MODIFY}--- a/src/b.ts\n+++ b/src/b.ts\n@@ -1 +1 @@\n-x\n+y\n`);
    expect(sections.map((section) => [section.file.newPath, section.patch.hunks.length, section.patch.hunks[0]?.lines])).toEqual([
      ['src/a.ts', 1, [' const a = 1;', '-const b = 2;', '+const b = 3;', ' export { a, b };']],
      ['src/b.ts', 1, ['-x', '+y']],
    ]);
  });
});
