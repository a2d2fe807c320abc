import { describe, expect, it } from 'vitest';
import { parsePatchText, PatchParseError } from './parse-patch.js';
import type { HunkOp, PatchFile } from './types.js';

/** A hunk's ops as short strings: `c|text`, `-|text`, `+|text`, `...`, with `$` for no newline. */
function ops(file: PatchFile | undefined, hunk = 0): string[] {
  return (file?.hunks[hunk]?.ops ?? []).map((op: HunkOp) =>
    op.kind === 'gap' ? '...' : `${{ context: 'c', remove: '-', add: '+' }[op.kind]}|${op.text}${op.noEol ? '$' : ''}`,
  );
}

const GIT_DIFF = `diff --git a/src/app.ts b/src/app.ts
index 1111111..2222222 100644
--- a/src/app.ts
+++ b/src/app.ts
@@ -10,4 +10,4 @@ export function main() {
 const a = 1;
-const b = 2;
+const b = 3;
 export { a, b };
diff --git a/bin/run.sh b/bin/run.sh
old mode 100644
new mode 100755
diff --git a/src/old.ts b/src/new.ts
similarity index 90%
rename from src/old.ts
rename to src/new.ts
--- a/src/old.ts
+++ b/src/new.ts
@@ -1 +1 @@
-export const name = 'old';
+export const name = 'new';
diff --git a/gone.ts b/gone.ts
deleted file mode 100644
--- a/gone.ts
+++ /dev/null
@@ -1 +0,0 @@
-export {};
diff --git a/created.ts b/created.ts
new file mode 100644
--- /dev/null
+++ b/created.ts
@@ -0,0 +1,2 @@
+export const created = true;
+export default created;
\\ No newline at end of file
`;

describe('parsePatchText on a git diff', () => {
  const files = parsePatchText(GIT_DIFF);

  it('reads every kind of file with repository-relative names', () => {
    expect(files.map((file) => [file.status, file.oldPath, file.newPath])).toEqual([
      ['modified', 'src/app.ts', 'src/app.ts'],
      ['modified', 'bin/run.sh', 'bin/run.sh'],
      ['renamed', 'src/old.ts', 'src/new.ts'],
      ['deleted', 'gone.ts', null],
      ['added', null, 'created.ts'],
    ]);
    expect(files[1]).toMatchObject({ oldMode: '100644', newMode: '100755', hunks: [] });
    expect(files[2]?.declaredMove).toBe(true);
  });

  it('reads hunk bodies, hints and the no-newline marker', () => {
    expect(ops(files[0])).toEqual(['c|const a = 1;', '-|const b = 2;', '+|const b = 3;', 'c|export { a, b };']);
    expect(files[0]?.hunks[0]).toMatchObject({ number: 1, hint: 9, header: '@@ -10,4 +10,4 @@ export function main() {' });
    expect(files[4]?.hunks[0]?.hint).toBe(0);
    expect(ops(files[4])).toEqual(['+|export const created = true;', '+|export default created;$']);
  });
});

describe('parsePatchText on model-written diffs', () => {
  const simple = (body: string, header = '@@ -1,3 +1,3 @@'): string => `--- a/x.ts\n+++ b/x.ts\n${header}\n${body}`;

  it('trusts the lines over wrong @@ counts, also across files', () => {
    const diff = `${simple(' a\n-b\n+c\n d\n', '@@ -1,9 +1,1 @@')}--- a/y.ts\n+++ b/y.ts\n@@ -5,1 +5,1 @@\n-y\n+z\n`;
    const files = parsePatchText(diff);
    expect(files.map((file) => file.newPath)).toEqual(['x.ts', 'y.ts']);
    expect(ops(files[0])).toEqual(['c|a', '-|b', '+|c', 'c|d']);
    expect(ops(files[1])).toEqual(['-|y', '+|z']);
  });

  it('reads headers without numbers as hunks without a hint', () => {
    const [file] = parsePatchText(simple(' a\n-b\n+c\n', '@@ @@'));
    expect(file?.hunks[0]?.hint).toBeNull();
    expect(ops(file)).toEqual(['c|a', '-|b', '+|c']);
  });

  it('reads blank lines inside a hunk as blank context, and a trailing one only when the count wants it', () => {
    expect(ops(parsePatchText(simple('-a\n+b\n\n c\n', '@@ -1,3 +1,3 @@'))[0])).toEqual(['-|a', '+|b', 'c|', 'c|c']);
    expect(ops(parsePatchText(simple(' a\n-b\n+c\n\n', '@@ -1,3 +1,3 @@'))[0])).toEqual(['c|a', '-|b', '+|c', 'c|']);
    expect(ops(parsePatchText(simple(' a\n-b\n+c\n\n', '@@ -1,2 +1,2 @@'))[0])).toEqual(['c|a', '-|b', '+|c']);
  });

  it('reads ..., … and // ... lines as elisions', () => {
    const [file] = parsePatchText(simple(' a\n...\n b\n …\n-c\n+d\n// ...\n e\n'));
    expect(ops(file)).toEqual(['c|a', '...', 'c|b', '...', '-|c', '+|d', '...', 'c|e']);
  });

  it('takes one unindented line between hunk lines as context, and text after a fence as prose', () => {
    const [file] = parsePatchText(`\`\`\`diff\n${simple(' a\nexport const b = 1;\n-c\n+d\n')}\`\`\`\n- changed c to d\n`);
    expect(ops(file)).toEqual(['c|a', 'c|export const b = 1;', '-|c', '+|d']);
  });

  it('refuses change lines after a hunk has ended: they would be silently dropped', () => {
    expect(() => parsePatchText(simple(' a\nfirst line\nsecond line\n-c\n+d\n'))).toThrow(
      /hunk 1 of the diff ends at line 5 \("first line"\), but change lines follow it/,
    );
  });

  it('strips CRs, remembering the diff was CRLF', () => {
    const [file] = parsePatchText(simple(' a\n-b\n+c\n').replace(/\n/g, '\r\n'));
    expect(ops(file)).toEqual(['c|a', '-|b', '+|c']);
    expect(file?.crlf).toBe(true);
    expect(file?.newPath).toBe('x.ts');
  });

  it('merges sections that change the same file again', () => {
    const diff = `${simple(' a\n-b\n+c\n')}--- a/x.ts\n+++ b/x.ts\n@@ -20,2 +20,2 @@\n-y\n+z\n`;
    const files = parsePatchText(diff);
    expect(files).toHaveLength(1);
    expect(files[0]?.hunks.map((hunk) => hunk.number)).toEqual([1, 2]);
  });

  it('keeps names as written without prefixes, and drops a leading ./', () => {
    const [file] = parsePatchText('--- ./src/x.ts\n+++ ./src/x.ts\n@@ -1 +1 @@\n-a\n+b\n');
    expect(file).toMatchObject({ oldPath: 'src/x.ts', newPath: 'src/x.ts', status: 'modified' });
  });

  it('flags a plain diff naming two files as a rename that git did not declare', () => {
    const [file] = parsePatchText('--- a/x.ts\n+++ b/y.ts\n@@ -1 +1 @@\n-a\n+b\n');
    expect(file).toMatchObject({ status: 'renamed', declaredMove: false });
  });

  it('throws PatchParseError for text without a diff and for hunks without file names', () => {
    expect(() => parsePatchText('I could not find a fix.\n')).toThrow(PatchParseError);
    expect(() => parsePatchText('')).toThrow(/no ---\/\+\+\+ file headers/);
    expect(() => parsePatchText('@@ -1 +1 @@\n-a\n+b\n')).toThrow(/no ---\/\+\+\+ file names/);
  });
});
