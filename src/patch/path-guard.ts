import { lstat, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { matchesGlob } from '../agents/rules/glob.js';

/** Why a directory-relative path from a diff may not be written, judged by its spelling alone; or null. */
export function unsafePathReason(path: string): string | null {
  if (path.trim() === '') return 'empty file name';
  if (/[\0\r\n]/.test(path)) return `control character in file name ${JSON.stringify(path)}`;
  if (/^([\\/]|[A-Za-z]:)/.test(path) || path.startsWith('~')) return `absolute path: ${path}`;
  const segments = path.split(/[\\/]+/);
  if (segments.includes('..')) return `path outside the directory: ${path}`;
  // Also what Windows and macOS file systems treat as `.git` (`.GIT`, `.git.`, the 8.3 name `git~1`).
  const gitDir = segments.some((segment) => ['.git', 'git~1'].includes(segment.replace(/[. ]+$/, '').toLowerCase()));
  if (gitDir) return `path inside .git: ${path}`;
  return null;
}

/** The protected-path glob (safety.protected_paths) the path matches, as a reason; or null. */
export function protectedPathReason(path: string, patterns: readonly string[]): string | null {
  const pattern = patterns.find((candidate) => matchesGlob(path, candidate));
  return pattern === undefined ? null : `protected path: ${path} (matches "${pattern}")`;
}

/**
 * Why writing `path` under `root` (a real path) would leave it or write through a link; or null. Every existing
 * component is checked: a symbolic link anywhere on the way is refused (one pointing outside would write
 * outside, one pointing inside would change a file the patch does not name), and so is a file used as a folder.
 */
export async function fileSystemReason(root: string, path: string): Promise<string | null> {
  const segments = path.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.');
  let current = root;
  for (const [index, segment] of segments.entries()) {
    current = join(current, segment);
    const stats = await lstat(current).catch(() => null);
    if (stats === null) return null;
    const shown = segments.slice(0, index + 1).join('/');
    if (stats.isSymbolicLink()) {
      const target = await realpath(current).catch(() => null);
      const outside = target === null || !isInside(root, target);
      return `path beyond a symbolic link: ${path} (${shown} is a link${outside ? ' pointing outside the directory' : ''})`;
    }
    const last = index === segments.length - 1;
    if (!last && !stats.isDirectory()) return `not a directory: ${shown} (on the way to ${path})`;
    if (last && !stats.isFile()) return `not a regular file: ${path}`;
  }
  return null;
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
