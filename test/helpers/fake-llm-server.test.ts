import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from './fake-llm-server.js';

let fake: FakeLlm | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

function chat(llm: FakeLlm, body: Record<string, unknown>, path = '/chat/completions') {
  return fetch(`${llm.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer fake' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'hi' }], ...body }),
  });
}

const schema = (name: string) => ({ response_format: { type: 'json_schema', json_schema: { name, schema: {} } } });

describe('startFakeLlm', () => {
  it('answers a sequential script in order, with usage, and records the requests', async () => {
    fake = await startFakeLlm([{ json: { a: 1 }, usage: { prompt: 7, completion: 3 } }, (request) => ({ text: `echo ${request.prompt}` }), { json: 1, usage: null }]);
    const first = (await (await chat(fake, {})).json()) as { choices: { message: { content: string } }[]; usage: unknown };
    expect(first.choices[0]?.message.content).toBe('{"a":1}');
    expect(first.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    const second = (await (await chat(fake, {})).json()) as { choices: { message: { content: string } }[] };
    expect(second.choices[0]?.message.content).toBe('echo sys\nhi');
    expect(await (await chat(fake, {})).json()).not.toHaveProperty('usage');
    expect(fake.requests[0]?.headers['authorization']).toBe('Bearer fake');
    expect(fake.remaining()).toBe(0);
  });

  it('routes by schema name (with codex/jules aliases) and by the name stated for json_object', async () => {
    fake = await startFakeLlm({ codex: [{ json: 'patch-answer' }], review: [{ json: 'review-answer' }] });
    const review = (await (await chat(fake, schema('review'))).json()) as { choices: { message: { content: string } }[] };
    expect(review.choices[0]?.message.content).toBe('"review-answer"');
    const fallback = await chat(fake, {
      response_format: { type: 'json_object' },
      messages: [{ role: 'system', content: 'Answer with one JSON object named "patch" that matches …' }],
    });
    expect(((await fallback.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe('"patch-answer"');
    expect(fake.requestsFor('jules')).toHaveLength(1);
    expect(fake.requestsFor('codex')).toHaveLength(1);
  });

  it('answers 418 when the script is exhausted, errors with retry-after-ms, and serves model lists', async () => {
    fake = await startFakeLlm([{ status: 429, error: 'slow down' }]);
    const limited = await chat(fake, {});
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after-ms')).toBe('1');
    expect(await limited.json()).toMatchObject({ error: { message: 'slow down' } });
    expect((await chat(fake, {})).status).toBe(418);
    expect(fake.unexpected).toBe(1);
    const models = (await (await fetch(`${fake.baseUrl}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((model) => model.id)).toEqual(['gpt-4.1', 'gpt-4.1-mini']);
    expect((await fetch(`${fake.baseUrl}/embeddings`, { method: 'POST' })).status).toBe(404);
  });

  it('can hang up without answering', async () => {
    fake = await startFakeLlm([{ hangUp: true }]);
    await expect(chat(fake, {})).rejects.toThrow();
  });
});
