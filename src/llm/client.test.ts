import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeLlm, type FakeLlm, type Script } from '../../test/helpers/fake-llm-server.js';
import { LlmConfig } from '../config/schema.js';
import { BudgetExceeded } from '../errors.js';
import { isAbortError, LlmClient, type JsonRequest } from './client.js';
import { resolveConnection } from './connection.js';
import { UsageLedger, type UsageLimits } from './usage.js';

const Answer = z.object({ word: z.string(), count: z.number() });
type Answer = z.infer<typeof Answer>;

const fakeKey = () => `sk-test-${'k'.repeat(32)}`;
const limits: UsageLimits = { maxModelCalls: 50, maxTokensTotal: 1_000_000, maxCostUsd: 10 };
const price = { input_per_million: 2, output_per_million: 8 };

let fake: FakeLlm | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function start(script: Script): Promise<FakeLlm> {
  fake = await startFakeLlm(script);
  return fake;
}

function compatible(llm: FakeLlm, overrides: Record<string, unknown> = {}) {
  return LlmConfig.parse({ provider: 'compatible', base_url: llm.baseUrl, max_retries: 0, timeout_seconds: 5, ...overrides });
}

function connect(config: LlmConfig, env: NodeJS.ProcessEnv = {}, ledgerLimits: UsageLimits = limits) {
  const ledger = new UsageLedger(ledgerLimits, {}, price);
  const { client, availability } = LlmClient.fromConfig(config, env, ledger);
  if (client === null) throw new Error(`unavailable: ${JSON.stringify(availability)}`);
  return { client, ledger, availability };
}

function request(overrides: Partial<JsonRequest<Answer>> = {}): JsonRequest<Answer> {
  return {
    agent: 'codex',
    model: 'gpt-4.1',
    temperature: 0.2,
    maxTokens: 300,
    system: 'You answer in JSON.',
    user: 'Say a word.',
    schema: Answer,
    schemaName: 'word_count',
    ...overrides,
  };
}

describe('LlmClient.completeJson against a fake server', () => {
  it('returns the validated answer and records usage and cost', async () => {
    const llm = await start([{ json: { word: 'hello', count: 2 }, usage: { prompt: 1_000, completion: 200 } }]);
    const { client, ledger } = connect(compatible(llm));
    ledger.iteration = 3;

    const result = await client.completeJson(request());

    expect(result).toEqual({ ok: true, value: { word: 'hello', count: 2 } });
    const [sent] = llm.requests;
    expect(sent?.body?.response_format?.type).toBe('json_schema');
    expect(sent?.body?.response_format?.json_schema?.name).toBe('word_count');
    expect(sent?.body?.max_tokens).toBe(300);
    expect(sent?.body?.temperature).toBe(0.2);
    expect(sent?.body?.messages?.map((message) => message.role)).toEqual(['system', 'user']);
    expect(ledger.calls()).toEqual([
      expect.objectContaining({ agent: 'codex', model: 'gpt-4.1', promptTokens: 1_000, completionTokens: 200, totalTokens: 1_200, iteration: 3, ok: true, error: null }),
    ]);
    expect(ledger.totals().costUsd).toBeCloseTo((1_000 * 2 + 200 * 8) / 1e6, 12);
  });

  it('reports a malformed answer as not valid JSON, and still records the call', async () => {
    const llm = await start([{ text: '{"word": "hel' }]);
    const { client, ledger } = connect(compatible(llm));
    const result = await client.completeJson(request());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^model answer is not valid JSON: /);
    expect(ledger.calls()[0]).toMatchObject({ ok: false, totalTokens: 150 });
  });

  it('reports an answer off the schema with the path of the problem', async () => {
    const llm = await start([{ json: { word: 'hello', count: 'two' } }]);
    const { client } = connect(compatible(llm));
    const result = await client.completeJson(request());
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^model answer does not match the schema: count: /) as unknown as string });
  });

  it('accepts JSON wrapped in a Markdown fence and says when the answer was cut off', async () => {
    const llm = await start([{ text: '```json\n{"word":"a","count":1}\n```' }, { text: '{"word":', finishReason: 'length' }]);
    const { client } = connect(compatible(llm));
    expect(await client.completeJson(request())).toEqual({ ok: true, value: { word: 'a', count: 1 } });
    const cut = await client.completeJson(request());
    expect(!cut.ok && cut.error).toContain('(cut off at max_tokens)');
  });

  it('reports a refusal', async () => {
    const llm = await start([{ refusal: 'I cannot help with that.' }]);
    const { client } = connect(compatible(llm));
    expect(await client.completeJson(request())).toEqual({ ok: false, error: 'model refused: I cannot help with that.' });
  });

  it('retries a 500 through the SDK and then succeeds (one ledger call)', async () => {
    const llm = await start([{ status: 500, error: 'boom' }, { json: { word: 'ok', count: 1 } }]);
    const { client, ledger } = connect(compatible(llm, { max_retries: 1 }));
    expect(await client.completeJson(request())).toEqual({ ok: true, value: { word: 'ok', count: 1 } });
    expect(llm.requests).toHaveLength(2);
    expect(ledger.totals().calls).toBe(1);
  });

  it('turns 401 into one line naming the key variable, without the key', async () => {
    const key = fakeKey();
    const llm = await start([{ status: 401, error: `Incorrect API key provided: ${key}` }]);
    const config = LlmConfig.parse({ provider: 'openai', base_url: llm.baseUrl, max_retries: 0 });
    const { client, ledger } = connect(config, { OPENAI_API_KEY: key });
    const result = await client.completeJson(request());
    expect(result.ok).toBe(false);
    const error = !result.ok ? result.error : '';
    expect(error).toMatch(/^model request unauthorized \(401\): check the key in \$OPENAI_API_KEY/);
    expect(error).not.toContain('\n');
    expect(error).not.toContain(key);
    expect(llm.requests[0]?.headers['authorization']).toBe(`Bearer ${key}`);
    expect(ledger.calls()[0]).toMatchObject({ ok: false, error });
  });

  it('falls back to json_object once when the server rejects json_schema, and remembers it', async () => {
    const llm = await start([
      { status: 400, error: "response_format type 'json_schema' is not supported" },
      { json: { word: 'fallback', count: 1 } },
      { json: { word: 'again', count: 2 } },
    ]);
    const { client, ledger } = connect(compatible(llm));

    expect(await client.completeJson(request())).toEqual({ ok: true, value: { word: 'fallback', count: 1 } });
    expect(await client.completeJson(request())).toEqual({ ok: true, value: { word: 'again', count: 2 } });

    const [first, second, third] = llm.requests;
    expect(first?.body?.response_format?.type).toBe('json_schema');
    expect(second?.body?.response_format).toEqual({ type: 'json_object' });
    expect(second?.body?.messages?.[0]?.content).toContain('JSON object named "word_count"');
    expect(second?.body?.messages?.[0]?.content).toContain('"count"');
    expect(second?.schemaName).toBe('word_count');
    expect(third?.body?.response_format).toEqual({ type: 'json_object' });
    expect(ledger.calls().map((call) => call.ok)).toEqual([false, true, true]);
  });

  it('does not fall back to json_object for a prompt that is too long', async () => {
    const llm = await start([{ status: 400, error: "This model's maximum context length is 128000 tokens", code: 'context_length_exceeded' }]);
    const { client } = connect(compatible(llm));
    const result = await client.completeJson(request());
    expect(result).toEqual({ ok: false, error: "model request rejected (400): This model's maximum context length is 128000 tokens" });
    expect(llm.requests).toHaveLength(1);
  });

  it('estimates usage as characters / 4 when the server sends none', async () => {
    const llm = await start([{ json: { word: 'x', count: 0 }, usage: null }]);
    const { client, ledger } = connect(compatible(llm));
    const req = request();
    await client.completeJson(req);
    const content = JSON.stringify({ word: 'x', count: 0 });
    expect(ledger.calls()[0]).toMatchObject({
      promptTokens: Math.ceil((req.system + req.user).length / 4),
      completionTokens: Math.ceil(content.length / 4),
      usageEstimated: true,
    });
  });

  it('reports a timeout in one line', async () => {
    const llm = await start([{ json: { word: 'late', count: 1 }, delayMs: 3_000 }]);
    const { client } = connect(compatible(llm, { timeout_seconds: 0.2 }));
    const result = await client.completeJson(request());
    expect(result).toEqual({ ok: false, error: 'model request timed out after 0.2s (0 retries)' });
  });

  it('reports an unreachable server in one line', async () => {
    const port = await closedPort();
    const config = LlmConfig.parse({ provider: 'compatible', base_url: `http://127.0.0.1:${port}/v1`, max_retries: 0 });
    const { client } = connect(config);
    const result = await client.completeJson(request());
    expect(result).toEqual({ ok: false, error: `cannot reach the model server at http://127.0.0.1:${port}/v1 (0 retries): ECONNREFUSED` });
  });

  it('rethrows an AbortError when the caller aborts, before or during the request', async () => {
    const llm = await start([{ json: { word: 'slow', count: 1 }, delayMs: 5_000 }]);
    const { client, ledger } = connect(compatible(llm));

    const already = new AbortController();
    already.abort();
    await expect(client.completeJson(request({ signal: already.signal }))).rejects.toSatisfy(isAbortError);
    expect(llm.requests).toHaveLength(0);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(client.completeJson(request({ signal: controller.signal }))).rejects.toSatisfy(isAbortError);
    expect(ledger.calls()[0]).toMatchObject({ ok: false, error: 'model request aborted' });
  });

  it('throws BudgetExceeded instead of calling when the call limit is reached', async () => {
    const llm = await start([{ json: { word: 'one', count: 1 } }, { json: { word: 'two', count: 2 } }]);
    const { client } = connect(compatible(llm), {}, { ...limits, maxModelCalls: 1 });
    await client.completeJson(request());
    await expect(client.completeJson(request())).rejects.toBeInstanceOf(BudgetExceeded);
    expect(llm.requests).toHaveLength(1);
  });

  it('throws BudgetExceeded when an answer pushes the tokens over the limit', async () => {
    const llm = await start([{ json: { word: 'big', count: 1 }, usage: { prompt: 400, completion: 200 } }]);
    const { client, ledger } = connect(compatible(llm), {}, { ...limits, maxTokensTotal: 500 });
    const error: unknown = await client.completeJson(request()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BudgetExceeded);
    expect((error as BudgetExceeded).limit).toBe('max_tokens_total');
    expect(ledger.totals()).toMatchObject({ calls: 1, totalTokens: 600 });
  });

  it('lists models for doctor without counting a model call', async () => {
    const llm = await start([]);
    const { client, ledger } = connect(compatible(llm));
    expect(await client.listModels()).toEqual({ ok: true, models: ['gpt-4.1', 'gpt-4.1-mini'] });
    expect(ledger.totals().calls).toBe(0);
  });
});

describe('LlmClient.fromConfig', () => {
  const ledger = () => new UsageLedger(limits, {}, price);

  it('is unavailable without a key or base URL, with the reason to show', () => {
    const result = LlmClient.fromConfig(LlmConfig.parse({}), {}, ledger());
    expect(result.client).toBeNull();
    expect(result.availability).toEqual({
      available: false,
      reason: 'no model configured: set OPENAI_API_KEY or llm.base_url (model tier skipped)',
    });
  });

  it('names the configured key variable, and needs a base URL for compatible', () => {
    const custom = LlmClient.fromConfig(LlmConfig.parse({ api_key_env: 'MY_LLM_KEY' }), { OPENAI_API_KEY: fakeKey() }, ledger());
    expect(custom.availability).toMatchObject({ available: false, reason: expect.stringContaining('set MY_LLM_KEY') as unknown as string });
    const compat = LlmClient.fromConfig(LlmConfig.parse({ provider: 'compatible' }), {}, ledger());
    expect(compat.availability).toMatchObject({ available: false, reason: expect.stringContaining('llm.base_url') as unknown as string });
  });

  it('talks to a compatible server without a key (placeholder bearer)', async () => {
    const llm = await start([{ json: { word: 'local', count: 1 } }]);
    const { client, availability } = connect(compatible(llm));
    expect(availability).toEqual({ available: true, description: `OpenAI-compatible server at ${llm.baseUrl} (no key)` });
    expect(await client.completeJson(request())).toMatchObject({ ok: true });
    expect(llm.requests[0]?.headers['authorization']).toBe('Bearer not-needed');
  });

  it('honours OPENAI_BASE_URL from the injected environment', async () => {
    const llm = await start([{ json: { word: 'env', count: 1 } }]);
    const { client, availability } = connect(LlmConfig.parse({ max_retries: 0 }), { OPENAI_API_KEY: fakeKey(), OPENAI_BASE_URL: llm.baseUrl });
    expect(availability).toMatchObject({ available: true, description: expect.stringContaining(llm.baseUrl) as unknown as string });
    expect(await client.completeJson(request())).toMatchObject({ ok: true, value: { word: 'env' } });
    expect(llm.requests[0]?.path).toBe('/v1/chat/completions');
  });

  it('defaults to api.openai.com with max_completion_tokens; other hosts get max_tokens', () => {
    const { availability } = LlmClient.fromConfig(LlmConfig.parse({}), { OPENAI_API_KEY: fakeKey() }, ledger());
    expect(availability).toEqual({ available: true, description: 'openai at https://api.openai.com/v1 (key from $OPENAI_API_KEY)' });
    const official = resolveConnection(LlmConfig.parse({}), { OPENAI_API_KEY: fakeKey() });
    expect(official.ok && official.connection.tokenLimitParam).toBe('max_completion_tokens');
    const local = resolveConnection(LlmConfig.parse({ base_url: 'http://127.0.0.1:1/v1' }), {});
    expect(local.ok && local.connection.tokenLimitParam).toBe('max_tokens');
  });

  it('never shows credentials of a base URL in the description', () => {
    const config = LlmConfig.parse({ provider: 'compatible', base_url: 'http://user:pa55word@127.0.0.1:1/v1?key=x' });
    const { availability } = LlmClient.fromConfig(config, {}, ledger());
    expect(availability).toEqual({ available: true, description: 'OpenAI-compatible server at http://127.0.0.1:1/v1 (no key)' });
  });

  it('routes Azure requests to the deployment named by the request model, with api-key and api-version', async () => {
    const llm = await start([{ json: { word: 'azure', count: 1 } }]);
    const config = LlmConfig.parse({ provider: 'azure', azure: { endpoint: llm.origin }, max_retries: 0 });
    const key = fakeKey();
    const { client, availability } = connect(config, { AZURE_OPENAI_API_KEY: key });
    expect(availability).toMatchObject({ available: true });
    expect(await client.completeJson(request({ model: 'my-gpt' }))).toMatchObject({ ok: true });
    expect(llm.requests[0]?.path).toBe('/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21');
    expect(llm.requests[0]?.headers['api-key']).toBe(key);
  });

  it('uses the configured Azure deployment when set, and needs a key', async () => {
    const llm = await start([{ json: { word: 'azure', count: 1 } }]);
    const config = LlmConfig.parse({ provider: 'azure', azure: { endpoint: llm.origin, deployment: 'prod-gpt' }, max_retries: 0 });
    const { client } = connect(config, { OPENAI_API_KEY: fakeKey() });
    await client.completeJson(request({ model: 'ignored' }));
    expect(llm.requests[0]?.path).toMatch(/^\/openai\/deployments\/prod-gpt\/chat\/completions/);
    expect(LlmClient.fromConfig(config, {}, ledger()).availability).toMatchObject({ available: false });
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
