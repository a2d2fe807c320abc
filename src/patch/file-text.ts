const BOM = '\uFEFF';
const LF = 10;
const CR = 13;

/**
 * A text file as lines that remember their own line ending, so that every line a patch does not touch is
 * written back byte for byte (CRLF, LF, a mix, a missing final newline, a BOM). Only line offsets are computed
 * up front: a large file whose hunks all match where their headers say is never split into line strings.
 */
export class FileText {
  private allLines: string[] | undefined;

  private constructor(
    readonly body: string,
    readonly bom: boolean,
    /** starts[i]: offset of line i; starts[count]: body.length. */
    private readonly starts: readonly number[],
    /** The ending most lines use, for lines a patch adds. */
    readonly eol: '\n' | '\r\n',
  ) {}

  static of(text: string): FileText {
    const bom = text.startsWith(BOM);
    const body = bom ? text.slice(1) : text;
    const starts = [0];
    let crlf = 0;
    for (let newline = body.indexOf('\n'); newline !== -1; newline = body.indexOf('\n', newline + 1)) {
      if (newline > 0 && body.charCodeAt(newline - 1) === CR) crlf += 1;
      starts.push(newline + 1);
    }
    if (starts.at(-1) !== body.length) starts.push(body.length);
    const lf = starts.length - 1 - crlf - (body.length > 0 && body.charCodeAt(body.length - 1) !== LF ? 1 : 0);
    return new FileText(body, bom, starts, crlf > lf ? '\r\n' : '\n');
  }

  get count(): number {
    return this.starts.length - 1;
  }

  /** Line i without its ending. */
  line(index: number): string {
    const start = this.starts[index] ?? 0;
    return this.body.slice(start, start + this.contentLength(index));
  }

  /** `\n`, `\r\n`, or `` for a last line without a newline. */
  eolOf(index: number): string {
    const start = this.starts[index] ?? 0;
    const end = this.starts[index + 1] ?? start;
    return this.body.slice(start + this.contentLength(index), end);
  }

  /** Lines [from, to) with their endings, as in the file. */
  slice(from: number, to: number): string {
    return from >= to ? '' : this.body.slice(this.starts[from] ?? 0, this.starts[to] ?? this.body.length);
  }

  lines(): readonly string[] {
    this.allLines ??= Array.from({ length: this.count }, (_, index) => this.line(index));
    return this.allLines;
  }

  private contentLength(index: number): number {
    const start = this.starts[index] ?? 0;
    const end = this.starts[index + 1] ?? start;
    if (end === start || this.body.charCodeAt(end - 1) !== LF) return end - start;
    return end - start - (end - 2 >= start && this.body.charCodeAt(end - 2) === CR ? 2 : 1);
  }
}
