import { BudgetExceeded } from '../errors.js';
import { DEFAULT_PRICES, type ModelPrice } from '../config/schema.js';

export type AgentName = 'codex' | 'jules';

export interface ModelCallRecord {
  agent: AgentName;
  model: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number;
  durationMs: number;
  iteration: number;
  ok: boolean;
  error: string | null;
  /** True when the server sent no `usage` and the token counts are estimates (characters / 4). */
  usageEstimated?: boolean;
}

export interface UsageLimits {
  maxModelCalls: number;
  maxTokensTotal: number;
  maxCostUsd: number;
}

export interface UsageTotals {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number;
}

export interface IterationUsage {
  iteration: number;
  calls: number;
  tokens: number;
  costUsd: number;
}

/** Where each limit is configured, so the stop message tells the user what to raise. */
const LIMIT_KEYS = {
  max_model_calls: 'agents.orchestrator.max_model_calls',
  max_tokens_total: 'agents.orchestrator.max_tokens_total',
  max_cost_usd: 'agents.orchestrator.max_cost_usd',
} as const;

/**
 * Token and cost accounting for one run, and the run's hard model budget. The client asks `beforeCall()`
 * before every request and `record()`s every request it made, successful or not.
 */
export class UsageLedger {
  /** The loop's current iteration; stamped on every record the client makes. */
  iteration = 0;

  private readonly records: ModelCallRecord[] = [];
  private readonly prices: Record<string, ModelPrice>;

  constructor(
    private readonly limits: UsageLimits,
    prices: Record<string, ModelPrice>,
    private readonly defaultPrice: ModelPrice,
  ) {
    this.prices = { ...DEFAULT_PRICES, ...prices };
  }

  /** Throws BudgetExceeded when one more call would cross a limit (or a total already has). */
  beforeCall(): void {
    const totals = this.totals();
    if (totals.calls + 1 > this.limits.maxModelCalls) {
      throw budget('max_model_calls', `model call limit reached (${totals.calls} of ${this.limits.maxModelCalls})`);
    }
    if (totals.totalTokens >= this.limits.maxTokensTotal) {
      throw budget('max_tokens_total', tokenMessage(totals.totalTokens, this.limits.maxTokensTotal));
    }
    if (totals.costUsd >= this.limits.maxCostUsd) {
      throw budget('max_cost_usd', costMessage(totals.costUsd, this.limits.maxCostUsd));
    }
  }

  /** Records the call (always), then throws BudgetExceeded when the totals now exceed a limit. */
  record(call: Omit<ModelCallRecord, 'costUsd' | 'totalTokens'>): ModelCallRecord {
    const promptTokens = nonNegativeInt(call.promptTokens);
    const completionTokens = nonNegativeInt(call.completionTokens);
    const record: ModelCallRecord = {
      ...call,
      promptTokens,
      completionTokens,
      totalTokens: promptTokens + completionTokens,
      costUsd: this.costOf(call.model, promptTokens, completionTokens),
    };
    this.records.push(record);

    const totals = this.totals();
    if (totals.totalTokens > this.limits.maxTokensTotal) {
      throw budget('max_tokens_total', tokenMessage(totals.totalTokens, this.limits.maxTokensTotal));
    }
    if (totals.costUsd > this.limits.maxCostUsd) {
      throw budget('max_cost_usd', costMessage(totals.costUsd, this.limits.maxCostUsd));
    }
    return record;
  }

  calls(): readonly ModelCallRecord[] {
    return this.records;
  }

  totals(): UsageTotals {
    const totals: UsageTotals = { calls: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0, costUsd: 0 };
    for (const record of this.records) {
      totals.calls += 1;
      totals.promptTokens += record.promptTokens;
      totals.completionTokens += record.completionTokens;
      totals.totalTokens += record.totalTokens;
      totals.costUsd += record.costUsd;
    }
    return totals;
  }

  /** One row per iteration that made calls, in iteration order. */
  perIteration(): IterationUsage[] {
    const rows = new Map<number, IterationUsage>();
    for (const record of this.records) {
      const row = rows.get(record.iteration) ?? { iteration: record.iteration, calls: 0, tokens: 0, costUsd: 0 };
      row.calls += 1;
      row.tokens += record.totalTokens;
      row.costUsd += record.costUsd;
      rows.set(record.iteration, row);
    }
    return [...rows.values()].sort((a, b) => a.iteration - b.iteration);
  }

  /** Price of a model: exact name, else the longest known name it extends (`gpt-4.1-2025-04-14` → `gpt-4.1`). */
  priceOf(model: string): ModelPrice {
    const exact = this.prices[model];
    if (exact) return exact;
    const prefix = Object.keys(this.prices)
      .filter((known) => model.startsWith(`${known}-`))
      .sort((a, b) => b.length - a.length)[0];
    return (prefix === undefined ? undefined : this.prices[prefix]) ?? this.defaultPrice;
  }

  costOf(model: string, promptTokens: number, completionTokens: number): number {
    const price = this.priceOf(model);
    return (promptTokens * price.input_per_million + completionTokens * price.output_per_million) / 1_000_000;
  }
}

export function usageLimitsFromConfig(orchestrator: {
  max_model_calls: number;
  max_tokens_total: number;
  max_cost_usd: number;
}): UsageLimits {
  return {
    maxModelCalls: orchestrator.max_model_calls,
    maxTokensTotal: orchestrator.max_tokens_total,
    maxCostUsd: orchestrator.max_cost_usd,
  };
}

function budget(limit: keyof typeof LIMIT_KEYS, what: string): BudgetExceeded {
  return new BudgetExceeded(limit, `budget exceeded: ${what} (${LIMIT_KEYS[limit]})`);
}

function tokenMessage(used: number, limit: number): string {
  return `${used} tokens used of ${limit}`;
}

function costMessage(used: number, limit: number): string {
  return `estimated cost $${used.toFixed(4)} of $${limit}`;
}

function nonNegativeInt(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}
