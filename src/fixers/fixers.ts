import type { FailureAnalysis } from '../analysis/types.js';
import type { Config } from '../config/schema.js';
import type { GuardedShell } from '../shell/guarded-shell.js';
import { execTool, lockfileSyncCommand, runScript, type PackageManager } from '../project/detect.js';
import { hasPackage, packageScript } from '../project/package-json.js';

/**
 * Built-in fixers (tier 1): deterministic remediations that need no model. They run the project's own
 * formatter or linter in fix mode on the files the failure names, or re-sync a lockfile with the project's
 * package manager. The caller captures the git diff afterwards and reviews it like any patch.
 */

export type FixableClass = 'format' | 'lint' | 'dependency';

export interface FixerPlan {
  readonly failureClass: FixableClass;
  /** `format-script`, `prettier`, `eslint`, `npm`/`pnpm`/`yarn` (lockfile) or `custom` (a command from config). */
  readonly tool: string;
  readonly command: string;
}

export interface FixerProject {
  readonly packageJson: unknown | null;
  readonly fixers: Config['fixers'];
  readonly packageManager: PackageManager;
  /** The project's folder (yarn 2+ is told apart by its .yarnrc.yml). */
  readonly dir: string;
}

/** What npm, pnpm and yarn print when `ci` / a frozen install finds the lockfile out of sync with package.json. */
const LOCKFILE_OUT_OF_SYNC = new RegExp(
  [
    'can only install packages when your package\\.json and package-lock\\.json (?:or npm-shrinkwrap\\.json )?are in sync',
    'Missing: \\S+ from lock file',
    'ERR_PNPM_OUTDATED_LOCKFILE',
    'pnpm-lock\\.yaml is not up to date',
    'Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`',
    'YN0028',
    'The lockfile would have been modified by this install, which is explicitly forbidden',
  ].join('|'),
  'i',
);

export function lockfileOutOfSync(analysis: FailureAnalysis): boolean {
  return LOCKFILE_OUT_OF_SYNC.test(analysis.excerpt);
}

const SAFE_WORD = /^[A-Za-z0-9_./@%+=:,-]+$/;

/** POSIX shell quoting; a name starting with `-` gets `./` so that no tool reads it as an option. */
export function shellQuoteFile(file: string): string {
  const safe = file.startsWith('-') ? `./${file}` : file;
  return SAFE_WORD.test(safe) ? safe : `'${safe.replace(/'/g, `'\\''`)}'`;
}

/** The files named in the analysis, in order of first mention, quoted; `.` when none are named. */
export function fixerTargets(analysis: FailureAnalysis): string {
  const files = [...new Set(analysis.locations.map((location) => location.file))];
  return files.length === 0 ? '.' : files.map(shellQuoteFile).join(' ');
}

function isFixable(failureClass: string): failureClass is FixableClass {
  return failureClass === 'format' || failureClass === 'lint' || failureClass === 'dependency';
}

export function planFixer(analysis: FailureAnalysis, project: FixerProject): FixerPlan | null {
  const failureClass = analysis.failureClass;
  if (!isFixable(failureClass)) return null;
  const settings = project.fixers[failureClass];
  if (!settings.enabled) return null;

  const targets = fixerTargets(analysis);
  if (settings.command !== null) {
    return { failureClass, tool: 'custom', command: settings.command.replaceAll('{files}', () => targets) };
  }
  const manager = project.packageManager;
  if (failureClass === 'dependency') {
    // Only a lockfile out of sync is fixed by machine; a 404 or a missing compiler is not.
    if (!lockfileOutOfSync(analysis)) return null;
    return { failureClass, tool: manager, command: lockfileSyncCommand(manager, project.dir) };
  }
  if (failureClass === 'format') {
    if (packageScript(project.packageJson, 'format') !== null) {
      return { failureClass, tool: 'format-script', command: runScript(manager, 'format') };
    }
    if (hasPackage(project.packageJson, 'prettier')) {
      return { failureClass, tool: 'prettier', command: execTool(manager, `prettier --write ${targets}`) };
    }
    return null;
  }
  if (hasPackage(project.packageJson, 'eslint')) {
    return { failureClass, tool: 'eslint', command: execTool(manager, `eslint --fix ${targets}`) };
  }
  return null;
}

export interface RunFixerOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Runs the plan through the guarded shell as `fixer:<class>` (not "mutating": fixers work in the work tree).
 * ok means the command ran and exited 0; a linter that fixed some problems but not all exits non-zero, so the
 * caller looks at the diff either way. A command the policy refuses throws, as every shell request does.
 */
export async function runFixer(
  plan: FixerPlan,
  shell: Pick<GuardedShell, 'run'>,
  options: RunFixerOptions,
): Promise<{ ok: boolean; output: string }> {
  const result = await shell.run({
    command: plan.command,
    cwd: options.cwd,
    actor: `fixer:${plan.failureClass}`,
    timeoutMs: options.timeoutMs,
    mutates: false,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const ok = result.verdict === 'allowed' && result.exitCode === 0 && !result.timedOut && !result.canceled;
  let output = result.output;
  if (result.verdict === 'denied') output = `refused by the guarded shell: ${plan.command}\n${output}`;
  else if (result.timedOut) output = `${output}\n[fleet-orch] the fixer timed out after ${options.timeoutMs} ms`;
  else if (result.canceled) output = `${output}\n[fleet-orch] the fixer was canceled`;
  return { ok, output };
}
