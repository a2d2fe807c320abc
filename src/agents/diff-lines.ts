import { parsePatch } from 'diff';
import type { StructuredPatch } from 'diff';
import { parsePatchText } from '../patch/parse-patch.js';
import type { PatchFile } from '../patch/types.js';

/**
 * The files of a unified diff with their added and removed lines, for rules that judge what a patch adds or
 * takes away. Model-written diffs often carry wrong hunk counts; when jsdiff refuses one, the hunk headers are
 * recounted from the lines and the diff is parsed again (the patch module decides separately whether and
 * where it applies).
 */

export interface DiffLine {
  /** 1-based line number: in the new file for added lines, in the old file for removed ones. */
  readonly line: number;
  /** The line's text without the leading `+`/`-` and without a trailing CR. */
  readonly text: string;
}

export type DiffFileStatus = 'added' | 'deleted' | 'modified' | 'renamed';

export interface DiffFile {
  /** Repository-relative path before the change (`a/` stripped); null for a created file. */
  readonly oldPath: string | null;
  /** Repository-relative path after the change (`b/` stripped); null for a deleted file. */
  readonly newPath: string | null;
  /** The names exactly as the diff wrote them, for checks that must not depend on prefix guessing. */
  readonly rawNames: readonly string[];
  /** `newPath ?? oldPath`. */
  readonly path: string;
  readonly status: DiffFileStatus;
  readonly isBinary: boolean;
  readonly added: readonly DiffLine[];
  readonly removed: readonly DiffLine[];
}

export class DiffParseError extends Error {
  override readonly name = 'DiffParseError';
}

const DEV_NULL = '/dev/null';

/** Parses a unified (or git) diff; throws DiffParseError when it cannot be read even after recounting. */
export function parseDiffFiles(diff: string): DiffFile[] {
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(diff);
  } catch {
    try {
      patches = parsePatch(recountHunks(diff));
    } catch (error) {
      // What jsdiff cannot read (`...` elisions, context lines without their space) the patch applier may still
      // apply: review exactly what it would apply, rather than reject a diff it would recover.
      const lenient = fromApplierParse(diff);
      if (lenient !== null) return lenient;
      throw new DiffParseError(`unreadable diff: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const files: DiffFile[] = [];
  for (const patch of patches) {
    const file = toDiffFile(patch);
    if (file !== null) files.push(file);
  }
  return files;
}

function fromApplierParse(diff: string): DiffFile[] | null {
  let parsed: PatchFile[];
  try {
    parsed = parsePatchText(diff);
  } catch {
    return null;
  }
  return parsed.map((file) => {
    const added: DiffLine[] = [];
    const removed: DiffLine[] = [];
    for (const hunk of file.hunks) {
      // Line numbers are the header's hint: good enough for findings, which is all they are used for here.
      let oldLine = (hunk.hint ?? 0) + 1;
      let newLine = oldLine;
      for (const op of hunk.ops) {
        if (op.kind === 'add') added.push({ line: newLine++, text: op.text });
        else if (op.kind === 'remove') removed.push({ line: oldLine++, text: op.text });
        else if (op.kind === 'context') {
          oldLine += 1;
          newLine += 1;
        }
      }
    }
    const path = file.newPath ?? file.oldPath ?? '';
    return {
      oldPath: file.oldPath,
      newPath: file.newPath,
      rawNames: [file.oldPath, file.newPath].filter((name): name is string => name !== null),
      path,
      status: file.status === 'copied' ? 'added' : file.status,
      isBinary: file.binary,
      added,
      removed,
    };
  });
}

/** Added plus removed lines over all files. */
export function changedLineCount(files: readonly DiffFile[]): number {
  return files.reduce((sum, file) => sum + file.added.length + file.removed.length, 0);
}

function toDiffFile(patch: StructuredPatch): DiffFile | null {
  const hasContent =
    patch.hunks.length > 0 || patch.isBinary === true || patch.isRename === true || patch.isCreate === true ||
    patch.isDelete === true || patch.isCopy === true || patch.oldMode !== undefined || patch.newMode !== undefined;
  if (!hasContent) return null;
  const rawOld = patch.oldFileName;
  const rawNew = patch.newFileName;
  if (rawOld === undefined && rawNew === undefined) throw new DiffParseError('a hunk without --- / +++ file names');

  const stripBoth = (rawOld === undefined || rawOld === DEV_NULL || rawOld.startsWith('a/')) &&
    (rawNew === undefined || rawNew === DEV_NULL || rawNew.startsWith('b/'));
  const oldPath = repoPath(rawOld, stripBoth ? 'a/' : null);
  const newPath = repoPath(rawNew, stripBoth ? 'b/' : null);
  const path = newPath ?? oldPath;
  if (path === null) throw new DiffParseError('a file diff where both sides are /dev/null');

  const added: DiffLine[] = [];
  const removed: DiffLine[] = [];
  for (const hunk of patch.hunks) {
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    for (const raw of hunk.lines) {
      const marker = raw[0];
      const text = raw.slice(1).replace(/\r$/, '');
      if (marker === '+') added.push({ line: newLine++, text });
      else if (marker === '-') removed.push({ line: oldLine++, text });
      else if (marker !== '\\') {
        oldLine += 1;
        newLine += 1;
      }
    }
  }
  return {
    oldPath,
    newPath,
    rawNames: [rawOld, rawNew].filter((name): name is string => name !== undefined && name !== DEV_NULL),
    path,
    status: statusOf(patch, oldPath, newPath),
    isBinary: patch.isBinary === true,
    added,
    removed,
  };
}

function statusOf(patch: StructuredPatch, oldPath: string | null, newPath: string | null): DiffFileStatus {
  if (patch.isCreate === true || oldPath === null) return 'added';
  if (patch.isDelete === true || newPath === null) return 'deleted';
  if (patch.isRename === true || oldPath !== newPath) return 'renamed';
  return 'modified';
}

function repoPath(raw: string | undefined, prefix: string | null): string | null {
  if (raw === undefined || raw === DEV_NULL) return null;
  const withoutPrefix = prefix !== null && raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
  return withoutPrefix.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;

/** Rewrites every `@@` header with the counts of the lines that actually follow it. */
export function recountHunks(diff: string): string {
  const lines = diff.split('\n');
  const out: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    if (!line.startsWith('@@')) {
      out.push(line);
      index += 1;
      continue;
    }
    let end = index + 1;
    while (end < lines.length && !startsNextSection(lines, end)) end += 1;
    const body = lines.slice(index + 1, end);
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    let oldCount = 0;
    let newCount = 0;
    for (const bodyLine of body) {
      const marker = bodyLine[0];
      if (marker === '-') oldCount += 1;
      else if (marker === '+') newCount += 1;
      else if (marker !== '\\') {
        oldCount += 1;
        newCount += 1;
      }
    }
    const header = HUNK_HEADER.exec(line);
    const oldStart = header?.[1] ?? (oldCount === 0 ? '0' : '1');
    const newStart = header?.[2] ?? (newCount === 0 ? '0' : '1');
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@${header?.[3] ?? ''}`, ...body);
    index = end;
  }
  return out.join('\n');
}

function startsNextSection(lines: readonly string[], index: number): boolean {
  const line = lines[index] ?? '';
  if (line.startsWith('@@') || line.startsWith('diff --git ') || line.startsWith('Index: ')) return true;
  return line.startsWith('--- ') && (lines[index + 1] ?? '').startsWith('+++ ');
}
