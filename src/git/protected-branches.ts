import { globToRegExp } from '../shell/rules/paths.js';

/** Never pushed to by fleet-orch, whatever the configuration says. */
export const ALWAYS_PROTECTED_BRANCHES: readonly string[] = ['main', 'master'];

/**
 * Whether `branch` (a name or `refs/heads/<name>`) is main, master or matches one of `configured`
 * (`safety.protected_branches`, globs like `release/*` allowed). The same meaning as the guarded shell's rule.
 */
export function isProtectedBranch(branch: string, configured: readonly string[]): boolean {
  const name = branch.replace(/^refs\/heads\//, '');
  return [...ALWAYS_PROTECTED_BRANCHES, ...configured].some(
    (entry) => entry === name || (/[*?[]/.test(entry) && globToRegExp(entry, true).test(name)),
  );
}
