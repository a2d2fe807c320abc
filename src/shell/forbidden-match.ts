import path from 'node:path';
import type { CommandShape, ShapeWord } from './command-shape.js';
import { globToRegExp } from './rules/paths.js';

/**
 * Matching by meaning, in two directions:
 * - a forbidden entry matches a command when the program is the same, every flag of the entry is present
 *   (aliases folded), and the entry's words appear in the command in the same order (paths compared after
 *   resolving, `dir/*` counting as `dir`); unknown words of the command may be anything, so they match;
 * - an allowed entry matches a command when the program is the same, the entry's words are the first
 *   positional words of the command (all known), its flags are present, and the command runs under no
 *   privilege wrapper the entry does not name.
 */
export function matchesForbidden(wanted: readonly CommandShape[], commands: readonly CommandShape[]): boolean {
  return wanted.every((entry) => commands.some((command) => forbiddenShapeMatches(entry, command)));
}

function forbiddenShapeMatches(entry: CommandShape, command: CommandShape): boolean {
  if (entry.program !== command.program) return false;
  if (!command.dynamic) for (const flag of entry.flags) if (!command.flags.has(flag)) return false;
  let at = 0;
  for (const word of command.words) {
    if (at < entry.words.length && wordMatches(word, command.cwd, entry.words[at]!, entry.cwd, true)) at += 1;
  }
  return at === entry.words.length;
}

export function allowedShapeMatches(entry: CommandShape, command: CommandShape): boolean {
  if (entry.program !== command.program) return false;
  for (const wrapper of command.privileged) if (!entry.privileged.has(wrapper)) return false;
  for (const flag of entry.flags) if (!command.flags.has(flag)) return false;
  return entry.words.every((word, index) => {
    const actual = command.words[index];
    return actual !== undefined && actual.value !== null && !actual.glob && wordMatches(actual, command.cwd, word, entry.cwd, false);
  });
}

function wordMatches(have: ShapeWord, haveCwd: string | null, want: ShapeWord, wantCwd: string | null, lenient: boolean): boolean {
  if (have.value === null) return lenient;
  const wanted = want.value!;
  if (have.value === wanted) return true;
  if (have.glob && lenient) {
    if (globToRegExp(have.value).test(wanted)) return true;
    const prefix = have.value.slice(0, have.value.search(/[*?[]/));
    const base = prefix === '' ? '.' : prefix.replace(/\/+$/, '') || '/';
    if (samePath(base, haveCwd, wanted, wantCwd)) return true;
  }
  return samePath(have.value, haveCwd, wanted, wantCwd);
}

/** Paths that resolve to the same place (relative ones from their own working directory). */
function samePath(a: string, aCwd: string | null, b: string, bCwd: string | null): boolean {
  const looksLikePath = (word: string): boolean => word.includes('/') || word === '.' || word === '..' || word === '~';
  if (!looksLikePath(a) && !looksLikePath(b)) return false;
  const resolve = (word: string, cwd: string | null): string | null =>
    path.posix.isAbsolute(word) ? path.posix.resolve(word) : cwd === null ? null : path.posix.resolve(cwd, word);
  const left = resolve(a, aCwd);
  return left !== null && left === resolve(b, bCwd);
}
