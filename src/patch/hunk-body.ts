/**
 * Reads the hunks of a unified diff the way a model writes them: trusting the lines, not the `@@` counts.
 * jsdiff stops a hunk where its header's counts say it ends, so a model's wrong counts cut a hunk short or
 * swallow the next file. Here each hunk body is read up to the next header, and the diff handed to jsdiff is a
 * skeleton: the same file headers, with every hunk reduced to a numbered empty header.
 */

/** A hunk as the diff wrote it: its header and its body lines, without their CRs. */
export interface RawHunk {
  readonly header: string;
  /** The old-file line the header points at (1-based), or null when the header carries no numbers. */
  readonly oldStart: number | null;
  readonly oldCount: number | null;
  readonly body: readonly string[];
  /** Which body lines ended with CR in the diff text. */
  readonly cr: readonly boolean[];
  /** Every body line ended with CR in the diff text. */
  readonly crlf: boolean;
}

export interface SplitDiff {
  /** The diff with every hunk body removed and its header replaced by `@@ -<index>,0 +1,0 @@`. */
  readonly skeleton: string;
  readonly hunks: readonly RawHunk[];
  /** Lines outside hunk bodies (headers) end with CR: the whole text was sent with CRLF, CRs say nothing. */
  readonly crlfText: boolean;
}

/** Change lines outside any hunk (they would be lost): the message names where the hunk ended. */
export class HunkBodyError extends Error {
  override readonly name = 'HunkBodyError';
}

const ELISION = /^ ?\s*(?:(?:\/\/|#)\s*)?(?:\.{3}|…)\s*$/;
const FENCE = /^\s*(?:```|~~~)/;
const NUMBERS = /^@@+\s*-(\d+)(?:,(\d+))?\s+\+(\d+)(?:,(\d+))?\s*@@/;

/** Whether a body line stands for lines the model left out (`...`, `…`, `// ...`). */
export function isElision(line: string): boolean {
  return ELISION.test(line);
}

/** Splits a diff (LF or CRLF) into its skeleton and the bodies of its hunks, in order. */
export function splitHunks(diff: string): SplitDiff {
  const raw = diff.split('\n');
  // The text after the last newline is not a line (and a blank one there must not pass for blank context).
  const endsWithNewline = raw.length > 1 && raw.at(-1) === '';
  if (endsWithNewline) raw.pop();
  const hasCr = raw.map((line) => line.endsWith('\r'));
  const lines = raw.map((line, index) => (hasCr[index] ? line.slice(0, -1) : line));
  const skeleton: string[] = [];
  const hunks: RawHunk[] = [];
  let crlfText = false;
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    if (!line.startsWith('@@')) {
      skeleton.push(line);
      crlfText ||= hasCr[index] === true && line !== '';
      index += 1;
      continue;
    }
    crlfText ||= hasCr[index] === true;
    const end = bodyEnd(lines, index + 1);
    const numbers = NUMBERS.exec(line);
    const oldCount = numbers ? Number(numbers[2] ?? '1') : null;
    const body = trimTrailingBlanks(lines.slice(index + 1, end), oldCount);
    hunks.push({
      header: line,
      oldStart: numbers ? Number(numbers[1]) : null,
      oldCount,
      body: body.map((bodyLine) => (isContinuedContext(bodyLine) ? ` ${bodyLine}` : bodyLine)),
      cr: hasCr.slice(index + 1, index + 1 + body.length),
      crlf: body.length > 0 && hasCr.slice(index + 1, index + 1 + body.length).every(Boolean),
    });
    skeleton.push(`@@ -${hunks.length - 1},0 +1,0 @@`);
    // Blank lines given back by trimTrailingBlanks belong between hunks, not to this one.
    for (let blank = index + 1 + body.length; blank < end; blank++) skeleton.push('');
    assertNoStrayChanges(lines, end, hunks.length);
    index = end;
  }
  return { skeleton: skeleton.join('\n') + (endsWithNewline ? '\n' : ''), hunks, crlfText };
}

/** Where the body that starts at `start` ends (exclusive). */
function bodyEnd(lines: readonly string[], start: number): number {
  let index = start;
  while (index < lines.length && !startsSection(lines, index)) {
    const line = lines[index] ?? '';
    if (isBodyLine(line)) {
      index += 1;
      continue;
    }
    // One line without its leading space between two body lines is context the model wrote unindented.
    const next = lines[index + 1];
    const previous = lines[index - 1];
    const sandwiched = index > start && previous !== undefined && isBodyLine(previous) && next !== undefined &&
      isDefiniteBodyLine(next) && !startsSection(lines, index + 1);
    if (!sandwiched || FENCE.test(line)) break;
    index += 1;
  }
  return index;
}

/** Keeps as many trailing blank lines as the header's old count asks for; the others are separators. */
function trimTrailingBlanks(body: readonly string[], oldCount: number | null): string[] {
  let blanks = 0;
  while (blanks < body.length && body[body.length - 1 - blanks] === '') blanks += 1;
  const kept = body.slice(0, body.length - blanks);
  const oldLines = kept.filter((line) => line === '' || line.startsWith(' ') || line.startsWith('-') || isContinuedContext(line)).length;
  const wanted = oldCount === null ? 0 : Math.max(0, Math.min(blanks, oldCount - oldLines));
  return [...kept, ...body.slice(kept.length, kept.length + wanted)];
}

/**
 * After a hunk body ended at a line that is not part of it, a `+` or `-` line before the next header would be
 * silently dropped by any reader: that is a broken diff, not prose (unless a Markdown fence closed the diff).
 */
function assertNoStrayChanges(lines: readonly string[], end: number, hunkNumber: number): void {
  for (let index = end; index < lines.length && !startsSection(lines, index); index++) {
    const line = lines[index] ?? '';
    if (FENCE.test(line)) return;
    if (/^[+-]/.test(line)) {
      const stopper = JSON.stringify(clip(lines[end] ?? ''));
      throw new HunkBodyError(`hunk ${hunkNumber} of the diff ends at line ${end + 1} (${stopper}), but change lines follow it; context lines must start with a space`);
    }
  }
}

function startsSection(lines: readonly string[], index: number): boolean {
  const line = lines[index] ?? '';
  if (line.startsWith('@@') || line.startsWith('diff --git ') || /^diff(?: -\S+)+ /.test(line) || line.startsWith('Index: ')) {
    return true;
  }
  return line.startsWith('--- ') && (lines[index + 1] ?? '').startsWith('+++ ');
}

function isBodyLine(line: string): boolean {
  return line === '' || isDefiniteBodyLine(line);
}

function isDefiniteBodyLine(line: string): boolean {
  return /^[ +\-\\]/.test(line) || isElision(line);
}

function isContinuedContext(line: string): boolean {
  return line !== '' && !isDefiniteBodyLine(line);
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
