import path from 'node:path';

/**
 * The repository-relative form of a folder (forward slashes) when it lies inside the repository, else
 * null. Used to keep fleet-orch's own log folder out of the dirty-tree check.
 */
export function folderInside(repoRoot: string, absoluteDir: string): string | null {
  const relative = path.relative(repoRoot, absoluteDir);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return relative.split(path.sep).join('/');
}
