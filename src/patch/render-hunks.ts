import type { FileText } from './file-text.js';
import type { HunkLocation } from './locate-hunk.js';
import type { Segment } from './line-match.js';
import { detectIndentStyle, reindentAdded, type IndentPair, type IndentStyle } from './reindent.js';
import type { PatchHunk } from './types.js';

/** A hunk and the place found for it. */
export interface LocatedHunk {
  readonly hunk: PatchHunk;
  readonly segments: readonly Segment[];
  readonly location: HunkLocation;
}

type Styles = () => { readonly patch: IndentStyle; readonly file: IndentStyle };

/**
 * The new text: the file's own bytes between and around the hunks (copied as slices, never re-joined line by
 * line), the file's own context lines, and added lines re-indented with the file's line endings. Hunks must
 * be sorted by place and not overlap.
 */
export function renderHunks(text: FileText, located: readonly LocatedHunk[]): string {
  const out = new Output(text);
  const styles = lazyStyles(text, located);
  let cursor = 0;
  for (const { segments, location } of located) {
    out.copy(cursor, location.start);
    // Exact and offset places matched byte for byte: the hunk's indentation is the file's already.
    const exactPlace = location.stage === 'exact' || location.stage === 'offset';
    const added = exactPlace ? addedLines(segments) : reindentAdded(addedLines(segments), indentPairs(segments, location, text), styles);
    const exactEndings = knowsLineEndings(segments, location, text);
    let next = 0;
    location.segments.forEach((match, index) => {
      let position = match.start;
      let item = 0;
      for (const op of segments[index]?.ops ?? []) {
        if (op.kind === 'add') {
          out.add(added[next++] ?? op.text, exactEndings ? (op.cr ? '\r\n' : '\n') : text.eol);
          continue;
        }
        const line = match.mapping[item++];
        if (line === null || line === undefined) continue;
        out.copy(position, line);
        if (op.kind === 'context') out.copy(line, line + 1);
        position = line + 1;
      }
      out.copy(position, location.segments[index + 1]?.start ?? match.end);
    });
    cursor = location.end;
  }
  out.copy(cursor, text.count);
  return out.finish(finalNewline(text, located));
}

/** The text being built; `open` while it ends with a line that has no newline (the file's last line). */
class Output {
  private readonly pieces: string[] = [];
  private open = false;

  constructor(private readonly text: FileText) {}

  copy(from: number, to: number): void {
    if (from >= to) return;
    this.close();
    this.pieces.push(this.text.slice(from, to));
    this.open = this.text.eolOf(to - 1) === '';
  }

  add(line: string, eol: string): void {
    this.close();
    this.pieces.push(line + eol);
  }

  /** keepNewline: what the last line's ending must be, or null to leave it as it is. */
  finish(keepNewline: boolean | null): string {
    if (keepNewline === true) this.close();
    const last = this.pieces.length - 1;
    if (keepNewline === false && !this.open && last >= 0) this.pieces[last] = (this.pieces[last] ?? '').replace(/\r?\n$/, '');
    return (this.text.bom ? '\uFEFF' : '') + this.pieces.join('');
  }

  private close(): void {
    if (this.open) this.pieces.push(this.text.eol);
    this.open = false;
  }
}

function lazyStyles(text: FileText, located: readonly LocatedHunk[]): Styles {
  let styles: ReturnType<Styles> | undefined;
  return () => {
    const patchLines = located.flatMap(({ hunk }) => hunk.ops.flatMap((op) => (op.kind === 'gap' ? [] : [op.text])));
    styles ??= { patch: detectIndentStyle(patchLines), file: detectIndentStyle(text.lines()) };
    return styles;
  };
}

function addedLines(segments: readonly Segment[]): string[] {
  return segments.flatMap((segment) => segment.ops.flatMap((op) => (op.kind === 'add' ? [op.text] : [])));
}

function indentPairs(segments: readonly Segment[], location: HunkLocation, text: FileText): IndentPair[] {
  return location.segments.flatMap((match, index) =>
    (segments[index]?.old ?? []).flatMap((item, position) => {
      const line = match.mapping[position];
      return line === null || line === undefined ? [] : [{ patch: item.text, file: text.line(line) }];
    }),
  );
}

/**
 * Whether the hunk's CRs are the file's line endings (git's diff of a CRLF file, a fixer converting endings):
 * some line carries one, and every line it matched has exactly the ending the hunk shows. Then added lines keep
 * theirs; otherwise (a model that wrote LF for a CRLF file) they take the file's.
 */
function knowsLineEndings(segments: readonly Segment[], location: HunkLocation, text: FileText): boolean {
  if (!segments.some((segment) => segment.ops.some((op) => op.cr))) return false;
  return location.segments.every((match, index) => {
    const old = (segments[index]?.ops ?? []).filter((op) => op.kind !== 'add');
    return old.every((op, position) => {
      const line = match.mapping[position];
      return line === null || line === undefined || op.cr === (text.eolOf(line) === '\r\n');
    });
  });
}

/**
 * A hunk reaching the end of the file decides its final newline through `\ No newline at end of file`
 * markers: on the new side only, it goes; on the old side only, it comes; on both or neither (a model that
 * forgot the marker), the file keeps what it had. Null when no hunk reaches the end.
 */
function finalNewline(text: FileText, located: readonly LocatedHunk[]): boolean | null {
  const total = text.count;
  const atEnd = located.find(({ location }) => location.end === total);
  if (atEnd === undefined) return null;
  const ops = atEnd.segments.at(-1)?.ops ?? [];
  const oldMarker = ops.filter((op) => op.kind !== 'add').at(-1)?.noEol === true;
  const newMarker = ops.filter((op) => op.kind !== 'remove').at(-1)?.noEol === true;
  if (newMarker && !oldMarker) return false;
  if (oldMarker && !newMarker) return true;
  return total === 0 || text.eolOf(total - 1) !== '';
}
