import { z } from 'zod';
import type { Config } from '../config/schema.js';
import type { LlmClient } from '../llm/client.js';
import { sanitizeLine } from '../llm/prompt-safety.js';
import type { Redactor } from '../secrets/redact.js';
import { clampConfidence } from './codex.js';
import { buildJulesPrompt, DEFAULT_MAX_DIFF_CHARS, type JulesPromptOptions } from './jules-prompt.js';
import { isBlocking, runRules, type RuleOptions } from './rules/index.js';
import type { FindingSeverity, PatchProposal, ReviewFinding, ReviewVerdict } from './types.js';

export { runRules, type RuleOptions } from './rules/index.js';

/** The structured-output name of Jules answers (the fake LLM server routes on it). */
export const JULES_SCHEMA_NAME = 'review';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const satisfies readonly FindingSeverity[];

export const JulesAnswer = z.object({
  decision: z.enum(['approve', 'reject']),
  confidence: z.number().describe('0..1'),
  summary: z.string(),
  findings: z.array(
    z.object({
      severity: z.enum(SEVERITIES),
      message: z.string(),
      file: z.string().nullable(),
      line: z.number().nullable(),
    }),
  ),
});
export type JulesAnswer = z.infer<typeof JulesAnswer>;

export interface ReviewInput {
  diff: string;
  proposal: PatchProposal | null;
  /** What the patch should fix (e.g. the failure excerpt); untrusted. */
  context: string;
  signal?: AbortSignal;
}

const MAX_MODEL_FINDINGS = 20;

/**
 * The security reviewer. Deterministic rules run first, and a blocking finding rejects without asking the
 * model. Otherwise the model reviews (when there is one and `model_review` is on); any failure of that
 * review rejects: a reviewer that could not review does not approve.
 */
export class JulesAgent {
  constructor(
    private readonly client: LlmClient | null,
    private readonly config: Config['agents']['jules'],
    private readonly rules: RuleOptions,
    private readonly redactor: Redactor,
    private readonly promptOptions: JulesPromptOptions = {},
  ) {}

  async review(input: ReviewInput): Promise<ReviewVerdict> {
    const ruleFindings = runRules(input.diff, this.rules);
    const blocking = ruleFindings.filter(isBlocking);
    if (blocking.length > 0) {
      const first = blocking[0]?.message ?? '';
      return verdict('reject', ruleFindings, 'rules', null, `rejected by rules: ${blocking.length} blocking finding(s); first: ${first}`);
    }
    if (this.client === null || !this.config.model_review) {
      const why = this.client === null ? 'no model configured' : 'disabled by agents.jules.model_review';
      return verdict('approve', ruleFindings, 'rules', null, `approved by rules; model review skipped (${why})`);
    }
    const maxDiffChars = this.promptOptions.maxDiffChars ?? DEFAULT_MAX_DIFF_CHARS;
    if (input.diff.length > maxDiffChars) {
      const tooLarge = modelFinding(`the diff (${input.diff.length} characters) is larger than a model review can take (${maxDiffChars})`);
      return verdict('reject', [...ruleFindings, tooLarge], 'model', null, 'rejected: the diff is too large to review');
    }
    return this.modelReview(this.client, input, ruleFindings);
  }

  private async modelReview(client: LlmClient, input: ReviewInput, ruleFindings: readonly ReviewFinding[]): Promise<ReviewVerdict> {
    const prompt = buildJulesPrompt({ ...input, ruleFindings }, this.redactor, this.promptOptions);
    const answer = await client.completeJson({
      agent: 'jules',
      model: this.config.model,
      temperature: this.config.temperature,
      maxTokens: this.config.max_tokens,
      system: prompt.system,
      user: prompt.user,
      schema: JulesAnswer,
      schemaName: JULES_SCHEMA_NAME,
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
    if (!answer.ok) {
      const failed = modelFinding(`model review failed, so the patch is rejected: ${answer.error}`);
      return verdict('reject', [...ruleFindings, failed], 'model', null, `rejected: model review failed (${answer.error})`);
    }

    const review = answer.value;
    const findings = review.findings.slice(0, MAX_MODEL_FINDINGS).map((item) => this.toFinding(item));
    const summary = this.clean(review.summary, 500) || `model decided ${review.decision}`;
    const confidence = clampConfidence(review.confidence);
    const all = [...ruleFindings, ...findings];
    if (review.decision === 'approve' && findings.some(isBlocking)) {
      return verdict('reject', all, 'model', confidence, `rejected: the model approved but reported a high-severity finding (${summary})`);
    }
    return verdict(review.decision, all, 'model', confidence, summary);
  }

  private toFinding(item: JulesAnswer['findings'][number]): ReviewFinding {
    const file = item.file === null ? null : this.clean(item.file, 300) || null;
    const line = item.line !== null && Number.isFinite(item.line) && item.line > 0 ? Math.round(item.line) : null;
    return { rule: 'model', severity: item.severity, message: this.clean(item.message, 500) || '(no message)', file, line };
  }

  /** Model text goes into logs, reports and the next prompt: one line, no control characters, redacted. */
  private clean(text: string, max: number): string {
    return sanitizeLine(text, this.redactor, max);
  }
}

function modelFinding(message: string): ReviewFinding {
  return { rule: 'model', severity: 'high', message, file: null, line: null };
}

function verdict(
  decision: ReviewVerdict['decision'],
  findings: readonly ReviewFinding[],
  decidedBy: ReviewVerdict['decidedBy'],
  confidence: number | null,
  summary: string,
): ReviewVerdict {
  return { decision, findings, decidedBy, confidence, summary };
}
