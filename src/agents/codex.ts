import { z } from 'zod';
import type { ContextFile, FailureAnalysis } from '../analysis/types.js';
import type { Config } from '../config/schema.js';
import type { LlmClient } from '../llm/client.js';
import { stripInvisible } from '../llm/prompt-safety.js';
import type { Redactor } from '../secrets/redact.js';
import { buildCodexPrompt, type CodexPromptOptions } from './codex-prompt.js';
import { DiffParseError, parseDiffFiles } from './diff-lines.js';
import type { AttemptFeedback, PatchProposal } from './types.js';

/** The structured-output name of Codex answers (the fake LLM server routes on it). */
export const CODEX_SCHEMA_NAME = 'patch';

/** What the model must answer. Strict-mode compatible: every key required, nothing optional. */
export const CodexAnswer = z.object({
  analysis: z.string().describe('What the failure log shows.'),
  root_cause: z.string().describe('The root cause in one or two sentences.'),
  confidence: z.number().describe('0..1: how sure the diff makes the gate pass.'),
  rationale: z.string().describe('One line for the commit message.'),
  diff: z.string().describe('One unified diff with a/ b/ paths relative to the repository root; empty if none.'),
});
export type CodexAnswer = z.infer<typeof CodexAnswer>;

export interface CodexInput {
  analysis: FailureAnalysis;
  contextFiles: readonly ContextFile[];
  attempts: readonly AttemptFeedback[];
  iteration: number;
  signal?: AbortSignal;
}

export type CodexResult = { ok: true; proposal: PatchProposal } | { ok: false; error: string };

const MAX_RATIONALE = 120;

/**
 * Tier 2 of the fixes: asks the model for a root-cause fix as one unified diff. A failed call, an answer off
 * the schema, or an empty or non-diff `diff` is a failed attempt with its reason; a budget stop or an abort
 * is thrown by the client.
 */
export class CodexAgent {
  constructor(
    private readonly client: LlmClient,
    private readonly config: Config['agents']['codex'],
    private readonly redactor: Redactor,
    private readonly promptOptions: CodexPromptOptions = {},
  ) {}

  async propose(input: CodexInput): Promise<CodexResult> {
    const prompt = buildCodexPrompt(input, this.redactor, this.promptOptions);
    const answer = await this.client.completeJson({
      agent: 'codex',
      model: this.config.model,
      temperature: this.config.temperature,
      maxTokens: this.config.max_tokens,
      system: prompt.system,
      user: prompt.user,
      schema: CodexAnswer,
      schemaName: CODEX_SCHEMA_NAME,
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
    if (!answer.ok) return answer;
    return toProposal(answer.value, input.analysis);
  }
}

/** Checks the answer's diff and turns the answer into a proposal. */
export function toProposal(answer: CodexAnswer, analysis: Pick<FailureAnalysis, 'gate' | 'failureClass'>): CodexResult {
  const diff = extractDiff(answer.diff);
  if (diff === '') return { ok: false, error: 'model proposed no change (empty diff)' };
  let files;
  try {
    files = parseDiffFiles(diff);
  } catch (error) {
    const reason = error instanceof DiffParseError ? error.message : String(error);
    return { ok: false, error: `model diff is not a unified diff: ${reason}` };
  }
  if (files.length === 0) {
    return { ok: false, error: 'model answer has no unified diff (no ---/+++ file headers with @@ hunks)' };
  }
  if (copiesLineNumbers(diff)) {
    return { ok: false, error: 'model diff contains the "N| " line-number prefixes of the prompt' };
  }
  return {
    ok: true,
    proposal: {
      analysis: stripInvisible(answer.analysis).trim(),
      rootCause: stripInvisible(answer.root_cause).trim(),
      confidence: clampConfidence(answer.confidence),
      rationale: oneLine(answer.rationale) || `fix ${analysis.gate}: ${analysis.failureClass} failure`,
      diff,
    },
  };
}

/** The diff without a Markdown fence or chatter before the first file header, ending with a newline. */
export function extractDiff(text: string): string {
  let diff = text.replace(/\r\n/g, '\n');
  const fenced = /```(?:diff|patch)?[^\n]*\n([\s\S]*?)\n```/.exec(diff);
  if (fenced?.[1] !== undefined) diff = fenced[1];
  const start = diff.search(/^(?:diff --git |--- )/m);
  if (start < 0) return diff.trim() === '' ? '' : diff.trimEnd() + '\n';
  diff = diff.slice(start).trimEnd();
  return diff === '' ? '' : `${diff}\n`;
}

/** Most context/removed lines start with `N| `: the model copied the prompt's numbering into the diff. */
function copiesLineNumbers(diff: string): boolean {
  const body = diff.split('\n').filter((line) => line.startsWith(' ') || line.startsWith('-'));
  const bodyLines = body.filter((line) => !line.startsWith('---'));
  if (bodyLines.length === 0) return false;
  const numbered = bodyLines.filter((line) => /^[ -]\s*\d+\| /.test(line)).length;
  return numbered / bodyLines.length > 0.5;
}

export function clampConfidence(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

function oneLine(text: string): string {
  const line = stripInvisible(text).split('\n').find((candidate) => candidate.trim() !== '')?.trim() ?? '';
  return line.length > MAX_RATIONALE ? `${line.slice(0, MAX_RATIONALE - 1)}…` : line;
}
