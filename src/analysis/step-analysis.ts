import { ErrorCollector, OWNER_REACH } from './error-collector.js';
import { LineClassifier, type LineInfo } from './line-kinds.js';
import { LocationCollector, type LocationOptions } from './locations.js';
import type { CleanLine } from './strip.js';

/**
 * The analysis of one CI step (or of a whole log without steps), fed one clean line at a time: its class
 * evidence, distinct errors with their evidence, and error locations.
 *
 * Red herrings inside a step: warnings never count as errors; output a test printed on purpose (vitest
 * `stderr |` blocks, jest `console.error` blocks) is skipped; and an `Error:` line that is not a tool's own
 * failure report is provisional until the next test result: a passing test takes it back (with its evidence
 * and locations), a failing test, a tool-reported error or the end of the step confirms it.
 */

export interface StepOptions {
  readonly relativise: (text: string) => string;
  readonly budgetChars: number;
  readonly locations: LocationOptions;
}

const MAX_PENDING_FRAMES = 50;
const WARNING_INFO: LineInfo = { kind: 'warning', strong: false, evidence: 0, marker: null, traceback: false };

export class StepAnalysis {
  readonly collector: ErrorCollector;
  readonly locationCollector: LocationCollector;
  /** The CI marked this step as failed (`##[error]Process completed with exit code 1.`). */
  failedMark = false;
  private readonly classifier = new LineClassifier();
  private committedEvidence = 0;
  private provisionalEvidence = 0;
  private provisionalOpen = false;
  private locationMark = 0;
  private afterFailingTest = false;
  private owner: string | null = null;
  private sinceError = 0;
  /** Python frames seen before their error: located once the error (their message) arrives. */
  private pendingFrames: string[] = [];

  constructor(
    /** The step's title (`npm test`), null for a log without steps or before the first step. */
    readonly title: string | null,
    options: StepOptions,
  ) {
    this.collector = new ErrorCollector({ relativise: options.relativise, budgetChars: options.budgetChars });
    this.locationCollector = new LocationCollector(options.locations);
  }

  /** `Evidence` bits of the step's confirmed errors. */
  get evidence(): number {
    return this.committedEvidence;
  }

  get hasErrors(): boolean {
    return this.collector.errors().length > 0 || this.collector.untrackedErrors > 0;
  }

  observe(line: CleanLine): void {
    if (line.mark === 'step-failed') this.failedMark = true;
    let info = this.classifier.classify(line.text);
    if (line.mark === 'warning') info = WARNING_INFO;
    else if (line.mark === 'error' && info.kind !== 'error') info = { ...info, kind: 'error' };

    if (info.marker === 'pass') {
      if (this.provisionalOpen) this.retract();
      this.afterFailingTest = false;
    } else if (info.marker === 'fail') {
      this.commit();
      this.afterFailingTest = true;
    }
    if (line.text !== '') this.collector.observeTail(line.text);
    if (info.kind === 'noise') return;

    let provisional = false;
    if (info.kind === 'error') {
      // Indented lines after a failing test are that test's report, not something a test printed.
      provisional = !info.strong && !(this.afterFailingTest && /^\s/.test(line.text));
      if (!provisional) this.commit();
      else if (!this.provisionalOpen) {
        this.provisionalOpen = true;
        this.locationMark = this.locationCollector.mark();
      }
      if (provisional) this.provisionalEvidence |= info.evidence;
      else this.committedEvidence |= info.evidence;
      this.owner = line.text.trim();
      this.sinceError = 0;
    } else if (info.kind === 'warning' || ++this.sinceError > OWNER_REACH) {
      this.owner = null;
    }
    this.collector.observe(line.text, info, provisional);
    if (info.traceback) {
      if (this.pendingFrames.length < MAX_PENDING_FRAMES) this.pendingFrames.push(line.text);
      return;
    }
    if (info.kind !== 'warning') this.locationCollector.observe(line.text, info.kind === 'error', this.owner);
    if (info.kind === 'error' && this.pendingFrames.length > 0) {
      for (const frame of this.pendingFrames) this.locationCollector.observe(frame, false, this.owner);
      this.pendingFrames = [];
    }
  }

  /** Confirms what is provisional: called at the end of the step too. */
  commit(): void {
    if (!this.provisionalOpen) return;
    this.collector.commit();
    this.committedEvidence |= this.provisionalEvidence;
    this.provisionalEvidence = 0;
    this.provisionalOpen = false;
  }

  private retract(): void {
    this.collector.retract();
    this.locationCollector.rollback(this.locationMark);
    this.provisionalEvidence = 0;
    this.provisionalOpen = false;
    this.owner = null;
  }
}
