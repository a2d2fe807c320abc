import { FileText } from './file-text.js';
import { FileLines, toSegments } from './line-match.js';
import { locateHunk, type HunkLocation, type LocateResult } from './locate-hunk.js';
import { renderHunks, type LocatedHunk } from './render-hunks.js';
import type { PatchHunk, PatchStage } from './types.js';

export interface PlacedHunk {
  readonly hunk: number;
  readonly stage: PatchStage;
  /** 1-based line of the original text. */
  readonly at: number;
}

export type TextPatchResult =
  | { readonly ok: true; readonly text: string; readonly placed: PlacedHunk[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Applies the hunks of one file to its text, in memory. Hunks are located one by one in header order (each
 * hint moved by the offset of the hunk before), must not overlap, and are then applied together. Lines the
 * hunks do not remove keep their bytes; added lines take the file's indentation and line endings.
 */
export function patchText(path: string, original: string, hunks: readonly PatchHunk[]): TextPatchResult {
  const text = FileText.of(original);
  const file = new FileLines(text);
  const located: LocatedHunk[] = [];
  let drift = 0;
  const byHint = [...hunks].sort((a, b) => (a.hint ?? Infinity) - (b.hint ?? Infinity));
  for (const hunk of byHint) {
    const segments = toSegments(hunk.ops);
    const hints = { declared: hunk.hint, expected: hunk.hint === null ? null : Math.max(0, hunk.hint + drift) };
    const result = locateHunk(segments, file, hints);
    if (!result.ok) return { ok: false, reason: `${path}: hunk ${hunk.number} (${clip(hunk.header)}) ${describeFailure(result)}` };
    if (hunk.hint !== null) drift = result.location.start - hunk.hint;
    located.push({ hunk, segments, location: result.location });
  }
  located.sort((a, b) => a.location.start - b.location.start);
  for (let index = 1; index < located.length; index++) {
    const [before, after] = [located[index - 1], located[index]];
    if (before !== undefined && after !== undefined && overlaps(before.location, after.location)) {
      const numbers = [before.hunk.number, after.hunk.number].sort((a, b) => a - b);
      return { ok: false, reason: `${path}: hunks ${numbers[0]} and ${numbers[1]} overlap (both at lines ${after.location.start + 1}-${before.location.end})` };
    }
  }
  return {
    ok: true,
    text: renderHunks(text, located),
    placed: located
      .map(({ hunk, location }) => ({ hunk: hunk.number, stage: location.stage, at: location.start + 1 }))
      .sort((a, b) => a.hunk - b.hunk),
  };
}

function overlaps(before: HunkLocation, after: HunkLocation): boolean {
  return after.start < before.end || (after.start === before.start && (before.start === before.end || after.start === after.end));
}

function describeFailure(result: Exclude<LocateResult, { ok: true }>): string {
  switch (result.problem) {
    case 'not-found':
      return 'does not match the file: its context and removed lines were not found (not even with whitespace ignored or a few context lines off)';
    case 'unplaceable':
      return `cannot be placed: ${result.detail}`;
    case 'ambiguous': {
      const lines = result.starts.slice(0, 5).map((start) => start + 1).join(', ');
      const why = result.hinted ? 'its @@ line number is not clearly nearer to one of them' : 'its @@ header has no line numbers';
      return `matches ${result.starts.length} places (lines ${lines}) and ${why}; include more context lines`;
    }
  }
}

/** The `@@ … @@` part of a header, without the function name git appends. */
function clip(header: string): string {
  const numbers = /^@@.*?@@/.exec(header)?.[0] ?? header;
  return numbers.length > 60 ? `${numbers.slice(0, 57)}...` : numbers;
}
