import { renderExcerpt } from './excerpt.js';
import { isErrorText } from './line-kinds.js';
import { signatureOf } from './error-signature.js';
import { pathRelativiser } from './locations.js';
import { StepAnalysis } from './step-analysis.js';
import { LineCleaner } from './strip.js';

/**
 * Distils a log into the lines that explain the failure, under a token budget, without a header and without
 * CI steps (log-analyzer.ts does both for whole gates). See error-collector.ts and excerpt.ts for what is kept.
 *
 * Tokens are estimated as ceil(characters / 4), the usual rule of thumb for OpenAI tokenizers on English and
 * code; it needs no tokenizer, and logs (paths, punctuation, numbers) tend to have fewer characters per token,
 * so the real count can be somewhat higher: the budget is a soft size limit, not a billing figure.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Whether a clean line, on its own, reads as an error (warnings and wrappers like `npm error code 1` do not). */
export function isErrorLine(line: string): boolean {
  return isErrorText(line);
}

export interface DistillOptions {
  readonly maxTokens: number;
  readonly repoRoot: string;
}

export interface DistilledLog {
  readonly excerpt: string;
  /** Distinct error lines (paths made repository-relative) in order of first appearance, with counts. */
  readonly errors: readonly { readonly line: string; readonly count: number }[];
  /** Normalised, unique signatures of all distinct error lines, including those cut from the excerpt. */
  readonly signatures: readonly string[];
  /** Distinct error lines that did not fit the budget. */
  readonly omittedErrors: number;
}

export function distillLog(log: string, options: DistillOptions): DistilledLog {
  const relativise = pathRelativiser(options.repoRoot);
  const budgetChars = Math.max(0, Math.floor(options.maxTokens)) * 4;
  const step = new StepAnalysis(null, { relativise, budgetChars, locations: { repoRoot: options.repoRoot, fileExists: () => false } });
  const cleaner = new LineCleaner();
  for (const raw of log.split('\n')) {
    const line = cleaner.clean(raw);
    if (line !== null) step.observe(line);
  }
  step.commit();
  const records = step.collector.errors();
  const rendered = renderExcerpt(records, step.collector.tail(), budgetChars);
  const signatures = new Set(records.map((record) => signatureOf(record.text, relativise)));
  signatures.delete('');
  return {
    excerpt: rendered.text,
    errors: records.map((record) => ({ line: record.text, count: record.count })),
    signatures: [...signatures],
    omittedErrors: rendered.omittedErrors,
  };
}
