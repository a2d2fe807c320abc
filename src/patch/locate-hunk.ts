import { fuzzyMatches, type FuzzyRejection } from './fuzzy-align.js';
import { contiguousMatches, isTrivial, matchesAt, type CompareMode, type FileLines, type Segment, type SegmentMatch } from './line-match.js';
import type { PatchStage } from './types.js';

/** Where a whole hunk (all its `...`-separated segments) goes. */
export interface HunkLocation {
  readonly stage: PatchStage;
  readonly segments: readonly SegmentMatch[];
  readonly start: number;
  readonly end: number;
}

export type LocateResult =
  | { readonly ok: true; readonly location: HunkLocation }
  | { readonly ok: false; readonly problem: 'not-found' }
  | { readonly ok: false; readonly problem: 'ambiguous'; readonly starts: readonly number[]; readonly hinted: boolean }
  | { readonly ok: false; readonly problem: 'unplaceable'; readonly detail: string };

/**
 * `declared`: the 0-based line the `@@` header names; `expected`: that line moved by the offset the hunk before
 * it turned out to have (what GNU patch does), used to tell places apart. Both null without header numbers.
 */
export interface HunkHints {
  readonly declared: number | null;
  readonly expected: number | null;
}

/** How far the nearest place may be from the line hint, and how much nearer than the next, to count as meant. */
const HINT_RADIUS = 25;
const HINT_MARGIN = 5;

type Mode = CompareMode | 'fuzzy';
const MODES: readonly Mode[] = ['exact', 'whitespace', 'fuzzy'];

/**
 * Finds the one place of a hunk, trying exact at the hinted line, then exact anywhere, whitespace-insensitive,
 * fuzzy. At the first stage that finds any place, several places are resolved by the hint (one clearly nearest)
 * or refused: a looser stage never overrides an ambiguous stricter one. Segments after a `...` go to the first
 * place after the segment before them.
 */
export function locateHunk(segments: readonly Segment[], file: FileLines, hints: HunkHints): LocateResult {
  const unplaceable = placeabilityProblem(segments, file);
  if (unplaceable !== null) return { ok: false, problem: 'unplaceable', detail: unplaceable };
  const [first] = segments;
  if (first === undefined || first.old.length === 0) {
    return { ok: true, location: { stage: 'exact', segments: [{ start: 0, end: 0, mapping: [], cost: 0 }], start: 0, end: 0 } };
  }
  if (hints.declared !== null) {
    const atHint = matchesAt(first, file, 'exact', hints.declared);
    const whole = atHint === null ? null : completeFrom(atHint, segments, file, 'exact');
    if (whole !== null) return { ok: true, location: locationOf('exact', whole) };
  }
  const rejected: FuzzyRejection[] = [];
  for (const mode of MODES) {
    const firsts = mode === 'fuzzy' ? fuzzyMatches(first, file, 0, rejected) : contiguousMatches(first, file, mode);
    const wholes = firsts.map((match) => completeFrom(match, segments, file, mode)).filter((whole) => whole !== null);
    if (wholes.length === 0) continue;
    const chosen = chooseByHint(wholes, hints.expected);
    if (chosen === null) {
      return { ok: false, problem: 'ambiguous', starts: wholes.map((whole) => whole[0]?.start ?? 0), hinted: hints.expected !== null };
    }
    // A place as good as the chosen one, refused only for where its added lines would go, is a second place.
    const place = chosen[0];
    const rivals = rejected.filter((other) => place === undefined || other.end <= place.start || other.start >= place.end);
    const rival = unclearPlace(rivals, place?.cost ?? 0);
    if (rival !== null) return rival;
    return { ok: true, location: locationOf(mode === 'exact' ? 'offset' : mode, chosen) };
  }
  return unclearPlace(rejected, Infinity) ?? { ok: false, problem: 'not-found' };
}

function unclearPlace(rejected: readonly FuzzyRejection[], atMostCost: number): LocateResult | null {
  const [unclear] = rejected.filter((place) => place.cost <= atMostCost).sort((a, b) => a.cost - b.cost);
  if (unclear === undefined) return null;
  const detail = `near line ${unclear.start + 1} the file has lines the hunk leaves out right where it adds lines, so where they go is a guess; show those lines as context`;
  return { ok: false, problem: 'unplaceable', detail };
}

/** Hunks that no matching could place safely, whatever the file holds. */
function placeabilityProblem(segments: readonly Segment[], file: FileLines): string | null {
  if (segments.length === 0) return 'it has no lines';
  const onlyAdds = segments.length === 1 && segments[0]?.old.length === 0;
  if (onlyAdds) return file.count === 0 ? null : 'it has no context or removed lines to place it by';
  for (const [index, segment] of segments.entries()) {
    if (segment.old.length === 0) return "its added lines sit between '...' elisions, so their place is unknown";
    const changes = segment.ops.some((op) => op.kind !== 'context');
    if (index > 0 && changes && segment.old.every((item) => isTrivial(item.text))) {
      return `after a '...' it has only lines like ${JSON.stringify(segment.old[0]?.text.trim() ?? '')} to place its change by`;
    }
    const previous = segments[index - 1];
    if (previous !== undefined && previous.ops.at(-1)?.kind === 'remove' && segment.ops[0]?.kind === 'remove') {
      return "a '...' between removed lines leaves unclear whether the elided lines go too";
    }
  }
  return null;
}

/** The later segments, each at its first place after the one before; null when one is not found. */
function completeFrom(first: SegmentMatch, segments: readonly Segment[], file: FileLines, mode: Mode): SegmentMatch[] | null {
  const matches = [first];
  for (const segment of segments.slice(1)) {
    const from = matches.at(-1)?.end ?? 0;
    const next = mode === 'fuzzy' ? firstLoose(segment, file, from) : contiguousMatches(segment, file, mode, from)[0];
    if (next === undefined) return null;
    matches.push(next);
  }
  return matches;
}

function firstLoose(segment: Segment, file: FileLines, from: number): SegmentMatch | undefined {
  const candidates = [contiguousMatches(segment, file, 'whitespace', from)[0], fuzzyMatches(segment, file, from)[0]];
  return candidates.filter((match) => match !== undefined).sort((a, b) => a.start - b.start)[0];
}

/** One place, or the one clearly nearest a usable hint; null when that cannot be told. */
function chooseByHint(wholes: readonly SegmentMatch[][], hint: number | null): SegmentMatch[] | null {
  if (wholes.length === 1) return wholes[0] ?? null;
  if (hint === null) return null;
  const byDistance = [...wholes].sort((a, b) => distance(a, hint) - distance(b, hint));
  const [nearest, second] = byDistance;
  if (nearest === undefined || second === undefined) return null;
  const near = distance(nearest, hint);
  return near <= HINT_RADIUS && distance(second, hint) >= 2 * near + HINT_MARGIN ? nearest : null;
}

function distance(whole: readonly SegmentMatch[], hint: number): number {
  return Math.abs((whole[0]?.start ?? 0) - hint);
}

function locationOf(stage: PatchStage, segments: readonly SegmentMatch[]): HunkLocation {
  return { stage, segments, start: segments[0]?.start ?? 0, end: segments.at(-1)?.end ?? 0 };
}
