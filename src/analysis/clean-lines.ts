import { LineSplitter } from './line-splitter.js';
import { LineCleaner, type CleanLine } from './strip.js';

/**
 * Raw log text in, clean lines out: the line splitting and cleaning every analysis starts with, the same whether
 * it runs on the analysing thread or on a worker thread (analyze-threaded.ts), so both see the same lines.
 */
export class CleanLineSource {
  private readonly cleaner = new LineCleaner();
  private readonly splitter: LineSplitter;

  constructor(onLine: (line: CleanLine) => void) {
    this.splitter = new LineSplitter((raw, mayHaveReturn) => {
      const line = this.cleaner.clean(raw, mayHaveReturn);
      if (line !== null) onLine(line);
    });
  }

  /** Raw lines seen so far (CI bookkeeping lines included, which yield no clean line). */
  get rawLineCount(): number {
    return this.splitter.lineCount;
  }

  push(text: string): void {
    this.splitter.push(text);
  }

  /** The last line, when the text did not end with a newline. */
  end(): void {
    this.splitter.end();
  }
}
