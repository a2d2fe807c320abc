import { describe, expect, it } from 'vitest';
import { parsePatchText } from './parse-patch.js';
import { patchText, type TextPatchResult } from './patch-text.js';

/** Applies the hunks of a one-file diff (names added here) to `text`. */
function apply(text: string, hunks: string): TextPatchResult {
  const [file] = parsePatchText(`--- a/f.ts\n+++ b/f.ts\n${hunks}`);
  return patchText('f.ts', text, file?.hunks ?? []);
}

function applied(text: string, hunks: string): string {
  const result = apply(text, hunks);
  if (!result.ok) throw new Error(result.reason);
  return result.text;
}

const lines = (...items: string[]): string => items.map((item) => `${item}\n`).join('');

/** Numbered distinct lines: `line 1` … `line n`. */
const numbered = (count: number): string[] => Array.from({ length: count }, (_, index) => `line ${index + 1}`);

describe('patchText stages', () => {
  const file = lines(...numbered(30));

  it('exact at the header line; offset elsewhere, reporting where', () => {
    const hunk = ' line 10\n-line 11\n+LINE 11\n line 12\n';
    expect(apply(file, `@@ -10,3 +10,3 @@\n${hunk}`)).toMatchObject({ ok: true, placed: [{ hunk: 1, stage: 'exact', at: 10 }] });
    expect(apply(file, `@@ -2,3 +2,3 @@\n${hunk}`)).toMatchObject({ ok: true, placed: [{ hunk: 1, stage: 'offset', at: 10 }] });
    expect(applied(file, `@@ -2,3 +2,3 @@\n${hunk}`)).toBe(file.replace('line 11\n', 'LINE 11\n'));
  });

  it('whitespace-insensitive when only spacing differs, keeping the file’s own context lines', () => {
    const spaced = lines('function f() {', '  const a = 1;', '  return a;', '}');
    const result = apply(spaced, '@@ -1,4 +1,4 @@\n function  f() {\n-    const a = 1;\n+    const a = 2;\n     return a;   \n }\n');
    expect(result).toMatchObject({ ok: true, placed: [{ stage: 'whitespace' }] });
    expect(result.ok && result.text).toBe(lines('function f() {', '  const a = 2;', '  return a;', '}'));
  });

  it('fuzzy with a context line missing from the hunk or made up in it', () => {
    const missing = ' line 9\n line 11\n-line 12\n+LINE 12\n line 13\n';
    expect(apply(file, `@@ -9,4 +9,4 @@\n${missing}`)).toMatchObject({ ok: true, placed: [{ stage: 'fuzzy', at: 9 }] });
    expect(applied(file, `@@ -9,4 +9,4 @@\n${missing}`)).toBe(file.replace('line 12\n', 'LINE 12\n'));
    const extra = ' line 10\n line 11\n imagined line\n-line 12\n+LINE 12\n line 13\n';
    expect(applied(file, `@@ -10,5 +10,5 @@\n${extra}`)).toBe(file.replace('line 12\n', 'LINE 12\n'));
  });

  it('refuses added lines next to a context line the hunk left out (before or after it is a guess)', () => {
    const result = apply(file, '@@ -9,3 +9,4 @@\n line 8\n line 9\n+inserted\n line 11\n line 12\n');
    expect(result).toEqual({
      ok: false,
      reason: 'f.ts: hunk 1 (@@ -9,3 +9,4 @@) cannot be placed: near line 8 the file has lines the hunk leaves out right where it adds lines, so where they go is a guess; show those lines as context',
    });
  });

  it('refuses a fuzzy place when an equally close one elsewhere only leaves unclear where the lines go', () => {
    const twin = lines('function a() {', '  setup();', '  extra();', '  run();', '}', '', 'function b() {', '  setup();', '  run();', '  other();', '}');
    expect(apply(twin, '@@ -8,3 +8,4 @@\n   setup();\n+  log();\n   run();\n }\n')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('cannot be placed: near line 2 the file has lines the hunk leaves out right where it adds lines'),
    });
  });

  it('refuses removed lines that are not consecutive in the file, and too much fuzz', () => {
    expect(apply(file, '@@ -5,4 +5,2 @@\n line 4\n-line 5\n-line 7\n line 8\n').ok).toBe(false);
    expect(apply(file, '@@ -5,8 +5,8 @@\n line 4\n made up 1\n made up 2\n made up 3\n-line 5\n+LINE 5\n line 6\n').ok).toBe(false);
  });

  it('refuses a hunk whose lines are nowhere', () => {
    expect(apply(file, '@@ -3,2 +3,2 @@\n line 3\n-line 99\n+x\n')).toEqual({
      ok: false,
      reason: 'f.ts: hunk 1 (@@ -3,2 +3,2 @@) does not match the file: its context and removed lines were not found (not even with whitespace ignored or a few context lines off)',
    });
  });
});

describe('patchText with repeated context', () => {
  const block = ['  if (issues.length > 0) {', '    return issues;', '  }'];
  const file = lines(...[0, 1, 2].flatMap((n) => [`function v${n}() {`, ...numbered(10).map((line) => `  // ${n} ${line}`), ...block, '}']));
  const hunk = '   if (issues.length > 0) {\n-    return issues;\n+    return issues.slice(0, 10);\n   }\n';
  const second = 15 + 12;

  it('applies at the place the header names or clearly nearest to it', () => {
    expect(apply(file, `@@ -${second},3 +${second},3 @@\n${hunk}`)).toMatchObject({ ok: true, placed: [{ stage: 'exact', at: second }] });
    const near = apply(file, `@@ -${second + 2},3 +${second + 2},3 @@\n${hunk}`);
    expect(near).toMatchObject({ ok: true, placed: [{ stage: 'offset', at: second }] });
    expect(near.ok && near.text.split('\n').indexOf('    return issues.slice(0, 10);')).toBe(second);
  });

  it('refuses when the header does not single one place out, naming the places', () => {
    expect(apply(file, `@@ @@\n${hunk}`)).toEqual({
      ok: false,
      reason: 'f.ts: hunk 1 (@@ @@) matches 3 places (lines 12, 27, 42) and its @@ header has no line numbers; include more context lines',
    });
    expect(apply(file, `@@ -35,3 +35,3 @@\n${hunk}`)).toMatchObject({ ok: false, reason: expect.stringContaining('is not clearly nearer to one of them') });
  });

  it('uses the offset of the hunk before to tell places apart', () => {
    const shifted = lines(...numbered(20)) + file;
    const first = '@@ -2,2 +2,2 @@\n function v0() {\n-  // 0 line 1\n+  // zero line 1\n';
    const result = apply(shifted, `${first}@@ -${second},3 +${second},3 @@\n${hunk}`);
    expect(result).toMatchObject({ ok: true, placed: [{ stage: 'offset', at: 21 }, { stage: 'offset', at: second + 20 }] });
  });

  it('refuses overlapping hunks', () => {
    expect(apply(file, `@@ -${second},3 +${second},3 @@\n${hunk}@@ -${second},3 +${second},3 @@\n${hunk}`)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^f\.ts: hunks 1 and 2 overlap/),
    });
  });
});

describe('patchText elisions', () => {
  const file = lines('function a() {', ...numbered(8).map((line) => `  ${line};`), '  return 1;', '}', 'function b() {', '  return 1;', '}');

  it('skips the lines a ... stands for, keeping them', () => {
    expect(applied(file, '@@ -1,4 +1,4 @@\n function a() {\n...\n-  return 1;\n+  return 2;\n }\n')).toBe(file.replace('  return 1;\n}\nfunction b', '  return 2;\n}\nfunction b'));
  });

  it('refuses a change placed only by trivial lines after a ..., and an elision between removed lines', () => {
    expect(apply(file, '@@ -1,3 +1,3 @@\n function a() {\n...\n }\n+// end of a\n')).toMatchObject({ ok: false, reason: expect.stringContaining("after a '...' it has only lines like \"}\"") });
    expect(apply(file, '@@ -1,3 +1,3 @@\n function a() {\n-  line 1;\n...\n-  line 8;\n')).toMatchObject({ ok: false, reason: expect.stringContaining("a '...' between removed lines") });
  });
});

describe('patchText line endings and final newline', () => {
  it('keeps CRLF, gives added lines the file’s ending, and leaves a mixed file’s other lines alone', () => {
    expect(applied('a\r\nb\r\nc\r\n', '@@ -1,3 +1,4 @@\n a\n b\n+x\n c\n')).toBe('a\r\nb\r\nx\r\nc\r\n');
    expect(applied('a\r\nb\nc\r\nd\r\n', '@@ -3,2 +3,2 @@\n c\n-d\n+e\n')).toBe('a\r\nb\nc\r\ne\r\n');
  });

  it('applies line-ending changes a git diff spells out (a fixer converting a file), not those of a diff sent with CRLF', () => {
    expect(applied('a\nb\n', '@@ -1,2 +1,2 @@\n-a\n-b\n+a\r\n+b\r\n')).toBe('a\r\nb\r\n');
    expect(applied('a\r\nb\r\n', '@@ -1,2 +1,2 @@\n-a\r\n-b\r\n+a\n+B\n')).toBe('a\nB\n');
    const [file] = parsePatchText('--- a/f.ts\r\n+++ b/f.ts\r\n@@ -1,2 +1,2 @@\r\n a\r\n-b\r\n+c\r\n');
    expect(patchText('f.ts', 'a\nb\n', file?.hunks ?? [])).toMatchObject({ ok: true, text: 'a\nc\n' });
  });

  it('keeps a byte-order mark', () => {
    expect(applied('\uFEFFa\nb\n', '@@ -1,2 +1,2 @@\n-a\n+A\n b\n')).toBe('\uFEFFA\nb\n');
  });

  it('follows explicit no-newline markers and otherwise keeps what the file had', () => {
    const marker = '\\ No newline at end of file';
    expect(applied('a\nb', `@@ -1,2 +1,2 @@\n a\n-b\n${marker}\n+c\n`)).toBe('a\nc\n');
    expect(applied('a\nb\n', `@@ -1,2 +1,2 @@\n a\n-b\n+c\n${marker}\n`)).toBe('a\nc');
    expect(applied('a\nb', '@@ -1,2 +1,3 @@\n a\n b\n+c\n')).toBe('a\nb\nc');
    expect(applied('a\nb\n', `@@ -1,2 +1,3 @@\n a\n b\n${marker}\n+c\n${marker}\n`)).toBe('a\nb\nc\n');
  });

  it('inserts into an empty file without context', () => {
    expect(apply('', '@@ -0,0 +1,2 @@\n+a\n+b\n')).toEqual({ ok: true, text: 'a\nb\n', placed: [{ hunk: 1, stage: 'exact', at: 1 }] });
    expect(apply('x\n', '@@ -0,0 +1,2 @@\n+a\n+b\n')).toMatchObject({ ok: false, reason: expect.stringContaining('no context or removed lines') });
  });
});

describe('patchText indentation', () => {
  it('re-indents added lines to the file’s tabs', () => {
    const file = lines('function f() {', '\tif (x) {', '\t\treturn 1;', '\t}', '}');
    const result = applied(file, '@@ -2,3 +2,4 @@\n   if (x) {\n+    log(x);\n     return 1;\n   }\n');
    expect(result).toBe(lines('function f() {', '\tif (x) {', '\t\tlog(x);', '\t\treturn 1;', '\t}', '}'));
  });

  it('re-indents a hunk written at 4 spaces into a 2-space file, including depths its context lacks', () => {
    const file = lines('class A {', '  run() {', '    go();', '  }', '}');
    const result = applied(file, '@@ -2,3 +2,6 @@\n     run() {\n         go();\n+        if (again) {\n+            go();\n+        }\n     }\n');
    expect(result).toBe(lines('class A {', '  run() {', '    go();', '    if (again) {', '      go();', '    }', '  }', '}'));
  });
});
