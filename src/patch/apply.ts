import { GitOperationError } from '../errors.js';
import type { GitApplyOptions, Repo } from '../git/repo.js';
import { listDiffFiles, MalformedDiffError, touchedPaths, type DiffFile } from './diff-files.js';

export type ApplyResult =
  | { applied: true; files: string[]; method: 'git-apply' | 'git-apply-recount' }
  | { applied: false; reason: string };

/** What applying a diff would do, decided before git sees it. */
export type PatchPlan =
  | { readonly ok: true; readonly files: string[]; readonly stripComponents: 0 | 1; readonly gitPaths: string[] }
  | { readonly ok: false; readonly reason: string };

const ATTEMPTS = [
  { method: 'git-apply', recount: false },
  { method: 'git-apply-recount', recount: true },
] as const;

/**
 * Validates with `git apply --check`, then applies to the working tree; when the check fails, retries both with
 * `--recount` (model diffs often carry wrong `@@` line counts). Refuses, leaving the tree unchanged, a diff that
 * is empty, binary, touches a path outside the repository or inside `.git/`, or names files inconsistently.
 * Before applying it also checks that git reads the same files from the diff as fleet-orch does.
 */
export async function applyPatch(repo: Repo, diff: string): Promise<ApplyResult> {
  const text = diff.endsWith('\n') ? diff : `${diff}\n`;
  const plan = planPatch(text);
  if (!plan.ok) return { applied: false, reason: plan.reason };
  const failures: string[] = [];
  for (const attempt of ATTEMPTS) {
    const options: GitApplyOptions = { stripComponents: plan.stripComponents, recount: attempt.recount };
    try {
      await repo.checkDiff(text, options);
    } catch (error) {
      failures.push(gitReasonOrRethrow(error));
      continue;
    }
    try {
      const mismatch = pathMismatch(plan.gitPaths, await repo.diffPaths(text, options));
      if (mismatch !== null) return { applied: false, reason: mismatch };
      await repo.applyDiff(text, options);
    } catch (error) {
      return { applied: false, reason: gitReasonOrRethrow(error) };
    }
    return { applied: true, files: plan.files, method: attempt.method };
  }
  const [plain, recounted] = failures;
  const detail = recounted === plain ? `${plain} (also with --recount)` : `${plain}; with --recount: ${recounted}`;
  return { applied: false, reason: `patch does not apply: ${detail}` };
}

/** Pure: reads the diff and decides whether and how it may be applied. */
export function planPatch(diff: string): PatchPlan {
  if (diff.trim() === '') return refuse('empty diff');
  let files: DiffFile[];
  try {
    files = listDiffFiles(diff);
  } catch (error) {
    if (error instanceof MalformedDiffError) return refuse(error.message);
    throw error;
  }
  if (files.length === 0) return refuse('empty diff: no file headers found');
  for (const file of files) {
    const reason = fileRefusal(file);
    if (reason !== null) return refuse(reason);
  }
  const styles = new Set(files.map((file) => file.prefix));
  if (styles.has('mixed') || styles.size > 1) {
    return refuse('inconsistent file names: write every name with a/ and b/ prefixes, or none of them');
  }
  return {
    ok: true,
    files: touchedPaths(files),
    stripComponents: styles.has('a/b') ? 1 : 0,
    gitPaths: files.map((file) => file.newPath ?? file.oldPath ?? ''),
  };
}

/** Why a repository-relative path from a diff may not be written, or null. */
export function unsafePathReason(path: string): string | null {
  if (path.trim() === '') return 'empty file name';
  if (/[\0\r\n]/.test(path)) return `control character in file name ${JSON.stringify(path)}`;
  if (/^([\\/]|[A-Za-z]:)/.test(path)) return `absolute path: ${path}`;
  const segments = path.split(/[\\/]+/);
  if (segments.includes('..')) return `path outside the repository: ${path}`;
  // Also what Windows and macOS file systems treat as `.git` (`.GIT`, `.git.`, the 8.3 name `git~1`).
  const gitDir = segments.some((segment) => ['.git', 'git~1'].includes(segment.replace(/[. ]+$/, '').toLowerCase()));
  if (gitDir) return `path inside .git: ${path}`;
  return null;
}

function fileRefusal(file: DiffFile): string | null {
  const name = file.newPath ?? file.oldPath ?? '';
  if (file.binary) return `binary patch: ${name}`;
  for (const mode of [file.oldMode, file.newMode]) {
    if (mode === '120000') return `symbolic link in patch: ${name}`;
    if (mode === '160000') return `submodule in patch: ${name}`;
  }
  for (const path of [file.oldPath, file.newPath]) {
    const reason = path === null ? null : unsafePathReason(path);
    if (reason !== null) return reason;
  }
  return null;
}

function pathMismatch(expected: readonly string[], fromGit: readonly string[]): string | null {
  const want = [...new Set(expected)].sort();
  const got = [...new Set(fromGit)].sort();
  if (want.length === got.length && want.every((path, index) => path === got[index])) return null;
  return `git reads other files from the diff than expected: expected ${want.join(', ')}; git: ${got.join(', ')}`;
}

function gitReasonOrRethrow(error: unknown): string {
  if (error instanceof GitOperationError) return error.message;
  throw error;
}

function refuse(reason: string): PatchPlan {
  return { ok: false, reason };
}
