import type { LineInfo } from './line-kinds.js';

/**
 * Collects, while the log streams past, what an excerpt can show: each distinct error line once with its
 * count, and for the first ones (as many as the excerpt budget could ever show) their evidence: up to two
 * lines before, two after, and their details (assertion diffs, code frames, and of each run of stack frames only
 * the first and the last frame in the project's own files). Memory is bounded by the budget and the caps below,
 * not by the log. Errors can be collected provisionally and retracted (output of a test that then passed).
 */

/** A kept line; `seq` numbers the non-noise lines of a step, so a gap in it is a gap in the excerpt. */
export interface KeptLine {
  readonly seq: number;
  readonly text: string;
}

export interface ErrorRecord {
  readonly key: string;
  readonly text: string;
  readonly seq: number;
  readonly strong: boolean;
  count: number;
  readonly before: KeptLine[];
  readonly details: KeptLine[];
  readonly after: KeptLine[];
}

export interface CollectorOptions {
  /** Paths made repository-relative, for display. */
  readonly relativise: (text: string) => string;
  /** Characters the excerpt may use: errors beyond what it could show are counted but not given evidence. */
  readonly budgetChars: number;
}

export const MAX_EXCERPT_LINE_CHARS = 400;
const NONE: KeptLine = { seq: -1, text: '' };
const MAX_RECORDS = 5000;
const MAX_DETAILS = 24;
const CONTEXT_LINES = 2;
/** Lines after an error that can still be its details or context (a stack trace, a code frame). */
export const OWNER_REACH = 60;
const TAIL_LINES = 400;
const FRAME = /^\s*(?:at |❯ |→ |\d+: |File ")/;
/** A frame that names a file with a line number: one of the project's own (others are noise by now). */
const PROJECT_FRAME = /[\w-]\.[A-Za-z]\w{0,15}(?::\d+|", line \d+)/;

/**
 * A copy of a string that does not keep the chunk it was cut from alive: V8 slices share their parent, and a
 * kept 40-character error line would otherwise pin a 64 KiB chunk of the log for the rest of the analysis.
 */
export function detach(text: string): string {
  return ` ${text}`.slice(1);
}

export function shorten(text: string): string {
  return text.length > MAX_EXCERPT_LINE_CHARS ? `${text.slice(0, MAX_EXCERPT_LINE_CHARS - 1)}…` : text;
}

export class ErrorCollector {
  private readonly records = new Map<string, ErrorRecord>();
  private seq = 0;
  private owner: ErrorRecord | null = null;
  private framesInRun = 0;
  private runLastIndex = -1;
  /** The two lines before the current one (not errors, not warnings), older first; seq -1 when none. */
  private recentOlder: KeptLine = NONE;
  private recentNewer: KeptLine = NONE;
  private traceback: KeptLine[] = [];
  /** A ring of the last TAIL_LINES lines; `tailNext` is where the next one goes. */
  private readonly tailLines: string[] = [];
  private tailNext = 0;
  private tailSeq = 0;
  private detailedChars = 0;
  private untracked = 0;
  private provisional = new Map<ErrorRecord, number>();

  constructor(private readonly options: CollectorOptions) {}

  /** A non-noise line. `provisional` errors are counted until `commit()` or taken back by `retract()`. */
  observe(line: string, info: LineInfo, provisional: boolean): void {
    const seq = this.seq++;
    if (this.owner !== null && seq - this.owner.seq > OWNER_REACH) this.owner = null;
    if (info.kind === 'error') this.error(line, seq, info.strong, provisional);
    else if (info.kind === 'warning') {
      this.owner = null;
      this.recentOlder = NONE; // a warning is not the context of the error after it
      this.recentNewer = NONE;
    }
    else if (info.traceback) this.tracebackFrame(line, seq);
    else if (info.kind === 'detail') this.detail(line, seq);
    else this.context(line, seq);
    if (info.kind !== 'error' && info.kind !== 'warning') {
      this.recentOlder = this.recentNewer;
      this.recentNewer = { seq, text: line };
    }
  }

  /** Any non-blank line, noise included: the end of the log is what a timeout or a silent failure left. */
  observeTail(line: string): void {
    if (this.tailLines.length < TAIL_LINES) this.tailLines.push(line);
    else this.tailLines[this.tailNext] = line;
    this.tailNext = (this.tailNext + 1) % TAIL_LINES;
    this.tailSeq += 1;
  }

  commit(): void {
    this.provisional.clear();
  }

  /** Takes back the provisional errors: they were printed by a test that passed. */
  retract(): void {
    for (const [record, count] of this.provisional) {
      record.count -= count;
      if (record.count <= 0) this.records.delete(record.key);
    }
    this.provisional.clear();
    this.owner = null;
  }

  /** Distinct errors in order of first appearance. */
  errors(): ErrorRecord[] {
    return [...this.records.values()];
  }

  /** Distinct error lines beyond the tracking cap (counted, without signature). */
  get untrackedErrors(): number {
    return this.untracked;
  }

  /** The last non-noise lines, for a failure without any recognisable error line. */
  tail(): KeptLine[] {
    const ordered = [...this.tailLines.slice(this.tailNext), ...this.tailLines.slice(0, this.tailNext)];
    const first = this.tailSeq - ordered.length;
    return ordered.map((line, index) => ({ seq: first + index, text: this.display(line) }));
  }

  private display(text: string): string {
    return detach(shorten(this.options.relativise(text)));
  }

  private error(line: string, seq: number, strong: boolean, provisional: boolean): void {
    const key = detach(line.trim());
    const pendingTraceback = this.traceback;
    this.traceback = [];
    this.framesInRun = 0;
    let record = this.records.get(key);
    if (record) {
      record.count += 1;
      this.owner = null;
    } else if (this.records.size >= MAX_RECORDS) {
      this.untracked += 1;
      this.owner = null;
      return;
    } else {
      const text = this.display(line);
      const detailed = this.detailedChars < this.options.budgetChars;
      this.detailedChars += text.length + 1;
      record = {
        key,
        text,
        seq,
        strong,
        count: 1,
        before: detailed
          ? [this.recentOlder, this.recentNewer]
              .filter((kept) => kept.seq >= 0)
              .map((kept) => ({ seq: kept.seq, text: this.display(kept.text) }))
          : [],
        details: detailed ? pendingTraceback : [],
        after: [],
      };
      this.records.set(key, record);
      this.owner = detailed ? record : null;
    }
    if (provisional) this.provisional.set(record, (this.provisional.get(record) ?? 0) + 1);
  }

  private detail(line: string, seq: number): void {
    const owner = this.owner;
    if (!owner) return;
    if (!FRAME.test(line)) {
      this.framesInRun = 0;
      if (owner.details.length < MAX_DETAILS) owner.details.push({ seq, text: this.display(line) });
      return;
    }
    if (!PROJECT_FRAME.test(line)) return;
    this.framesInRun += 1;
    const kept = { seq, text: this.display(line) };
    // The first and the deepest frame of a run: later frames replace the run's second kept one.
    if (this.framesInRun > 2) {
      if (this.runLastIndex >= 0) owner.details[this.runLastIndex] = kept;
      return;
    }
    if (this.framesInRun === 2) this.runLastIndex = owner.details.length < MAX_DETAILS ? owner.details.length : -1;
    if (owner.details.length < MAX_DETAILS) owner.details.push(kept);
  }

  private context(line: string, seq: number): void {
    this.framesInRun = 0;
    const owner = this.owner;
    if (owner && owner.after.length < CONTEXT_LINES) owner.after.push({ seq, text: this.display(line) });
  }

  /** Python prints the frames before the error: keep the first and the last project frame for it. */
  private tracebackFrame(line: string, seq: number): void {
    if (!PROJECT_FRAME.test(line)) return;
    const kept = { seq, text: this.display(line) };
    if (this.traceback.length < 2) this.traceback.push(kept);
    else this.traceback[1] = kept;
  }
}
