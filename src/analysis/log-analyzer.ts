import { decideClass, type GateOutcome } from './classify.js';
import { estimateTokens } from './distill.js';
import { signatureOf } from './error-signature.js';
import { renderExcerpt } from './excerpt.js';
import { forEachCleanLine, type CleanBatch } from './clean-batch.js';
import { CleanLineSource } from './clean-lines.js';
import { defaultFileExists, pathRelativiser } from './locations.js';
import { StepAnalysis, type StepOptions } from './step-analysis.js';
import type { CleanLine } from './strip.js';
import type { AnalysisStats, FailureAnalysis } from './types.js';

/**
 * Analyses a log of any size, line by line, in memory bounded by the excerpt budget and fixed caps (never by
 * the log): the stream is split into CI steps (`##[group]Run …`, `##[section]Starting: …`), and the step that
 * failed the gate decides the class, the excerpt, the signatures and the locations. That is the last step the CI
 * marked as failed (earlier failed steps were `continue-on-error`: they are only mentioned), else the last
 * step with errors, else the whole log's end. At most three steps are held at a time.
 */

export interface LogAnalyzerOptions {
  readonly repoRoot: string;
  /** Budget of the whole excerpt, header included; tokens are estimated as ceil(characters / 4). */
  readonly maxExcerptTokens: number;
  readonly fileExists?: (relPath: string) => boolean;
}

export interface OutcomeDetails extends GateOutcome {
  readonly durationMs?: number;
  /** The log is the bounded head and tail of the output, not all of it. */
  readonly outputTruncated?: boolean;
}

const MAX_EARLIER_FAILURES = 20;

/** One line saying how the gate ended, so that a timeout or a kill is visible even in an empty log. */
export function describeOutcome(outcome: OutcomeDetails): string {
  let how: string;
  if (outcome.timedOut) {
    how = outcome.durationMs === undefined ? 'timed out' : `timed out after ${(outcome.durationMs / 1000).toFixed(0)} s`;
  } else if (outcome.signal !== null) how = `killed by ${outcome.signal}`;
  else if (outcome.exitCode !== null) how = `exit code ${outcome.exitCode}`;
  else how = 'failed';
  const truncated = outcome.outputTruncated ? ' (output truncated: head and tail kept)' : '';
  const command = outcome.command === '' ? '' : ` (${outcome.command})`;
  return `gate "${outcome.gate}"${command}: ${how}${truncated}`;
}

export class LogAnalyzer {
  private readonly source = new CleanLineSource((line) => this.observeLine(line));
  private readonly stepOptions: StepOptions;
  private current: StepAnalysis;
  private lastFailed: StepAnalysis | null = null;
  private lastWithErrors: StepAnalysis | null = null;
  private readonly earlierFailures: string[] = [];
  private bytes = 0;
  /** Raw lines split and cleaned elsewhere (see pushCleaned). */
  private cleanedElsewhere = 0;

  constructor(private readonly options: LogAnalyzerOptions) {
    const relativise = pathRelativiser(options.repoRoot);
    this.stepOptions = {
      relativise,
      budgetChars: Math.max(0, options.maxExcerptTokens) * 4,
      locations: { repoRoot: options.repoRoot, fileExists: options.fileExists ?? defaultFileExists(options.repoRoot) },
    };
    this.current = new StepAnalysis(null, this.stepOptions);
  }

  /** A chunk of the log as it arrives; lines may span chunks. `byteLength` defaults to the chunk's UTF-8 size. */
  pushText(text: string, byteLength = Buffer.byteLength(text, 'utf8')): void {
    this.bytes += byteLength;
    this.source.push(text);
  }

  /** Lines another thread split and cleaned (a CleanLineSource there). Not to be mixed with pushText. */
  pushCleaned(batch: CleanBatch): void {
    this.bytes += batch.bytes;
    this.cleanedElsewhere += batch.rawLines;
    forEachCleanLine(batch, (line) => this.observeLine(line));
  }

  finish(outcome: OutcomeDetails): FailureAnalysis {
    this.source.end();
    this.current.commit();
    const decisive = this.decisiveStep();
    const failureClass = decideClass(outcome, decisive.evidence);

    const header = describeOutcome(outcome);
    const stepLine = decisive.title === null ? '' : `failed step: ${decisive.title}`;
    const earlier = this.earlierNote();
    const fixed = [header, stepLine].filter((line) => line !== '');
    const budgetChars = Math.max(0, this.options.maxExcerptTokens) * 4;
    let remaining = budgetChars - fixed.reduce((sum, line) => sum + line.length + 1, 0);
    const lines: string[] = [];
    if (remaining >= 0) lines.push(...fixed);
    else remaining = budgetChars;
    const withNote = earlier !== '' && remaining - earlier.length - 1 > 0;
    if (withNote) remaining -= earlier.length + 1;

    const records = decisive.collector.errors();
    const body = renderExcerpt(records, decisive.collector.tail(), remaining);
    if (body.text !== '') lines.push(body.text);
    if (withNote) lines.push(earlier);
    const excerpt = lines.join('\n');

    const signatures = new Set<string>();
    for (const record of records) {
      const signature = signatureOf(record.text, this.stepOptions.relativise);
      if (signature !== '') signatures.add(signature);
    }
    const stats: AnalysisStats = {
      bytes: this.bytes,
      lines: this.source.rawLineCount + this.cleanedElsewhere,
      excerptTokens: estimateTokens(excerpt),
    };
    return {
      gate: outcome.gate,
      failureClass,
      excerpt,
      errorSignatures: [...signatures],
      locations: [...decisive.locationCollector.locations],
      stats,
      failedStep: decisive.title,
    };
  }

  private observeLine(line: CleanLine): void {
    if (line.mark === 'step-start') this.startStep(line.text.replace(/^(?:Run|Starting:) /, ''));
    this.current.observe(line);
  }

  private startStep(title: string): void {
    const finished = this.current;
    finished.commit();
    if (finished.failedMark) {
      if (this.lastFailed) this.rememberEarlier(this.lastFailed);
      this.lastFailed = finished;
    } else if (finished.hasErrors) {
      this.lastWithErrors = finished;
    }
    this.current = new StepAnalysis(title, this.stepOptions);
  }

  private rememberEarlier(step: StepAnalysis): void {
    this.earlierFailures.push(step.title ?? 'log start');
    if (this.earlierFailures.length > MAX_EARLIER_FAILURES) this.earlierFailures.shift();
  }

  private decisiveStep(): StepAnalysis {
    if (this.current.failedMark) {
      if (this.lastFailed) this.rememberEarlier(this.lastFailed);
      return this.current;
    }
    if (this.lastFailed) return this.lastFailed;
    if (this.current.hasErrors || !this.lastWithErrors) return this.current;
    return this.lastWithErrors;
  }

  /** Earlier failed steps (continue-on-error) are named, not shown: they did not fail the gate. */
  private earlierNote(): string {
    const earlier = this.earlierFailures;
    if (earlier.length === 0) return '';
    const names = earlier.map((title) => `"${title}"`).join(', ');
    return `… earlier failed step${earlier.length === 1 ? '' : 's'} ${names} did not fail the gate (continue-on-error); not shown`;
  }
}
