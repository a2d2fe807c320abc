import { describe, expect, it } from 'vitest';
import type { ReviewFinding, ReviewVerdict } from '../agents/types.js';
import type { AttemptRecord, IterationRecord } from '../report/run-report.js';
import { deliveryConfidence, sizeFactor, type ConfidenceInput } from './confidence.js';

function attempt(overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    tier: 'model',
    gate: 'typecheck',
    failureClass: 'typecheck',
    source: 'gpt-4.1',
    proposal: { analysis: '', rootCause: '', confidence: 0.9, rationale: '' },
    patchFile: null,
    diffStats: { files: ['src/a.ts'], added: 1, removed: 1 },
    review: review(),
    apply: null,
    commit: 'c'.repeat(40),
    outcome: 'committed',
    reasons: [],
    ...overrides,
  };
}

function review(overrides: Partial<ReviewVerdict> = {}): ReviewVerdict {
  return { decision: 'approve', findings: [], decidedBy: 'model', confidence: 0.95, summary: 'ok', ...overrides };
}

function finding(severity: ReviewFinding['severity']): ReviewFinding {
  return { rule: 'model', severity, message: 'x', file: null, line: null };
}

function run(attempts: AttemptRecord[], extra: Partial<ConfidenceInput> = {}): ConfidenceInput {
  const iterations = attempts.map((item, index) => ({ iteration: index + 1, attempt: item }) as unknown as IterationRecord);
  return { outcome: 'green', iterations, final: { gates: [] }, ...extra };
}

describe('deliveryConfidence', () => {
  it('is 0 unless the run ended green with a committed change', () => {
    expect(deliveryConfidence(run([attempt()], { outcome: 'gave_up' }))).toEqual({ score: 0, factors: ['the run did not end green (gave_up)'] });
    expect(deliveryConfidence(run([attempt({ outcome: 'rejected', commit: null })])).score).toBe(0);
    expect(deliveryConfidence(run([])).factors).toEqual(['no committed change']);
  });

  it('a fixer change is 0.95; a model change is the lower of the model and the reviewer', () => {
    expect(deliveryConfidence(run([attempt({ tier: 'fixer', source: 'prettier', proposal: null, review: null })])).score).toBe(0.95);
    expect(deliveryConfidence(run([attempt()])).score).toBe(0.9);
    expect(deliveryConfidence(run([attempt({ review: review({ confidence: 0.7 }) })])).score).toBe(0.7);
  });

  it('a rules-only review and each low/medium finding lower it; info findings do not', () => {
    expect(deliveryConfidence(run([attempt({ review: review({ decidedBy: 'rules', confidence: null }) })])).score).toBe(0.77);
    const findings = [finding('low'), finding('medium'), finding('info')];
    expect(deliveryConfidence(run([attempt({ review: review({ findings }) })])).score).toBe(0.73);
  });

  it('takes the weakest committed change and ignores attempts that were not kept', () => {
    const result = deliveryConfidence(
      run([
        attempt({ tier: 'fixer', source: 'eslint', proposal: null, review: null }),
        attempt({ proposal: { analysis: '', rootCause: '', confidence: 0.62, rationale: '' } }),
        attempt({ outcome: 'regression_undone', proposal: { analysis: '', rootCause: '', confidence: 0.1, rationale: '' } }),
      ]),
    );
    expect(result.score).toBe(0.62);
    expect(result.factors).toHaveLength(2);
  });

  it('large changes and red optional gates count against it', () => {
    const big = attempt({ tier: 'fixer', proposal: null, review: null, diffStats: { files: ['a'], added: 100, removed: 40 } });
    expect(deliveryConfidence(run([big])).score).toBe(0.76); // 0.95 × 0.8
    const gates = [{ name: 'audit', required: false, status: 'failed' }] as NonNullable<ConfidenceInput['final']>['gates'];
    const withRed = deliveryConfidence(run([attempt()], { final: { gates } }));
    expect(withRed.score).toBe(0.81);
    expect(withRed.factors.at(-1)).toContain('audit');
  });

  it('sizeFactor: 1 up to 20 lines, 0.7 from 200 lines', () => {
    expect([0, 20, 80, 200, 5000].map(sizeFactor)).toEqual([1, 1, 0.9, 0.7, 0.7]);
  });

  it('an out-of-range model confidence is clamped', () => {
    expect(deliveryConfidence(run([attempt({ proposal: { analysis: '', rootCause: '', confidence: 7, rationale: '' } })])).score).toBe(0.95);
  });
});
