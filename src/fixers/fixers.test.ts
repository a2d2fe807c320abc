import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testShell } from '../../test/helpers/shell.js';
import type { ErrorLocation, FailureAnalysis, FailureClass } from '../analysis/types.js';
import { Config } from '../config/schema.js';
import type { MemoryAuditLog } from '../shell/audit-log.js';
import { CommandDenied, type GuardedShell } from '../shell/guarded-shell.js';
import { hasPackage, packageScript, readPackageJson } from '../project/package-json.js';
import { planFixer, runFixer, shellQuoteFile, type FixerPlan } from './fixers.js';

const defaults = Config.parse({ quality_gates: { lint: { command: 'npm run lint' } } }).fixers;

function analysis(failureClass: FailureClass, files: string[] = []): FailureAnalysis {
  const locations: ErrorLocation[] = files.map((file, index) => ({ file, line: index + 1, column: 1, message: 'x' }));
  return { gate: failureClass, failureClass, excerpt: '', errorSignatures: [], locations };
}

const withPrettier = { devDependencies: { prettier: '3.3.3' } };
const withFormatScript = { scripts: { format: 'prettier --write .' }, devDependencies: { prettier: '3.3.3' } };
const withEslint = { devDependencies: { eslint: '9.4.0' } };

const outOfSync: FailureAnalysis = {
  ...analysis('dependency'),
  excerpt: 'npm error `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync.',
};

describe('planFixer', () => {
  it.each([
    ['pnpm', 'pnpm exec prettier --write src/a.ts', 'pnpm run format', 'pnpm install --lockfile-only --ignore-scripts'],
    ['yarn', 'yarn prettier --write src/a.ts', 'yarn format', 'yarn install --ignore-scripts --non-interactive'],
  ] as const)('speaks %s', (manager, prettier, script, lockfile) => {
    const project = { fixers: defaults, packageManager: manager, dir: '/nonexistent' };
    expect(planFixer(analysis('format', ['src/a.ts']), { ...project, packageJson: withPrettier })?.command).toBe(prettier);
    expect(planFixer(analysis('format'), { ...project, packageJson: withFormatScript })?.command).toBe(script);
    expect(planFixer(outOfSync, { ...project, packageJson: null })?.command).toBe(lockfile);
  });

  type Row = [string, FailureAnalysis, unknown, Partial<Record<'format' | 'lint' | 'dependency', { enabled?: boolean; command?: string | null }>>, Omit<FixerPlan, 'failureClass'> | null];
  it.each<Row>([
    ['format with a format script', analysis('format', ['src/a.ts']), withFormatScript, {}, { tool: 'format-script', command: 'npm run format' }],
    ['format with prettier on named files', analysis('format', ['src/a.ts', 'src/b.ts', 'src/a.ts']), withPrettier, {}, { tool: 'prettier', command: 'npx --no-install prettier --write src/a.ts src/b.ts' }],
    ['format with prettier, no files named', analysis('format'), { dependencies: { prettier: '3.3.3' } }, {}, { tool: 'prettier', command: 'npx --no-install prettier --write .' }],
    ['format without any formatter', analysis('format', ['src/a.ts']), { devDependencies: { vitest: '4.1.12' } }, {}, null],
    ['format without package.json', analysis('format'), null, {}, null],
    ['lint with eslint on named files', analysis('lint', ['src/server.ts']), withEslint, {}, { tool: 'eslint', command: 'npx --no-install eslint --fix src/server.ts' }],
    ['lint with eslint, no files named', analysis('lint'), withEslint, {}, { tool: 'eslint', command: 'npx --no-install eslint --fix .' }],
    ['lint without eslint', analysis('lint', ['src/a.ts']), withPrettier, {}, null],
    ['lint disabled', analysis('lint', ['src/a.ts']), withEslint, { lint: { enabled: false } }, null],
    ['format disabled', analysis('format'), withFormatScript, { format: { enabled: false } }, null],
    ['a config command overrides', analysis('lint', ['src/a.ts', 'src/b c.ts']), withEslint, { lint: { command: 'biome lint --write {files}' } }, { tool: 'custom', command: "biome lint --write src/a.ts 'src/b c.ts'" }],
    ['a config command without files gets "."', analysis('format'), null, { format: { command: 'dprint fmt {files}' } }, { tool: 'custom', command: 'dprint fmt .' }],
    ['a typecheck failure has no fixer', analysis('typecheck', ['src/a.ts']), withEslint, {}, null],
    ['a test failure has no fixer', analysis('test'), withFormatScript, {}, null],
    ['a malformed package.json shape', analysis('lint'), { devDependencies: ['eslint'], scripts: 'format' }, {}, null],
    ['an out-of-sync lockfile is re-synced', outOfSync, withEslint, {}, { tool: 'npm', command: 'npm install --package-lock-only --ignore-scripts --no-audit --no-fund' }],
    ['another dependency failure has no fixer', analysis('dependency'), withEslint, {}, null],
    ['the lockfile fixer can be disabled', outOfSync, withEslint, { dependency: { enabled: false } }, null],
  ])('%s', (_name, failure, packageJson, overrides, expected) => {
    const fixers = {
      format: { ...defaults.format, ...overrides.format },
      lint: { ...defaults.lint, ...overrides.lint },
      dependency: { ...defaults.dependency, ...overrides.dependency },
    };
    const plan = planFixer(failure, { packageJson, fixers, packageManager: 'npm', dir: '/nonexistent' });
    expect(plan).toEqual(expected === null ? null : { failureClass: failure.failureClass, ...expected });
  });
});

describe('shellQuoteFile', () => {
  it.each([
    ['src/a.ts', 'src/a.ts'],
    ['src/@scope/x+y=z.ts', 'src/@scope/x+y=z.ts'],
    ['src/my file.ts', "'src/my file.ts'"],
    ["src/it's.ts", "'src/it'\\''s.ts'"],
    ['src/$(rm -rf ~).ts', "'src/$(rm -rf ~).ts'"],
    ['src/a;b`c`.ts', "'src/a;b`c`.ts'"],
    ['--help', './--help'],
    ['-rf x', "'./-rf x'"],
  ])('%j → %s', (file, expected) => {
    expect(shellQuoteFile(file)).toBe(expected);
  });
});

describe('detect', () => {
  it('reads scripts and dependencies defensively', () => {
    expect(packageScript({ scripts: { format: 'prettier -w .' } }, 'format')).toBe('prettier -w .');
    expect(packageScript({ scripts: { format: '  ' } }, 'format')).toBeNull();
    expect(packageScript({ scripts: { format: 1 } }, 'format')).toBeNull();
    expect(packageScript('nonsense', 'format')).toBeNull();
    expect(hasPackage({ dependencies: { eslint: '^9' } }, 'eslint')).toBe(true);
    expect(hasPackage({ devDependencies: null }, 'eslint')).toBe(false);
    expect(hasPackage(null, 'eslint')).toBe(false);
  });
});

describe('runFixer with the guarded shell', () => {
  let dir: string;
  let audit: MemoryAuditLog;
  let shell: GuardedShell;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-fixer-'));
    ({ shell, audit } = testShell(dir, { killGraceMs: 200 }));
    // A tiny "formatter": trims trailing whitespace of the files it is given and says which it changed.
    await writeFile(
      path.join(dir, 'fmt.mjs'),
      [
        "import { readFileSync, writeFileSync } from 'node:fs';",
        'for (const file of process.argv.slice(2)) {',
        "  const text = readFileSync(file, 'utf8');",
        "  const fixed = text.replace(/[ \\t]+$/gm, '');",
        '  if (fixed !== text) { writeFileSync(file, fixed); console.log(`fixed ${file}`); }',
        '}',
      ].join('\n'),
    );
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a config override command on the named files, quoted, as fixer:<class>', async () => {
    await writeFile(path.join(dir, 'a.ts'), 'const a = 1;   \n');
    await writeFile(path.join(dir, "my file's.ts"), 'const b = 2;\t\n');
    await writeFile(path.join(dir, 'untouched.ts'), 'const c = 3;   \n');
    const fixers = { ...defaults, format: { enabled: true, command: `'${process.execPath}' fmt.mjs {files}` } };
    const plan = planFixer(analysis('format', ['a.ts', "my file's.ts"]), { packageJson: null, fixers, packageManager: 'npm', dir });
    expect(plan).not.toBeNull();

    const result = await runFixer(plan!, shell, { cwd: dir, timeoutMs: 20_000 });

    expect(result.ok).toBe(true);
    expect(result.output).toContain('fixed a.ts');
    expect(result.output).toContain("fixed my file's.ts");
    expect(await readFile(path.join(dir, 'a.ts'), 'utf8')).toBe('const a = 1;\n');
    expect(await readFile(path.join(dir, "my file's.ts"), 'utf8')).toBe('const b = 2;\n');
    expect(await readFile(path.join(dir, 'untouched.ts'), 'utf8')).toBe('const c = 3;   \n');
    expect(audit.entries.map((entry) => entry.actor)).toEqual(['fixer:format']);
  });

  it('reports a failing fixer with its output', async () => {
    const plan: FixerPlan = { failureClass: 'lint', tool: 'custom', command: `'${process.execPath}' -e "console.error('2 problems left'); process.exit(1)"` };
    const result = await runFixer(plan, shell, { cwd: dir, timeoutMs: 20_000 });
    expect(result).toEqual({ ok: false, output: expect.stringContaining('2 problems left') });
    expect(audit.entries[0]?.actor).toBe('fixer:lint');
  });

  it('reports a fixer that runs too long as not ok', async () => {
    const plan: FixerPlan = { failureClass: 'format', tool: 'custom', command: `'${process.execPath}' -e "setInterval(() => {}, 1000)"` };
    const result = await runFixer(plan, shell, { cwd: dir, timeoutMs: 300 });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('timed out after 300 ms');
  });

  it('lets the guarded shell refuse a forbidden override', async () => {
    const plan: FixerPlan = { failureClass: 'format', tool: 'custom', command: 'rm -rf / --no-preserve-root' };
    await expect(runFixer(plan, shell, { cwd: dir, timeoutMs: 1000 })).rejects.toBeInstanceOf(CommandDenied);
    expect(audit.entries[0]).toMatchObject({ actor: 'fixer:format', verdict: 'denied' });
  });

  it('reads package.json from the repository root', async () => {
    expect(readPackageJson(dir)).toBeNull();
    await writeFile(path.join(dir, 'package.json'), JSON.stringify(withFormatScript));
    expect(readPackageJson(dir)).toEqual(withFormatScript);
    await writeFile(path.join(dir, 'package.json'), '{ not json');
    expect(readPackageJson(dir)).toBeNull();
  });
});
