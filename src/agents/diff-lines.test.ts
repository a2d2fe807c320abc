import { describe, expect, it } from 'vitest';
import { changedLineCount, DiffParseError, parseDiffFiles, recountHunks } from './diff-lines.js';
import { runRules } from './rules/index.js';

describe('parseDiffFiles', () => {
  it('gives each file its added and removed lines with line numbers, a/ b/ stripped', () => {
    const files = parseDiffFiles(
      ['--- a/src/x.ts', '+++ b/src/x.ts', '@@ -10,4 +10,4 @@', ' keep', '-old();', '+fresh();', ' keep', ' keep', ''].join('\n'),
    );
    expect(files).toEqual([
      expect.objectContaining({
        oldPath: 'src/x.ts',
        newPath: 'src/x.ts',
        path: 'src/x.ts',
        status: 'modified',
        added: [{ line: 11, text: 'fresh();' }],
        removed: [{ line: 11, text: 'old();' }],
      }),
    ]);
    expect(changedLineCount(files)).toBe(2);
  });

  it('knows created, deleted and renamed files in git diffs', () => {
    const diff = [
      'diff --git a/new.ts b/new.ts',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/new.ts',
      '@@ -0,0 +1,2 @@',
      '+a',
      '+b',
      'diff --git a/gone.ts b/gone.ts',
      'deleted file mode 100644',
      '--- a/gone.ts',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-x',
      'diff --git a/old.ts b/moved.ts',
      'similarity index 100%',
      'rename from old.ts',
      'rename to moved.ts',
      '',
    ].join('\n');
    const files = parseDiffFiles(diff);
    expect(files.map((file) => [file.status, file.oldPath, file.newPath])).toEqual([
      ['added', null, 'new.ts'],
      ['deleted', 'gone.ts', null],
      ['renamed', 'old.ts', 'moved.ts'],
    ]);
    expect(files[0]?.added.map((line) => line.line)).toEqual([1, 2]);
  });

  it('reads model diffs with wrong hunk counts by recounting them', () => {
    const diff = ['--- a/x.ts', '+++ b/x.ts', '@@ -1,9 +1,9 @@', ' a', '-b', '+c', '--- a/y.ts', '+++ b/y.ts', '@@ -3 +3 @@', '-q', '+r', ''].join('\n');
    const files = parseDiffFiles(diff);
    expect(files.map((file) => file.path)).toEqual(['x.ts', 'y.ts']);
    expect(files[1]?.added).toEqual([{ line: 3, text: 'r' }]);
    expect(recountHunks('--- a/x\n+++ b/x\n@@ @@\n a\n-b\n+c\n+d\n')).toContain('@@ -1,2 +1,3 @@');
  });

  it('keeps unprefixed paths, strips CR, and skips text that is not a diff', () => {
    const files = parseDiffFiles('--- src/a.ts\r\n+++ src/a.ts\r\n@@ -1 +1 @@\r\n-x\r\n+y\r\n');
    expect(files[0]?.path).toBe('src/a.ts');
    expect(files[0]?.added[0]?.text).toBe('y');
    expect(parseDiffFiles('I could not find a fix.')).toEqual([]);
  });

  it('refuses hunks without file names', () => {
    expect(() => parseDiffFiles('@@ -1 +1 @@\n-a\n+b\n')).toThrow(DiffParseError);
  });
});

describe('parseDiffFiles on diffs only the patch applier can read', () => {
  const elided = [
    '--- a/src/config.ts',
    '+++ b/src/config.ts',
    '@@ -10,7 +10,7 @@',
    ' export const config = {',
    '...',
    "-  apiKey: process.env.API_KEY,",
    `+  apiKey: "sk-${'k'.repeat(40)}",`,
    ' };',
    '',
  ].join('\n');

  it('reads a `...`-elided hunk instead of calling it malformed', () => {
    const files = parseDiffFiles(elided);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ path: 'src/config.ts', status: 'modified' });
    expect(files[0]?.added.map((line) => line.text)).toEqual([`  apiKey: "sk-${'k'.repeat(40)}",`]);
    expect(files[0]?.removed.map((line) => line.text)).toEqual(['  apiKey: process.env.API_KEY,']);
  });

  it('so the rules still see what it adds', () => {
    const findings = runRules(elided, { protectedPaths: [], maxFilesChanged: 10, maxLinesChanged: 400 });
    expect(findings.map((finding) => finding.rule)).toContain('secret');
    expect(findings.map((finding) => finding.rule)).not.toContain('malformed-diff');
  });
});
