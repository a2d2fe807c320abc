/**
 * Splits streamed text into lines without ever holding more than one bounded line: a line longer than
 * `maxLineChars` keeps its beginning, and a progress bar redrawn with `\r` keeps only its latest drawing, so a
 * 200 MB log without a single newline costs no more memory than a short one.
 */

export class LineSplitter {
  private pending = '';
  private lines = 0;

  constructor(
    /** `mayHaveReturn` is false when the line is known to hold no `\r` (a cleaner can skip looking). */
    private readonly onLine: (raw: string, mayHaveReturn: boolean) => void,
    private readonly maxLineChars = 8192,
  ) {}

  /** Lines emitted so far. */
  get lineCount(): number {
    return this.lines;
  }

  push(text: string): void {
    // Searching for `\r` only in chunks that have one keeps the common case one scan per chunk.
    const hasReturn = text.includes('\r');
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline;
      if (newline !== -1 && !hasReturn && this.pending === '' && end - start <= this.maxLineChars) {
        this.lines += 1; // the common case: a whole line inside the chunk
        this.onLine(text.slice(start, end), false);
        start = newline + 1;
        continue;
      }
      if (hasReturn) this.appendWithRedraws(text.slice(start, end));
      else this.append(text, start, end);
      if (newline === -1) return;
      this.emit();
      start = newline + 1;
    }
  }

  /** Emits the last line when the text did not end with a newline. */
  end(): void {
    if (this.pending !== '') this.emit();
  }

  private emit(): void {
    const line = this.pending;
    this.pending = '';
    this.lines += 1;
    this.onLine(line, true);
  }

  private append(text: string, from: number, to: number): void {
    const room = this.maxLineChars - this.pending.length;
    if (from >= to || room <= 0) return;
    this.pending += text.slice(from, Math.min(to, from + room));
  }

  /** A `\r` followed by more text starts a redraw: what came before it on this line is gone. */
  private appendWithRedraws(piece: string): void {
    const lastReturn = piece.lastIndexOf('\r');
    // A `\r` ending the piece may be half of a `\r\n`: only an earlier one starts a redraw.
    const redraw = lastReturn < piece.length - 1 ? lastReturn : piece.lastIndexOf('\r', piece.length - 2);
    if (redraw >= 0 && !(lastReturn === 0 && piece.length === 1)) {
      this.pending = '';
      this.append(piece, redraw + 1, piece.length);
    } else {
      this.append(piece, 0, piece.length);
    }
  }
}
