import { BadRequestError } from 'openai';
import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { z } from 'zod';
import type { LlmConfig } from '../config/schema.js';
import { Redactor } from '../secrets/redact.js';
import { resolveConnection, type Connection, type ConnectionTuning } from './connection.js';
import { parseJsonAnswer, type JsonResult } from './json-answer.js';
import { describeModelError } from './model-errors.js';
import type { AgentName, UsageLedger } from './usage.js';

export type { JsonResult } from './json-answer.js';

export type LlmAvailability = { available: true; description: string } | { available: false; reason: string };

export interface JsonRequest<T> {
  agent: AgentName;
  model: string;
  temperature: number;
  maxTokens: number;
  system: string;
  user: string;
  schema: z.ZodType<T>;
  /** Also the `json_schema` name the fake server routes by (`CODEX_SCHEMA_NAME`, `JULES_SCHEMA_NAME`). */
  schemaName: string;
  signal?: AbortSignal;
}

export interface LlmClientOptions {
  /** Test seam for the HTTP layer. */
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

type Mode = 'json_schema' | 'json_object';
type Attempt<T> = { result: JsonResult<T>; schemaRejected: boolean };

/**
 * The one way fleet-orch talks to a model: Chat Completions (the surface every OpenAI-compatible server
 * has), a JSON answer validated by our own zod schema, usage and budget recorded in the ledger for every
 * request. Model, network and parse problems come back as `{ ok: false, error }` with one line; only a
 * budget stop (BudgetExceeded) or the caller's abort (AbortError) is thrown.
 *
 * Usage: when a server sends no `usage`, tokens are estimated as characters / 4 (prompt: system + user;
 * completion: the answer) and the record is marked `usageEstimated`, so the token budget still holds.
 */
export class LlmClient {
  /** Set once a server refused `json_schema` but accepted `json_object`: later calls skip the doomed try. */
  private jsonSchemaUnsupported = false;
  private readonly redactor = new Redactor();
  private readonly now: () => number;

  constructor(
    private readonly openai: OpenAI,
    private readonly connection: Connection,
    private readonly ledger: UsageLedger,
    private readonly tuning: ConnectionTuning,
    options: LlmClientOptions = {},
  ) {
    this.redactor.add(connection.apiKey);
    this.now = options.now ?? Date.now;
  }

  static fromConfig(
    config: LlmConfig,
    env: NodeJS.ProcessEnv,
    ledger: UsageLedger,
    options: LlmClientOptions = {},
  ): { client: LlmClient | null; availability: LlmAvailability } {
    const resolved = resolveConnection(config, env);
    if (!resolved.ok) return { client: null, availability: { available: false, reason: resolved.reason } };
    const tuning: ConnectionTuning = {
      timeoutMs: Math.round(config.timeout_seconds * 1000),
      maxRetries: config.max_retries,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    };
    const client = new LlmClient(resolved.connection.create(tuning), resolved.connection, ledger, tuning, options);
    return { client, availability: { available: true, description: resolved.connection.description } };
  }

  get description(): string {
    return this.connection.description;
  }

  async completeJson<T>(request: JsonRequest<T>): Promise<JsonResult<T>> {
    throwIfAborted(request.signal);
    if (!this.jsonSchemaUnsupported) {
      const first = await this.attempt(request, 'json_schema');
      if (!first.schemaRejected) return first.result;
    }
    const fallback = await this.attempt(request, 'json_object');
    if (fallback.result.ok) this.jsonSchemaUnsupported = true;
    return fallback.result;
  }

  /** The model ids the server lists (for `doctor`); not a model call, so not counted in the ledger. */
  async listModels(signal?: AbortSignal): Promise<{ ok: true; models: string[] } | { ok: false; error: string }> {
    try {
      const page = await this.openai.models.list(signal === undefined ? {} : { signal });
      return { ok: true, models: page.data.map((model) => model.id) };
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      return { ok: false, error: this.describe(error) };
    }
  }

  private async attempt<T>(request: JsonRequest<T>, mode: Mode): Promise<Attempt<T>> {
    this.ledger.beforeCall();
    const started = this.now();
    const base = { agent: request.agent, model: request.model, iteration: this.ledger.iteration };
    let completion: ChatCompletion;
    try {
      completion = await this.openai.chat.completions.create(
        this.body(request, mode),
        request.signal === undefined ? {} : { signal: request.signal },
      );
    } catch (error) {
      const reason = request.signal?.aborted ? 'model request aborted' : this.describe(error);
      const durationMs = this.now() - started;
      this.ledger.record({ ...base, promptTokens: 0, completionTokens: 0, durationMs, ok: false, error: reason });
      if (request.signal?.aborted) throw abortError(request.signal);
      const schemaRejected = mode === 'json_schema' && error instanceof BadRequestError && !isContextLengthError(error);
      return { result: { ok: false, error: reason }, schemaRejected };
    }

    // Outside the try: a BudgetExceeded from `record` must reach the caller.
    const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
    const message = choice?.message;
    const result: JsonResult<T> =
      typeof message?.refusal === 'string' && message.refusal !== ''
        ? { ok: false, error: `model refused: ${oneLine(this.redactor.redact(message.refusal))}` }
        : parseJsonAnswer(message?.content, request.schema, choice?.finish_reason);
    const usage = completion.usage;
    const estimated = usage === undefined || usage === null;
    this.ledger.record({
      ...base,
      promptTokens: estimated ? estimateTokens(request.system + request.user) : usage.prompt_tokens,
      completionTokens: estimated ? estimateTokens(message?.content ?? '') : usage.completion_tokens,
      durationMs: this.now() - started,
      ok: result.ok,
      error: result.ok ? null : result.error,
      ...(estimated ? { usageEstimated: true } : {}),
    });
    return { result, schemaRejected: false };
  }

  private body<T>(request: JsonRequest<T>, mode: Mode): ChatCompletionCreateParamsNonStreaming {
    const format = zodResponseFormat(request.schema, request.schemaName);
    const system =
      mode === 'json_schema'
        ? request.system
        : `${request.system}\n\nAnswer with one JSON object named "${request.schemaName}" that matches this JSON Schema:\n` +
          JSON.stringify(format.json_schema.schema);
    const tokenLimit =
      this.connection.tokenLimitParam === 'max_completion_tokens'
        ? { max_completion_tokens: request.maxTokens }
        : { max_tokens: request.maxTokens };
    return {
      model: request.model,
      temperature: request.temperature,
      ...tokenLimit,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: request.user },
      ],
      response_format: mode === 'json_schema' ? format : { type: 'json_object' },
    };
  }

  private describe(error: unknown): string {
    const line = describeModelError(error, {
      displayUrl: this.connection.displayUrl,
      keyEnv: this.connection.keyEnv,
      maxRetries: this.tuning.maxRetries,
      timeoutMs: this.tuning.timeoutMs,
    });
    return this.redactor.redact(line);
  }
}

/** A 400 about the prompt size is not about `json_schema`: retrying as `json_object` would fail the same way. */
function isContextLengthError(error: BadRequestError): boolean {
  return error.code === 'context_length_exceeded' || /context length|context window|too many tokens/i.test(error.message);
}

/** Rough token count for servers that report none: about four characters per token for English and code. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** The caller's abort, always as an `AbortError` (the signal's own reason when it is one, else wrapped). */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error(`model request aborted${reason instanceof Error ? `: ${reason.message}` : ''}`, {
    cause: reason,
  });
  error.name = 'AbortError';
  return error;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
