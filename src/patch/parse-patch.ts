import { MalformedDiffError, readDiffSections, type DiffSection } from './diff-files.js';
import { HunkBodyError, isElision, splitHunks, type RawHunk } from './hunk-body.js';
import type { HunkOp, PatchFile, PatchHunk } from './types.js';

/** The text cannot be read as a unified diff (CLI exit 2). */
export class PatchParseError extends Error {
  override readonly name = 'PatchParseError';
}

/**
 * Parses a unified or git diff as models write them: file headers, git extended headers (renames, modes,
 * binary markers) and quoted names through jsdiff (via diff-files.ts); hunk bodies by their lines, so wrong
 * `@@` counts, blank context lines without their space, `...` elisions, CRLF and `\ No newline` markers are
 * all read. Sections that modify the same file again are merged into one.
 */
export function parsePatchText(diff: string): PatchFile[] {
  let split;
  let sections: DiffSection[];
  try {
    split = splitHunks(diff);
    sections = readDiffSections(split.skeleton);
  } catch (error) {
    if (error instanceof HunkBodyError || error instanceof MalformedDiffError) throw new PatchParseError(error.message);
    throw error;
  }
  if (sections.length === 0) throw new PatchParseError('no ---/+++ file headers with @@ hunks found');
  const files = sections.map((section) => toPatchFile(section, split.hunks, split.crlfText));
  const used = files.reduce((sum, file) => sum + file.hunks.length, 0);
  if (used !== split.hunks.length) {
    throw new PatchParseError(`malformed diff: ${split.hunks.length - used} hunk(s) outside any file section`);
  }
  return mergeRepeatedFiles(files);
}

function toPatchFile({ file, patch }: DiffSection, rawHunks: readonly RawHunk[], crlfText: boolean): PatchFile {
  const hunks = patch.hunks.map((hunk, position) => {
    // The skeleton numbered each hunk in its header: `-<index>,0` reads back as oldStart index + 1.
    const raw = rawHunks[hunk.oldStart - 1];
    if (raw === undefined) throw new PatchParseError('malformed diff: a hunk header could not be matched to its body');
    return toHunk(raw, position + 1, crlfText);
  });
  return {
    oldPath: cleanPath(file.oldPath),
    newPath: cleanPath(file.newPath),
    status: file.status,
    declaredMove: patch.isRename === true || patch.isCopy === true,
    binary: file.binary,
    oldMode: file.oldMode,
    newMode: file.newMode,
    hunks,
    crlf: hunks.length > 0 && patch.hunks.every((hunk) => rawHunks[hunk.oldStart - 1]?.crlf === true),
  };
}

function toHunk(raw: RawHunk, number: number, crlfText: boolean): PatchHunk {
  const ops: HunkOp[] = [];
  raw.body.forEach((line, index) => {
    const marker = line[0];
    const cr = !crlfText && raw.cr[index] === true;
    if (line === '') ops.push({ kind: 'context', text: '', noEol: false, cr });
    else if (isElision(line)) {
      if (ops.at(-1)?.kind !== 'gap') ops.push({ kind: 'gap' });
    } else if (marker === '\\') markNoEol(ops);
    else if (marker === '+') ops.push({ kind: 'add', text: line.slice(1), noEol: false, cr });
    else if (marker === '-') ops.push({ kind: 'remove', text: line.slice(1), noEol: false, cr });
    else ops.push({ kind: 'context', text: line.slice(1), noEol: false, cr });
  });
  let hint: number | null = null;
  if (raw.oldStart !== null) hint = Math.max(0, raw.oldCount === 0 ? raw.oldStart : raw.oldStart - 1);
  return { number, header: raw.header, hint, ops };
}

/** `\ No newline at end of file` belongs to the line before it. */
function markNoEol(ops: HunkOp[]): void {
  const last = ops.at(-1);
  if (last === undefined || last.kind === 'gap') return;
  ops[ops.length - 1] = { ...last, noEol: true };
}

function cleanPath(path: string | null): string | null {
  return path === null ? null : path.replace(/^(?:\.\/)+/, '');
}

/** A model sometimes splits one file's changes over two `---`/`+++` sections. */
function mergeRepeatedFiles(files: readonly PatchFile[]): PatchFile[] {
  const merged: PatchFile[] = [];
  for (const file of files) {
    const earlier = merged.findIndex(
      (other) => other.status === 'modified' && file.status === 'modified' && other.newPath === file.newPath && !file.binary && !other.binary,
    );
    const previous = merged[earlier];
    if (previous === undefined) {
      merged.push(file);
      continue;
    }
    const renumbered = file.hunks.map((hunk, index) => ({ ...hunk, number: previous.hunks.length + index + 1 }));
    merged[earlier] = { ...previous, hunks: [...previous.hunks, ...renumbered], crlf: previous.crlf && file.crlf };
  }
  return merged;
}
