import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectContextFiles, isTestFile, mergeWindows, resolveRelativeImports } from './context-files.js';
import type { ErrorLocation, FailureAnalysis } from './types.js';

let root: string;
let outside: string;
const numbered = (count: number, prefix = 'line') =>
  Array.from({ length: count }, (_, i) => `${prefix} ${i + 1} ${'-'.repeat(40)}`).join('\n') + '\n';

function write(relPath: string, content: string): void {
  const full = path.join(root, relPath);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
}

function analysis(locations: Array<[string, number]>): FailureAnalysis {
  const list: ErrorLocation[] = locations.map(([file, line]) => ({ file, line, column: 1, message: 'boom' }));
  return { gate: 'test', failureClass: 'test', excerpt: '', errorSignatures: [], locations: list };
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'fleet-context-'));
  outside = mkdtempSync(path.join(tmpdir(), 'fleet-outside-'));
  writeFileSync(path.join(outside, 'secret.ts'), 'export const secret = 1;\n');
  write('src/small.ts', 'export const small = 1;\n');
  write('src/big.ts', numbered(1000));
  write('src/math.ts', 'export function add(a: number, b: number) {\n  return a - b;\n}\n');
  write('src/util/index.ts', 'export const util = true;\n');
  write('src/helpers.js', 'module.exports = { helper: 1 };\n');
  write(
    'src/math.test.ts',
    [
      "import { describe, it, expect } from 'vitest';",
      "import { add } from './math.js';",
      "import { util } from './util';",
      "import type { Small } from './small.js';",
      "const { helper } = require('./helpers.js');",
      "import { missing } from './missing.js';",
      "import external from 'left-pad';",
      "it('adds', () => expect(add(1, 2)).toBe(3));",
    ].join('\n'),
  );
  write('node_modules/lib/index.js', 'module.exports = 1;\n');
  write('.git/config', '[core]\n');
  write('assets/logo.bin', 'PNG\u0000\u0001\u0002');
  symlinkSync(path.join(outside, 'secret.ts'), path.join(root, 'src', 'escape.ts'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('mergeWindows', () => {
  it('clamps, merges overlapping or touching windows and sorts them', () => {
    expect(mergeWindows([500, 10, 40, 200], 30, 220)).toEqual([
      { start: 1, end: 70 },
      { start: 170, end: 220 },
    ]);
    expect(mergeWindows([100, 161], 30, 1000)).toEqual([{ start: 70, end: 191 }]);
  });
});

describe('collectContextFiles', () => {
  it('gives small files whole and large files as ±30-line windows around the error lines', () => {
    const files = collectContextFiles(analysis([['src/big.ts', 100], ['src/small.ts', 1], ['src/big.ts', 900]]), {
      repoRoot: root,
      maxBytes: 60_000,
    });
    expect(files.map((file) => file.path)).toEqual(['src/big.ts', 'src/small.ts']);
    const [big, small] = files;
    expect(small).toEqual({ path: 'src/small.ts', content: 'export const small = 1;\n', windows: null });
    expect(big?.windows).toEqual([
      { start: 70, end: 130 },
      { start: 870, end: 930 },
    ]);
    const lines = big!.content.split('\n');
    expect(lines[0]).toMatch(/^line 70 /);
    expect(lines[60]).toMatch(/^line 130 /);
    expect(lines[61]).toBe('…');
    expect(lines[62]).toMatch(/^line 870 /);
    expect(lines.at(-1)).toMatch(/^line 930 /);
  });

  it('adds the repository modules a failing test file imports, after the files with errors', () => {
    const files = collectContextFiles(analysis([['src/math.test.ts', 8], ['src/big.ts', 5]]), {
      repoRoot: root,
      maxBytes: 60_000,
    });
    expect(files.map((file) => file.path)).toEqual([
      'src/math.test.ts',
      'src/big.ts',
      'src/math.ts',
      'src/util/index.ts',
      'src/small.ts',
      'src/helpers.js',
    ]);
    expect(files.find((file) => file.path === 'src/math.ts')?.content).toContain('return a - b;');
  });

  it('adds the module under test of a failing Python test (imports) and Go test (package sibling)', () => {
    write('fleet/__init__.py', '');
    write('fleet/pricing.py', 'def fare(km):\n    return km * 2\n');
    write('src/fleetlib/geo.py', 'def km(a, b):\n    return 0\n');
    write('tests/helpers.py', 'ROUTE = []\n');
    write('tests/test_pricing.py', 'import os\nfrom fleet.pricing import fare\nfrom fleetlib.geo import km\nfrom .helpers import ROUTE\n');
    write('pricing.go', 'package fleet\n');
    write('pricing_test.go', 'package fleet\n');
    const python = collectContextFiles(analysis([['tests/test_pricing.py', 2]]), { repoRoot: root, maxBytes: 60_000 });
    expect(python.map((file) => file.path)).toEqual(['tests/test_pricing.py', 'fleet/pricing.py', 'src/fleetlib/geo.py', 'tests/helpers.py']);
    const go = collectContextFiles(analysis([['pricing_test.go', 1]]), { repoRoot: root, maxBytes: 60_000 });
    expect(go.map((file) => file.path)).toEqual(['pricing_test.go', 'pricing.go']);
  });

  it('never reads outside the repository, node_modules, .git or binary files', () => {
    const files = collectContextFiles(
      analysis([
        ['src/escape.ts', 1],
        ['node_modules/lib/index.js', 1],
        ['.git/config', 1],
        ['../' + path.basename(outside) + '/secret.ts', 1],
        ['assets/logo.bin', 1],
        ['src/deleted.ts', 3],
        ['src/small.ts', 1],
      ]),
      { repoRoot: root, maxBytes: 60_000 },
    );
    expect(files.map((file) => file.path)).toEqual(['src/small.ts']);
  });

  it('keeps the total within maxBytes, narrowing windows and skipping what does not fit', () => {
    const input = analysis([['src/big.ts', 500], ['src/small.ts', 1], ['src/math.test.ts', 1]]);
    for (const maxBytes of [0, 30, 100, 1500, 3000, 6000]) {
      const files = collectContextFiles(input, { repoRoot: root, maxBytes });
      const total = files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0);
      expect(total).toBeLessThanOrEqual(maxBytes);
    }
    const narrow = collectContextFiles(input, { repoRoot: root, maxBytes: 1500 });
    expect(narrow[0]).toMatchObject({ path: 'src/big.ts', windows: [{ start: 490, end: 510 }] });
    const tiny = collectContextFiles(input, { repoRoot: root, maxBytes: 30 });
    expect(tiny.map((file) => file.path)).toEqual(['src/small.ts']);
  });

  it('is deterministic', () => {
    const input = analysis([['src/math.test.ts', 3], ['src/big.ts', 400], ['src/big.ts', 20]]);
    const first = collectContextFiles(input, { repoRoot: root, maxBytes: 20_000 });
    expect(collectContextFiles(input, { repoRoot: root, maxBytes: 20_000 })).toEqual(first);
  });
});

describe('resolveRelativeImports and isTestFile', () => {
  it('resolves .js to .ts, bare paths to files or index files, and skips what is missing', () => {
    const text = "import a from './math.js';\nimport b from './util';\nimport c from '../src/small';\nimport d from './nope';";
    expect(resolveRelativeImports('src/math.test.ts', text, root)).toEqual(['src/math.ts', 'src/util/index.ts', 'src/small.ts']);
  });

  it.each([
    ['src/math.test.ts', true],
    ['src/math.spec.js', true],
    ['test/vehicle.js', true],
    ['src/__tests__/a.tsx', true],
    ['src/math.ts', false],
    ['src/contest.ts', false],
  ])('isTestFile(%s) = %s', (file, expected) => {
    expect(isTestFile(file)).toBe(expected);
  });
});
