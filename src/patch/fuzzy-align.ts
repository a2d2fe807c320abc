import { isTrivial, normalizeSpace, type FileLines, type OldItem, type Segment, type SegmentMatch } from './line-match.js';

/** At most this many context lines missing from the hunk or from the file, together. */
export const MAX_FUZZ = 3;

/**
 * Places a segment whose context does not quite match: some context lines of the hunk are not in the file
 * (extra), some file lines are not in the hunk (missing), whitespace aside. Removed lines must all be found,
 * consecutively. Each candidate grows from one anchor line (the rarest removed line, else every distinctive
 * context line) outwards with a small edit-distance alignment, so a match is never stitched from far-apart
 * pieces. Candidates that change the file the same way are one place. Returns them by start, from `from` on.
 */
export function fuzzyMatches(segment: Segment, file: FileLines, from = 0, rejected: FuzzyRejection[] = []): SegmentMatch[] {
  const items = segment.old;
  const keys = items.map((item) => normalizeSpace(item.text));
  const fileKeys = file.keys('whitespace');
  const byEffect = new Map<string, SegmentMatch>();
  for (const anchor of anchorItems(items, keys, file)) {
    for (const position of file.positions('whitespace', keys[anchor] ?? '')) {
      if (position < from) continue;
      const mapping = alignAround(items, keys, fileKeys, anchor, position);
      if (mapping === null) continue;
      const verdict = acceptable(segment, keys, mapping);
      if (verdict === 'unclear-insertion') rejected.push({ ...spanOf(mapping, position), cost: fuzzCost(mapping) });
      if (verdict !== 'ok') continue;
      const match: SegmentMatch = { ...spanOf(mapping, position), mapping, cost: fuzzCost(mapping) };
      if (match.start < from) continue;
      const effect = effectKey(segment, mapping);
      const known = byEffect.get(effect);
      if (known === undefined || match.cost < known.cost) byEffect.set(effect, match);
    }
  }
  return [...byEffect.values()].sort((a, b) => a.start - b.start);
}

function anchorItems(items: readonly OldItem[], keys: readonly string[], file: FileLines): number[] {
  const removed = items.flatMap((item, index) => (item.kind === 'remove' ? [index] : []));
  if (removed.length > 0) {
    // Every removed line must match, so the rarest one alone finds every candidate.
    const rarest = removed.reduce((best, index) => (count(file, keys, index) < count(file, keys, best) ? index : best));
    return [rarest];
  }
  return items.flatMap((_, index) => (isTrivial(keys[index] ?? '') ? [] : [index]));
}

function count(file: FileLines, keys: readonly string[], index: number): number {
  return file.positions('whitespace', keys[index] ?? '').length;
}

/** The file line of every item, growing out from `anchor` matched at `position`; null when over budget. */
function alignAround(
  items: readonly OldItem[],
  keys: readonly string[],
  fileKeys: readonly string[],
  anchor: number,
  position: number,
): (number | null)[] | null {
  const anchorKind = items[anchor]?.kind ?? 'context';
  const after = alignSide(items.slice(anchor + 1), keys.slice(anchor + 1), anchorKind, (offset) => fileKeys[position + 1 + offset], (offset) => position + 1 + offset);
  if (after === null) return null;
  const beforeItems = items.slice(0, anchor).reverse();
  const beforeKeys = keys.slice(0, anchor).reverse();
  const before = alignSide(beforeItems, beforeKeys, anchorKind, (offset) => (position - 1 - offset >= 0 ? fileKeys[position - 1 - offset] : undefined), (offset) => position - 1 - offset);
  if (before === null || before.cost + after.cost > MAX_FUZZ) return null;
  return [...before.mapping.reverse(), position, ...after.mapping];
}

interface SideAlignment {
  readonly mapping: (number | null)[];
  readonly cost: number;
}

const MATCH = 0;
const DROP = 1;
const SKIP = 2;

/**
 * Edit-distance alignment of items (walking away from the anchor) against the file lines next to it:
 * match (free), drop a context item (1), skip a file line (1). Skipping between two removed lines is not allowed.
 */
function alignSide(
  items: readonly OldItem[],
  keys: readonly string[],
  anchorKind: OldItem['kind'],
  fileKeyAt: (offset: number) => string | undefined,
  lineAt: (offset: number) => number,
): SideAlignment | null {
  const rows = items.length;
  let width = 0;
  while (width < rows + MAX_FUZZ && fileKeyAt(width) !== undefined) width += 1;
  const columns = width + 1;
  const cost = new Array<number>((rows + 1) * columns).fill(Infinity);
  const move = new Array<number>((rows + 1) * columns).fill(-1);
  cost[0] = 0;
  for (let row = 0; row <= rows; row++) {
    for (let column = 0; column <= width; column++) {
      if (row === 0 && column === 0) continue;
      let best = Infinity;
      let how = -1;
      const item = items[row - 1];
      if (row > 0 && column > 0 && keys[row - 1] === fileKeyAt(column - 1)) {
        best = cost[(row - 1) * columns + column - 1] ?? Infinity;
        how = MATCH;
      }
      if (row > 0 && item?.kind === 'context') {
        const dropped = (cost[(row - 1) * columns + column] ?? Infinity) + 1;
        if (dropped < best) [best, how] = [dropped, DROP];
      }
      const previousKind = row === 0 ? anchorKind : items[row - 1]?.kind;
      const between = !(previousKind === 'remove' && items[row]?.kind === 'remove');
      if (column > 0 && row < rows && between) {
        const skipped = (cost[row * columns + column - 1] ?? Infinity) + 1;
        if (skipped < best) [best, how] = [skipped, SKIP];
      }
      if (best <= MAX_FUZZ) {
        cost[row * columns + column] = best;
        move[row * columns + column] = how;
      }
    }
  }
  // Among equally cheap ends, the one using more file lines matched more of the hunk (fewer lines dropped).
  let end = -1;
  let endCost = Infinity;
  for (let column = 0; column <= width; column++) {
    const total = cost[rows * columns + column] ?? Infinity;
    if (total <= endCost && Number.isFinite(total)) [end, endCost] = [column, total];
  }
  if (end === -1) return null;
  const mapping: (number | null)[] = new Array<number | null>(rows).fill(null);
  let [row, column] = [rows, end];
  while (row > 0 || column > 0) {
    const how = move[row * columns + column];
    if (how === MATCH) mapping[--row] = lineAt(--column);
    else if (how === DROP) mapping[--row] = null;
    else if (how === SKIP) column -= 1;
    else return null;
  }
  return { mapping, cost: endCost };
}

/** A place that matched but left unclear where added lines go, for telling the model why its hunk was refused. */
export interface FuzzyRejection {
  /** 0-based file lines [start, end) of the place. */
  readonly start: number;
  readonly end: number;
  readonly cost: number;
}

function spanOf(mapping: readonly (number | null)[], anchor: number): { start: number; end: number } {
  const matched = mapping.filter((line): line is number => line !== null);
  return { start: matched[0] ?? anchor, end: (matched.at(-1) ?? anchor) + 1 };
}

/** The limits that keep a fuzzy place trustworthy. */
function acceptable(segment: Segment, keys: readonly string[], mapping: readonly (number | null)[]): 'ok' | 'too-loose' | 'unclear-insertion' {
  const items = segment.old;
  const contextCount = items.filter((item) => item.kind === 'context').length;
  const extra = mapping.filter((line) => line === null).length;
  if (extra > Math.floor(contextCount / 3) || fuzzCost(mapping) > MAX_FUZZ) return 'too-loose';
  const matched = mapping.flatMap((line, index) => (line === null ? [] : [index]));
  if (!matched.some((index) => !isTrivial(keys[index] ?? ''))) return 'too-loose';
  if (!items.some((item) => item.kind === 'remove') && matched.length < 2) return 'too-loose';
  for (let index = 0; index + 1 < items.length; index++) {
    const line = mapping[index];
    if (items[index]?.kind === 'remove' && items[index + 1]?.kind === 'remove' && mapping[index + 1] !== (line ?? -2) + 1) return 'too-loose';
  }
  // Added lines next to file lines the hunk does not show could go before or after them: refuse to guess.
  const clear = segment.addBefore.every((hasAdd, position) => {
    if (!hasAdd) return true;
    const previous = lastMatchedBefore(mapping, position);
    const next = firstMatchedFrom(mapping, position);
    return previous === null || next === null || next - previous === 1;
  });
  return clear ? 'ok' : 'unclear-insertion';
}

function fuzzCost(mapping: readonly (number | null)[]): number {
  const matched = mapping.filter((line): line is number => line !== null);
  const missing = matched.length === 0 ? 0 : (matched.at(-1) ?? 0) - (matched[0] ?? 0) + 1 - matched.length;
  return missing + (mapping.length - matched.length);
}

function lastMatchedBefore(mapping: readonly (number | null)[], position: number): number | null {
  for (let index = position - 1; index >= 0; index--) if (mapping[index] != null) return mapping[index] ?? null;
  return null;
}

function firstMatchedFrom(mapping: readonly (number | null)[], position: number): number | null {
  for (let index = position; index < mapping.length; index++) if (mapping[index] != null) return mapping[index] ?? null;
  return null;
}

/** What a placement changes: which file lines go and where added lines land. */
function effectKey(segment: Segment, mapping: readonly (number | null)[]): string {
  const removed = segment.old.flatMap((item, index) => (item.kind === 'remove' ? [mapping[index]] : []));
  const inserts = segment.addBefore.flatMap((hasAdd, position) => {
    if (!hasAdd) return [];
    const previous = lastMatchedBefore(mapping, position);
    return [previous === null ? firstMatchedFrom(mapping, position) : previous + 1];
  });
  return JSON.stringify([removed, inserts]);
}
