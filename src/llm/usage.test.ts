import { describe, expect, it } from 'vitest';
import { BudgetExceeded } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { UsageLedger, usageLimitsFromConfig, type UsageLimits } from './usage.js';

const generous: UsageLimits = { maxModelCalls: 100, maxTokensTotal: 10_000_000, maxCostUsd: 100 };
const defaultPrice = { input_per_million: 2, output_per_million: 8 };

function call(overrides: Partial<Parameters<UsageLedger['record']>[0]> = {}) {
  return {
    agent: 'codex' as const,
    model: 'gpt-4.1',
    promptTokens: 1_000,
    completionTokens: 500,
    durationMs: 10,
    iteration: 1,
    ok: true,
    error: null,
    ...overrides,
  };
}

function thrown(action: () => unknown): BudgetExceeded {
  try {
    action();
  } catch (error) {
    if (error instanceof BudgetExceeded) return error;
    throw error;
  }
  throw new Error('expected BudgetExceeded');
}

describe('UsageLedger', () => {
  it('computes cost from the built-in price table and totals the calls', () => {
    const ledger = new UsageLedger(generous, {}, defaultPrice);
    const record = ledger.record(call({ model: 'gpt-4.1-mini', promptTokens: 1_000_000, completionTokens: 500_000 }));
    expect(record.totalTokens).toBe(1_500_000);
    expect(record.costUsd).toBeCloseTo(0.4 + 0.8, 10);
    ledger.record(call({ agent: 'jules', promptTokens: 2_000, completionTokens: 100 }));
    expect(ledger.totals()).toEqual({
      calls: 2,
      promptTokens: 1_002_000,
      completionTokens: 500_100,
      totalTokens: 1_502_100,
      costUsd: expect.closeTo(1.2 + (2_000 * 2 + 100 * 8) / 1e6, 10) as unknown as number,
    });
  });

  it('merges configured prices over the defaults, matches dated model names, and falls back to the default price', () => {
    const ledger = new UsageLedger(generous, { 'gpt-4.1': { input_per_million: 1, output_per_million: 1 } }, defaultPrice);
    expect(ledger.priceOf('gpt-4.1')).toEqual({ input_per_million: 1, output_per_million: 1 });
    expect(ledger.priceOf('gpt-4.1-mini-2025-04-14')).toEqual({ input_per_million: 0.4, output_per_million: 1.6 });
    expect(ledger.priceOf('llama3.1:8b')).toEqual(defaultPrice);
  });

  it('stamps nothing itself: records keep the iteration given, and perIteration groups them in order', () => {
    const ledger = new UsageLedger(generous, {}, defaultPrice);
    ledger.record(call({ iteration: 2, promptTokens: 10, completionTokens: 0 }));
    ledger.record(call({ iteration: 1, promptTokens: 5, completionTokens: 5 }));
    ledger.record(call({ iteration: 2, promptTokens: 1, completionTokens: 1, ok: false, error: 'x' }));
    const rows = ledger.perIteration();
    expect(rows.map((row) => [row.iteration, row.calls, row.tokens])).toEqual([
      [1, 1, 10],
      [2, 2, 12],
    ]);
    expect(ledger.calls()).toHaveLength(3);
  });

  it('refuses the call that would cross max_model_calls', () => {
    const ledger = new UsageLedger({ ...generous, maxModelCalls: 2 }, {}, defaultPrice);
    ledger.beforeCall();
    ledger.record(call());
    ledger.beforeCall();
    ledger.record(call());
    const error = thrown(() => ledger.beforeCall());
    expect(error.limit).toBe('max_model_calls');
    expect(error.exitCode).toBe(ExitCode.SafetyStop);
    expect(error.message).toContain('agents.orchestrator.max_model_calls');
  });

  it('throws max_tokens_total once the totals exceed it, keeps the record, and refuses further calls', () => {
    const ledger = new UsageLedger({ ...generous, maxTokensTotal: 2_000 }, {}, defaultPrice);
    ledger.record(call({ promptTokens: 1_000, completionTokens: 500 }));
    const error = thrown(() => ledger.record(call({ promptTokens: 400, completionTokens: 200 })));
    expect(error.limit).toBe('max_tokens_total');
    expect(error.message).toMatch(/2100 tokens used of 2000/);
    expect(ledger.totals().calls).toBe(2);
    expect(thrown(() => ledger.beforeCall()).limit).toBe('max_tokens_total');
  });

  it('throws max_cost_usd once the estimated cost exceeds it', () => {
    const ledger = new UsageLedger({ ...generous, maxCostUsd: 0.01 }, {}, defaultPrice);
    ledger.record(call({ promptTokens: 1_000, completionTokens: 500 }));
    const error = thrown(() => ledger.record(call({ promptTokens: 1_000, completionTokens: 1_000 })));
    expect(error.limit).toBe('max_cost_usd');
    expect(error.message).toContain('agents.orchestrator.max_cost_usd');
  });

  it('builds limits from the orchestrator config', () => {
    expect(usageLimitsFromConfig({ max_model_calls: 3, max_tokens_total: 4, max_cost_usd: 5 })).toEqual({
      maxModelCalls: 3,
      maxTokensTotal: 4,
      maxCostUsd: 5,
    });
  });
});
