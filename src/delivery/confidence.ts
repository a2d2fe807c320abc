import type { AttemptRecord, RunReport } from '../report/run-report.js';

/**
 * How sure the run is that its fix commits are right, from what the run itself observed. A pure function of
 * the report, so the same run always gets the same number (and a dry run reports what a real run would do).
 *
 * - 0 unless the run ended green (every required gate passed) with at least one committed change.
 * - Each committed change has its own confidence, and the run takes the weakest one:
 *   - fixer tier (the project's own formatter/linter/lockfile tool, deterministic): 0.95;
 *   - model tier: the model's own confidence, capped by the reviewer's when the model review ran; × 0.85 when
 *     only the deterministic rules reviewed it; × 0.9 per remaining low/medium finding.
 * - × a size factor: 1 up to 20 changed lines, then down linearly to 0.7 at 200 lines and beyond.
 * - × 0.9 when an optional gate is still red.
 */
export interface Confidence {
  /** 0..1, two decimals. */
  readonly score: number;
  readonly factors: readonly string[];
}

export const FIXER_CONFIDENCE = 0.95;
const UNKNOWN_MODEL_CONFIDENCE = 0.5;
const RULES_ONLY_REVIEW = 0.85;
const PER_FINDING = 0.9;
const SMALL_CHANGE_LINES = 20;
const SIZE_FLOOR = 0.7;
const SIZE_SLOPE_LINES = 600;
const OPTIONAL_GATE_RED = 0.9;

export type ConfidenceInput = Pick<RunReport, 'outcome' | 'iterations' | 'final'>;

export function deliveryConfidence(report: ConfidenceInput): Confidence {
  if (report.outcome !== 'green') return { score: 0, factors: [`the run did not end green (${report.outcome ?? 'no outcome'})`] };
  const committed = report.iterations.map((iteration) => iteration.attempt).filter((attempt) => attempt.outcome === 'committed');
  if (committed.length === 0) return { score: 0, factors: ['no committed change'] };

  const factors: string[] = [];
  let score = 1;
  for (const attempt of committed) {
    const change = changeConfidence(attempt);
    factors.push(change.factor);
    score = Math.min(score, change.score);
  }
  const lines = committed.reduce((sum, attempt) => sum + (attempt.diffStats ? attempt.diffStats.added + attempt.diffStats.removed : 0), 0);
  const size = sizeFactor(lines);
  if (size < 1) factors.push(`${lines} changed lines: × ${size.toFixed(2)}`);
  score *= size;
  const optionalRed = (report.final?.gates ?? []).filter((gate) => !gate.required && gate.status !== 'passed').map((gate) => gate.name);
  if (optionalRed.length > 0) {
    factors.push(`optional gate(s) still red (${optionalRed.join(', ')}): × ${OPTIONAL_GATE_RED}`);
    score *= OPTIONAL_GATE_RED;
  }
  return { score: round2(score), factors };
}

function changeConfidence(attempt: AttemptRecord): { score: number; factor: string } {
  const label = `${attempt.tier} ${attempt.source} on gate ${attempt.gate}`;
  if (attempt.tier === 'fixer') return { score: FIXER_CONFIDENCE, factor: `${label}: deterministic tool, ${FIXER_CONFIDENCE}` };
  let score = clamp01(attempt.proposal?.confidence ?? UNKNOWN_MODEL_CONFIDENCE);
  const parts = [`model says ${round2(score)}`];
  const review = attempt.review;
  if (review?.decidedBy === 'model' && review.confidence !== null) {
    if (review.confidence < score) parts.push(`reviewer says ${round2(review.confidence)}`);
    score = Math.min(score, clamp01(review.confidence));
  } else {
    score *= RULES_ONLY_REVIEW;
    parts.push(`rules-only review × ${RULES_ONLY_REVIEW}`);
  }
  const findings = (review?.findings ?? []).filter((finding) => finding.severity === 'low' || finding.severity === 'medium').length;
  if (findings > 0) {
    score *= PER_FINDING ** findings;
    parts.push(`${findings} finding(s) × ${PER_FINDING} each`);
  }
  return { score, factor: `${label}: ${parts.join(', ')} → ${round2(score)}` };
}

export function sizeFactor(lines: number): number {
  if (lines <= SMALL_CHANGE_LINES) return 1;
  return Math.max(SIZE_FLOOR, 1 - (lines - SMALL_CHANGE_LINES) / SIZE_SLOPE_LINES);
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
