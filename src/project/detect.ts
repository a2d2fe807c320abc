import { existsSync } from 'node:fs';
import path from 'node:path';
import { hasPackage, packageScript, readPackageJson } from './package-json.js';

export type PackageManager = 'npm' | 'pnpm' | 'yarn';

export interface ProjectScripts {
  readonly packageManager: PackageManager;
  /** How the lockfile told us (or `default` when there is none). */
  readonly detectedFrom: string;
  readonly install: string;
  readonly lint: string | null;
  readonly formatCheck: string | null;
  readonly typecheck: string | null;
  readonly test: string | null;
  readonly build: string | null;
}

const LOCKFILES: readonly [string, PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/** npm's placeholder for "no tests": not a gate worth running. */
const NPM_DEFAULT_TEST = /no test specified/;

/**
 * What a Node project's gates are: its package manager (from the lockfile, else package.json's
 * `packageManager`) and the scripts for install, lint, format check, typecheck, test and build.
 */
export function detectProject(dir: string): ProjectScripts {
  const pkg = readPackageJson(dir);
  const { manager, detectedFrom } = detectPackageManager(dir, pkg);
  const firstScript = (...names: string[]): string | null => names.find((name) => packageScript(pkg, name) !== null) ?? null;
  const run = (name: string): string => runScript(manager, name);
  const dependency = (name: string): boolean => hasPackage(pkg, name);
  const exec = (command: string): string => execTool(manager, command);

  const lintScript = firstScript('lint', 'eslint');
  const formatScript = firstScript('format:check', 'format-check', 'check-format', 'prettier:check', 'fmt:check');
  const typecheckScript = firstScript('typecheck', 'type-check', 'check-types', 'types', 'tsc');
  const test = packageScript(pkg, 'test');
  const testScript = test !== null && !NPM_DEFAULT_TEST.test(test) ? 'test' : null;
  const buildScript = firstScript('build');

  return {
    packageManager: manager,
    detectedFrom,
    install: installCommand(manager, dir),
    lint: lintScript ? run(lintScript) : dependency('eslint') ? exec('eslint .') : null,
    formatCheck: formatScript ? run(formatScript) : dependency('prettier') ? exec('prettier --check .') : null,
    typecheck: typecheckScript
      ? run(typecheckScript)
      : dependency('typescript') && existsSync(path.join(dir, 'tsconfig.json'))
        ? exec('tsc --noEmit')
        : null,
    test: testScript ? (manager === 'yarn' ? 'yarn test' : `${manager} test`) : null,
    build: buildScript ? run(buildScript) : null,
  };
}

/** `npm run x`, `pnpm run x`, `yarn x`. */
export function runScript(manager: PackageManager, name: string): string {
  return manager === 'yarn' ? `yarn ${name}` : `${manager} run ${name}`;
}

/** A tool from the project's own node_modules, never downloaded: `npx --no-install x`, `pnpm exec x`, `yarn x`. */
export function execTool(manager: PackageManager, command: string): string {
  if (manager === 'npm') return `npx --no-install ${command}`;
  return manager === 'pnpm' ? `pnpm exec ${command}` : `yarn ${command}`;
}

/** Re-syncs the lockfile with package.json without running install scripts (nor, where possible, installing). */
export function lockfileSyncCommand(manager: PackageManager, dir: string): string {
  switch (manager) {
    case 'npm':
      return 'npm install --package-lock-only --ignore-scripts --no-audit --no-fund';
    case 'pnpm':
      return 'pnpm install --lockfile-only --ignore-scripts';
    case 'yarn':
      return existsSync(path.join(dir, '.yarnrc.yml'))
        ? 'yarn install --mode update-lockfile'
        : 'yarn install --ignore-scripts --non-interactive';
  }
}

/** The package manager of the project in `dir`: from its lockfile, else package.json's `packageManager`, else npm. */
export function detectPackageManager(dir: string, pkg: unknown = readPackageJson(dir)): { manager: PackageManager; detectedFrom: string } {
  for (const [file, manager] of LOCKFILES) {
    if (existsSync(path.join(dir, file))) return { manager, detectedFrom: file };
  }
  const field = pkg !== null && typeof pkg === 'object' ? (pkg as { packageManager?: unknown }).packageManager : undefined;
  const declared = typeof field === 'string' ? /^(npm|pnpm|yarn)@/.exec(field)?.[1] : undefined;
  if (declared) return { manager: declared as PackageManager, detectedFrom: 'package.json packageManager' };
  return { manager: 'npm', detectedFrom: 'default' };
}

function installCommand(manager: PackageManager, dir: string): string {
  switch (manager) {
    case 'pnpm':
      return 'pnpm install --frozen-lockfile';
    case 'yarn':
      // Yarn 2+ (berry) has .yarnrc.yml and --immutable; classic yarn has --frozen-lockfile.
      return existsSync(path.join(dir, '.yarnrc.yml')) ? 'yarn install --immutable' : 'yarn install --frozen-lockfile';
    case 'npm':
      return existsSync(path.join(dir, 'package-lock.json')) || existsSync(path.join(dir, 'npm-shrinkwrap.json'))
        ? 'npm ci'
        : 'npm install';
  }
}
