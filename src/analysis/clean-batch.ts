import type { CiMark, CleanLine } from './strip.js';

/**
 * Clean lines on their way from the thread that split and cleaned them to the thread that analyses them: one
 * string (the lines joined by `\n`, which no line holds: lines are split on it) instead of one object per line,
 * so that posting a batch copies one string and the few marks.
 */
export interface CleanBatch {
  readonly text: string;
  readonly count: number;
  /** Which lines carry a CI mark (indexes, ascending), and their marks. */
  readonly markedLines: readonly number[];
  readonly marks: readonly CiMark[];
  /** Raw lines and bytes of the log the batch stands for. */
  readonly rawLines: number;
  readonly bytes: number;
}

export class CleanBatchWriter {
  private lines: string[] = [];
  private markedLines: number[] = [];
  private marks: CiMark[] = [];

  add(line: CleanLine): void {
    if (line.mark !== null) {
      this.markedLines.push(this.lines.length);
      this.marks.push(line.mark);
    }
    this.lines.push(line.text);
  }

  /** The lines added since the last take, as a batch standing for `rawLines` raw lines and `bytes` bytes. */
  take(rawLines: number, bytes: number): CleanBatch {
    const batch = {
      text: this.lines.join('\n'),
      count: this.lines.length,
      markedLines: this.markedLines,
      marks: this.marks,
      rawLines,
      bytes,
    };
    this.lines = [];
    this.markedLines = [];
    this.marks = [];
    return batch;
  }
}

export function forEachCleanLine(batch: CleanBatch, onLine: (line: CleanLine) => void): void {
  const { text, count, markedLines, marks } = batch;
  let start = 0;
  let nextMarked = 0;
  for (let index = 0; index < count; index += 1) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const mark = markedLines[nextMarked] === index ? marks[nextMarked++]! : null;
    onLine({ text: text.slice(start, end), mark });
    start = end + 1;
  }
}
