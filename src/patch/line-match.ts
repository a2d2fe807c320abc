import type { FileText } from './file-text.js';
import type { HunkOp } from './types.js';

export type LineOp = Exclude<HunkOp, { kind: 'gap' }>;

/** A line the hunk expects in the file: context or removed. */
export interface OldItem {
  readonly text: string;
  readonly kind: 'context' | 'remove';
}

/** A stretch of a hunk without `...` elisions. */
export interface Segment {
  readonly ops: readonly LineOp[];
  readonly old: readonly OldItem[];
  /** addBefore[i]: added lines sit right before old item i (index old.length: after the last one). */
  readonly addBefore: readonly boolean[];
}

/** A segment's place in the file: `mapping[i]` is the file line of old item i (null: a context line not in the file). */
export interface SegmentMatch {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly mapping: readonly (number | null)[];
  /** Context lines missing from the hunk plus context lines of the hunk missing from the file. */
  readonly cost: number;
}

export type CompareMode = 'exact' | 'whitespace';

/** Whitespace-insensitive form of a line: trimmed, inner runs of whitespace as one space. */
export function normalizeSpace(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

/** A line too common to locate anything by (`}`, `);`, blank): fewer than three letters or digits. */
export function isTrivial(line: string): boolean {
  let count = 0;
  for (const char of line) {
    if (/[\p{L}\p{N}_]/u.test(char) && ++count >= 3) return false;
  }
  return true;
}

export function toSegments(ops: readonly HunkOp[]): Segment[] {
  const segments: Segment[] = [];
  let current: LineOp[] = [];
  const flush = (): void => {
    if (current.length > 0) segments.push(segmentOf(current));
    current = [];
  };
  for (const op of ops) {
    if (op.kind === 'gap') flush();
    else current.push(op);
  }
  flush();
  return segments;
}

function segmentOf(ops: readonly LineOp[]): Segment {
  const old: OldItem[] = [];
  const addBefore: boolean[] = [false];
  for (const op of ops) {
    if (op.kind === 'add') addBefore[old.length] = true;
    else {
      old.push({ text: op.text, kind: op.kind });
      addBefore.push(false);
    }
  }
  return { ops, old, addBefore };
}

/** The file's lines with lazily built indexes from line (exact or normalized) to its positions. */
export class FileLines {
  private exactIndex: Map<string, number[]> | undefined;
  private normalized: { keys: string[]; index: Map<string, number[]> } | undefined;

  constructor(readonly text: FileText) {}

  get count(): number {
    return this.text.count;
  }

  /** Line `index` as compared in `mode`. */
  key(mode: CompareMode, index: number): string | undefined {
    if (index < 0 || index >= this.text.count) return undefined;
    return mode === 'exact' ? this.text.line(index) : this.normalizedView().keys[index];
  }

  keys(mode: CompareMode): readonly string[] {
    return mode === 'exact' ? this.text.lines() : this.normalizedView().keys;
  }

  positions(mode: CompareMode, key: string): readonly number[] {
    const index = mode === 'exact' ? (this.exactIndex ??= indexOf(this.text.lines())) : this.normalizedView().index;
    return index.get(key) ?? [];
  }

  private normalizedView(): { keys: string[]; index: Map<string, number[]> } {
    if (this.normalized === undefined) {
      const keys = this.text.lines().map(normalizeSpace);
      this.normalized = { keys, index: indexOf(keys) };
    }
    return this.normalized;
  }
}

function indexOf(keys: readonly string[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  keys.forEach((key, position) => {
    const list = index.get(key);
    if (list === undefined) index.set(key, [position]);
    else list.push(position);
  });
  return index;
}

export function keyOf(text: string, mode: CompareMode): string {
  return mode === 'exact' ? text : normalizeSpace(text);
}

/** Every start (ascending, at or after `from`) where the segment's old lines appear consecutively. */
export function contiguousMatches(segment: Segment, file: FileLines, mode: CompareMode, from = 0): SegmentMatch[] {
  const keys = segment.old.map((item) => keyOf(item.text, mode));
  if (keys.length === 0) return [];
  let rarest = 0;
  let fewest = Infinity;
  keys.forEach((key, index) => {
    const count = file.positions(mode, key).length;
    if (count < fewest) [rarest, fewest] = [index, count];
  });
  const fileKeys = file.keys(mode);
  const matches: SegmentMatch[] = [];
  for (const position of file.positions(mode, keys[rarest] ?? '')) {
    const start = position - rarest;
    if (start < from || start + keys.length > fileKeys.length) continue;
    if (keys.every((key, index) => fileKeys[start + index] === key)) matches.push(contiguous(start, keys.length));
  }
  return matches;
}

export function matchesAt(segment: Segment, file: FileLines, mode: CompareMode, start: number): SegmentMatch | null {
  const count = segment.old.length;
  if (count === 0 || start < 0 || start + count > file.count) return null;
  const ok = segment.old.every((item, index) => file.key(mode, start + index) === keyOf(item.text, mode));
  return ok ? contiguous(start, count) : null;
}

function contiguous(start: number, count: number): SegmentMatch {
  return { start, end: start + count, mapping: Array.from({ length: count }, (_, index) => start + index), cost: 0 };
}
