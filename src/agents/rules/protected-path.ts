import type { DiffFile } from '../diff-lines.js';
import { matchesGlob } from './glob.js';
import { finding, type Rule } from './rule.js';

/**
 * Patches must not touch protected paths (`safety.protected_paths`), anything inside a `.git` directory, or
 * any path that leaves the repository. Both the old and the new name count, with and without the `a/` `b/`
 * prefixes, so neither a rename nor an unprefixed diff slips past.
 */
export const protectedPathRule: Rule = (files, options) =>
  files.flatMap((file) => {
    const names = namesOf(file);
    const escaping = names.find((name) => escapesRepository(name));
    if (escaping !== undefined) {
      return [finding('protected-path', 'critical', `changes a path outside the repository: ${escaping}`, file.path)];
    }
    const gitDir = names.find((name) => name.split('/').some((segment) => segment.toLowerCase() === '.git'));
    if (gitDir !== undefined) {
      return [finding('protected-path', 'critical', `changes a path inside a .git directory: ${gitDir}`, file.path)];
    }
    for (const pattern of options.protectedPaths) {
      const hit = names.find((name) => matchesGlob(name, pattern));
      if (hit !== undefined) {
        return [finding('protected-path', 'critical', `changes protected path ${hit} (matches "${pattern}")`, file.path)];
      }
    }
    return [];
  });

function namesOf(file: DiffFile): string[] {
  const names = [file.oldPath, file.newPath, ...file.rawNames].filter((name): name is string => name !== null);
  return [...new Set(names.map((name) => name.replace(/\\/g, '/')))];
}

function escapesRepository(name: string): boolean {
  return name.startsWith('/') || /^[A-Za-z]:\//.test(name) || name.split('/').includes('..') || name.startsWith('~');
}
