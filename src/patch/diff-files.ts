import { parsePatch, type StructuredPatch } from 'diff';

export type DiffFileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied';

/** One file a unified diff touches. Paths are as written in the diff, minus git's `a/` / `b/` prefixes. */
export interface DiffFile {
  /** null for a file the diff creates. */
  readonly oldPath: string | null;
  /** null for a file the diff deletes. */
  readonly newPath: string | null;
  readonly status: DiffFileStatus;
  /**
   * How the names were written: with git's `a/` and `b/` prefixes, bare, or `mixed` (one name prefixed and
   * the other not, but naming the same file: a typical model mistake).
   */
  readonly prefix: 'a/b' | 'none' | 'mixed';
  readonly binary: boolean;
  readonly oldMode: string | null;
  readonly newMode: string | null;
  readonly added: number;
  readonly removed: number;
}

/** The diff cannot be read as a unified diff. */
export class MalformedDiffError extends Error {
  override readonly name = 'MalformedDiffError';
}

const DEV_NULL = '/dev/null';

/**
 * Lists the files a unified (or git) diff touches. Wrong line counts in `@@` headers, common in model-written
 * diffs, are tolerated by recounting from the hunk bodies; text around the diff is ignored.
 * Throws MalformedDiffError when the text cannot be read as a diff.
 */
export function listDiffFiles(diff: string): DiffFile[] {
  return readDiffSections(diff).map((section) => section.file);
}

/** One file of a diff: what fleet-orch makes of it, and jsdiff's structure it was read from. */
export interface DiffSection {
  readonly file: DiffFile;
  readonly patch: StructuredPatch;
}

/** listDiffFiles, keeping jsdiff's parsed structure (hunks, headers) of each file. */
export function readDiffSections(diff: string): DiffSection[] {
  const text = diff.replace(/\r\n/g, '\n');
  const binarySections = binaryGitSections(text);
  const indexes = parseLeniently(text).filter(
    (index) => index.oldFileName !== undefined || index.newFileName !== undefined || index.hunks.length > 0,
  );
  // Without git headers there are no sections: a binary marker then marks the first file.
  const hasGitSections = indexes.some((index) => index.isGit === true);
  let gitSection = 0;
  return indexes.map((patch, position) => {
    const binary = patch.isGit === true
      ? binarySections.has(gitSection++)
      : !hasGitSections && position === 0 && binarySections.size > 0;
    return { file: toDiffFile(patch, binary), patch };
  });
}

/** Every path the files name, old and new, each once, in order. */
export function touchedPaths(files: readonly DiffFile[]): string[] {
  const paths = files.flatMap((file) => [file.oldPath, file.newPath]).filter((path): path is string => path !== null);
  return [...new Set(paths)];
}

function parseLeniently(text: string): StructuredPatch[] {
  try {
    return parsePatch(text);
  } catch {
    try {
      return parsePatch(recountHunks(text));
    } catch (error) {
      throw new MalformedDiffError(`malformed diff: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function toDiffFile(index: StructuredPatch, binary: boolean): DiffFile {
  if (index.oldFileName === undefined || index.newFileName === undefined) {
    throw new MalformedDiffError('malformed diff: a hunk has no ---/+++ file names');
  }
  const rawOld = index.isCreate === true || index.oldFileName === DEV_NULL ? null : index.oldFileName;
  const rawNew = index.isDelete === true || index.newFileName === DEV_NULL ? null : index.newFileName;
  if (rawOld === null && rawNew === null) throw new MalformedDiffError('malformed diff: both file names are /dev/null');
  const { oldPath, newPath, prefix } = stripPrefixes(rawOld, rawNew);
  const lines = index.hunks.flatMap((hunk) => hunk.lines);
  return {
    oldPath,
    newPath,
    status: statusOf(index, oldPath, newPath),
    prefix,
    binary: binary || index.isBinary === true,
    oldMode: index.oldMode ?? null,
    newMode: index.newMode ?? null,
    added: lines.filter((line) => line.startsWith('+')).length,
    removed: lines.filter((line) => line.startsWith('-')).length,
  };
}

function stripPrefixes(rawOld: string | null, rawNew: string | null): Pick<DiffFile, 'oldPath' | 'newPath' | 'prefix'> {
  const oldPrefixed = rawOld?.startsWith('a/') === true;
  const newPrefixed = rawNew?.startsWith('b/') === true;
  const strippedOld = oldPrefixed ? rawOld!.slice(2) : rawOld;
  const strippedNew = newPrefixed ? rawNew!.slice(2) : rawNew;
  if ((rawOld === null || oldPrefixed) && (rawNew === null || newPrefixed)) {
    return { oldPath: strippedOld, newPath: strippedNew, prefix: 'a/b' };
  }
  if (rawOld !== null && rawNew !== null && oldPrefixed !== newPrefixed && strippedOld === strippedNew) {
    return { oldPath: strippedOld, newPath: strippedNew, prefix: 'mixed' };
  }
  return { oldPath: rawOld, newPath: rawNew, prefix: 'none' };
}

function statusOf(index: StructuredPatch, oldPath: string | null, newPath: string | null): DiffFileStatus {
  if (oldPath === null) return 'added';
  if (newPath === null) return 'deleted';
  if (index.isRename === true) return 'renamed';
  if (index.isCopy === true) return 'copied';
  return oldPath === newPath ? 'modified' : 'renamed';
}

/**
 * Which `diff --git` sections (0-based) carry binary content. parsePatch flags `Binary files … differ` but not
 * `GIT binary patch`. Marker lines before the first git header count for the first section, and lines in a
 * section without a git header for the section before it, so a binary marker anywhere marks some file binary.
 */
function binaryGitSections(text: string): Set<number> {
  const sections = new Set<number>();
  let section = 0;
  let seenHeader = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('diff --git ')) {
      if (seenHeader) section++;
      seenHeader = true;
    } else if (line === 'GIT binary patch' || /^Binary files .* differ$/.test(line)) {
      sections.add(section);
    }
  }
  return sections;
}

/**
 * Rewrites each `@@` header with the line counts of the body that follows it (what `git apply --recount`
 * does). A body ends at the next hunk or file header, or at a line that cannot be part of a hunk.
 */
function recountHunks(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/.exec(lines[index] ?? '');
    if (header === null) {
      out.push(lines[index++] ?? '');
      continue;
    }
    let end = index + 1;
    let oldCount = 0;
    let newCount = 0;
    for (; end < lines.length; end++) {
      const line = lines[end] ?? '';
      const next = lines[end + 1] ?? '';
      if (/^(@@ |diff |Index: )/.test(line) || (line.startsWith('--- ') && next.startsWith('+++ '))) break;
      if (line === '' && end === lines.length - 1) break;
      const kind = line === '' ? ' ' : line[0];
      if (kind === ' ' || kind === '-') oldCount++;
      if (kind === ' ' || kind === '+') newCount++;
      if (kind !== ' ' && kind !== '-' && kind !== '+' && kind !== '\\') break;
    }
    out.push(`@@ -${header[1]},${oldCount} +${header[2]},${newCount} @@${header[3]}`, ...lines.slice(index + 1, end));
    index = end;
  }
  return out.join('\n');
}
