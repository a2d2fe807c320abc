import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanLogLines } from './strip.js';
import { LogAnalyzer } from './log-analyzer.js';
import { defaultFileExists, relativisePathsInText, toRepoRelative, type LocationOptions } from './locations.js';
import type { ErrorLocation } from './types.js';

function findErrorLocations(lines: string[], options: LocationOptions): readonly ErrorLocation[] {
  const analyzer = new LogAnalyzer({ ...options, maxExcerptTokens: 2000 });
  analyzer.pushText(lines.join('\n'));
  return analyzer.finish({ gate: 'ci', command: 'ci', exitCode: 1, signal: null, timedOut: false }).locations;
}

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/logs/${name}`, import.meta.url), 'utf8');
const REPO = '/srv/checkout/fleet-app';
const existing = new Set([
  'src/user.ts',
  'src/index.ts',
  'src/server.ts',
  'src/math.test.ts',
  'src/cart.test.js',
  'test/vehicle.test.js',
  'vitest.config.ts',
]);
const options = { repoRoot: REPO, fileExists: (file: string) => existing.has(file) };
const locate = (log: string) =>
  findErrorLocations(cleanLogLines(log), options).map((l) => `${l.file}:${l.line}:${l.column ?? '-'}`);

describe('toRepoRelative', () => {
  it.each([
    ['src/a.ts', 'src/a.ts'],
    ['./src/a.ts', 'src/a.ts'],
    ['src/../lib/a.ts', 'lib/a.ts'],
    [`${REPO}/src/a.ts`, 'src/a.ts'],
    [`file://${REPO}/src/a.ts`, 'src/a.ts'],
    ['/home/vsts/work/1/s/src/a.ts', 'src/a.ts'],
    ['/Users/runner/work/1/s/src/a.ts', 'src/a.ts'],
    ['D:\\a\\1\\s\\src\\a.ts', 'src/a.ts'],
    ['d:\\a\\1\\s\\src\\a.ts', 'src/a.ts'],
    ['/home/runner/work/fleet-app/fleet-app/src/a.ts', 'src/a.ts'],
    ['D:\\a\\fleet-app\\fleet-app\\src\\a.ts', 'src/a.ts'],
    ['file:///D:/a/fleet-app/fleet-app/src/a.ts', 'src/a.ts'],
    ['/opt/agent/_work/3/s/src/a.ts', 'src/a.ts'],
    ['/srv/runner/_work/fleet-app/fleet-app/src/a.ts', 'src/a.ts'],
    ['src\\nested\\a.ts', 'src/nested/a.ts'],
  ])('%s → %s', (raw, expected) => {
    expect(toRepoRelative(raw, REPO)).toBe(expected);
  });

  it.each([
    '/etc/passwd',
    '/srv/checkout/other/src/a.ts',
    '../outside.ts',
    'src/../../outside.ts',
    'node_modules/vitest/dist/index.js',
    '/home/runner/work/app/app/node_modules/esbuild/lib/main.js',
    '.git/config',
    'C:\\Windows\\system32\\x.dll',
  ])('rejects %s', (raw) => {
    expect(toRepoRelative(raw, REPO)).toBeNull();
  });

  it('strips a Windows repository root case-insensitively', () => {
    expect(toRepoRelative('c:\\Work\\App\\src\\a.ts', 'C:/Work/App')).toBe('src/a.ts');
  });
});

describe('relativisePathsInText', () => {
  it('rewrites every runner and repository prefix inside a line', () => {
    const line = `at f (/home/vsts/work/1/s/src/a.ts:1:2) and ${REPO}/src/b.ts and D:\\a\\1\\s\\src\\c.ts`;
    expect(relativisePathsInText(line, REPO)).toBe('at f (src/a.ts:1:2) and src/b.ts and src\\c.ts');
  });
});

describe('findErrorLocations', () => {
  it('reads tsc locations and ignores its summary table', () => {
    const found = findErrorLocations(cleanLogLines(fixture('tsc.log')), options);
    expect(found).toEqual([
      { file: 'src/user.ts', line: 12, column: 5, message: "error TS2322: Type 'string' is not assignable to type 'number'." },
      {
        file: 'src/user.ts',
        line: 27,
        column: 18,
        message: "error TS2551: Property 'emial' does not exist on type 'User'. Did you mean 'email'?",
      },
      {
        file: 'src/index.ts',
        line: 3,
        column: 10,
        message: `error TS2724: '"./user.js"' has no exported member named 'createUsr'. Did you mean 'createUser'?`,
      },
    ]);
  });

  it('reads tsc --pretty locations', () => {
    expect(locate("src/user.ts:12:5 - error TS2322: Type 'string' is not assignable to type 'number'.")).toEqual([
      'src/user.ts:12:5',
    ]);
  });

  it('reads eslint stylish with absolute GitHub paths, errors only, message with the rule', () => {
    const found = findErrorLocations(cleanLogLines(fixture('eslint-stylish.log')), options);
    expect(found.map((l) => `${l.file}:${l.line}:${l.column}`)).toEqual([
      'src/server.ts:4:10',
      'src/server.ts:18:7',
      'src/user.ts:9:15',
    ]);
    expect(found[1]?.message).toBe('Unexpected console statement (no-console)');
  });

  it('reads eslint unix with absolute Azure paths', () => {
    expect(locate(fixture('eslint-unix.log'))).toEqual(['src/server.ts:4:10', 'src/server.ts:18:7', 'src/user.ts:9:15']);
  });

  it('reads eslint stylish through ANSI codes in a GitHub log', () => {
    expect(locate(fixture('github-group.log'))).toEqual(['src/server.ts:4:10', 'src/server.ts:18:7']);
  });

  it('points at the start of files prettier --check names', () => {
    expect(locate(fixture('prettier-check.log'))).toEqual(['src/server.ts:1:-', 'src/user.ts:1:-']);
  });

  it('takes the failing assertion as the message of a vitest stack frame', () => {
    const found = findErrorLocations(cleanLogLines(fixture('azure-ansi.log')), options);
    expect(found).toEqual([
      {
        file: 'src/math.test.ts',
        line: 9,
        column: 29,
        message: 'AssertionError: expected -1 to be -3 // Object.is equality',
      },
    ]);
  });

  it('reads jest frames, node:test TAP locations and file:// stack frames', () => {
    expect(locate(fixture('jest.log'))).toEqual(['src/cart.test.js:14:26']);
    expect(locate(fixture('node-test-tap.log'))).toEqual([
      'test/vehicle.test.js:14:3',
      'test/vehicle.test.js:15:12',
      'test/vehicle.test.js:5:1',
    ]);
  });

  it('reads esbuild and webpack locations (webpack columns are 0-based)', () => {
    const esbuild = findErrorLocations(cleanLogLines(fixture('esbuild.log')), options);
    expect(esbuild).toEqual([
      { file: 'src/index.ts', line: 3, column: 25, message: '✘ [ERROR] Could not resolve "./routes/vehicles"' },
    ]);
    expect(locate(fixture('webpack.log'))).toEqual(['src/index.ts:3:1']);
  });

  it('drops files that do not exist, node_modules frames and paths outside the repository', () => {
    const log = [
      'Error: boom',
      '    at run (/home/runner/work/app/app/src/user.ts:5:3)',
      '    at run (/home/runner/work/app/app/src/gone.ts:7:1)',
      '    at load (/home/runner/work/app/app/node_modules/lib/index.js:1:1)',
      '    at main (/usr/lib/node/internal.js:3:3)',
      'see https://example.test/docs.html:80 for details',
    ].join('\n');
    expect(locate(log)).toEqual(['src/user.ts:5:3']);
  });

  it('reads Windows paths of Azure and GitHub Windows agents', () => {
    const log = [
      'D:\\a\\1\\s\\src\\user.ts(12,5): error TS2322: Type string is not assignable to type number.',
      'D:\\a\\fleet-app\\fleet-app\\src\\server.ts:4:10: unused. [Error/no-unused-vars]',
    ].join('\n');
    expect(locate(log)).toEqual(['src/user.ts:12:5', 'src/server.ts:4:10']);
  });

  it('reports each file:line:column once', () => {
    const line = 'src/user.ts(12,5): error TS2322: Type mismatch.';
    expect(locate([line, line, line].join('\n'))).toEqual(['src/user.ts:12:5']);
  });
});

describe('defaultFileExists', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'fleet-locations-'));
    mkdirSync(path.join(root, 'src'));
    writeFileSync(path.join(root, 'src', 'user.ts'), 'export const a = 1;\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('checks real files under the repository root', () => {
    const exists = defaultFileExists(root);
    expect(exists('src/user.ts')).toBe(true);
    expect(exists('src')).toBe(false);
    expect(exists('src/missing.ts')).toBe(false);
    const found = findErrorLocations([`${root}/src/user.ts(1,14): error TS2322: bad`, `${root}/src/x.ts(1,1): error TS1: x`], {
      repoRoot: root,
    });
    expect(found.map((l) => l.file)).toEqual(['src/user.ts']);
  });
});

describe('relativisePathsInText with a bare workspace root', () => {
  it('turns the root itself into "."', () => {
    expect(relativisePathsInText(' RUN  v4.1.12 /home/vsts/work/1/s', REPO)).toBe(' RUN  v4.1.12 .');
    expect(relativisePathsInText(`cwd: '${REPO}', file ${REPO}/a.ts`, REPO)).toBe("cwd: '.', file a.ts");
    expect(relativisePathsInText('/home/runner/work/app/app-tools/x', REPO)).toBe('x');
    expect(relativisePathsInText(`${REPO}-backup/x.ts`, REPO)).toBe(`${REPO}-backup/x.ts`);
  });
});
