import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CODEX_SCHEMA_NAME } from '../../src/agents/codex.js';
import { JULES_SCHEMA_NAME } from '../../src/agents/jules.js';

/**
 * A scripted OpenAI-compatible server on 127.0.0.1 for tests: answers POST …/chat/completions (any prefix,
 * so Azure's /openai/deployments/<d>/chat/completions works too) from a script, records every request, and
 * lists models on GET …/models.
 *
 *   const llm = await startFakeLlm([{ json: { ok: true } }, { status: 500 }, { text: 'not json' }]);
 *   const llm = await startFakeLlm({ codex: [{ json: patch }], jules: [{ json: approve }] });
 *   // … LlmConfig.parse({ provider: 'compatible', base_url: llm.baseUrl }) …
 *   expect(llm.requestsFor('jules')).toHaveLength(0);
 *   await llm.close();
 *
 * A keyed script routes by the request's `response_format.json_schema.name` (`patch` = codex, `review` =
 * jules; the keys `codex` / `jules` are aliases), or, for a `json_object` request, by the name the client
 * states in its system message. Key `*` catches anything else. A request with no scripted answer left gets
 * HTTP 418 (not retried by the SDK) and is counted in `unexpected`.
 */

export interface FakeUsage {
  readonly prompt: number;
  readonly completion: number;
}

interface FakeCommon {
  /** Wait this long before answering (to test timeouts and aborts). */
  readonly delayMs?: number;
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

interface FakeCompletion extends FakeCommon {
  /** `null` omits `usage` from the response (as some compatible servers do). */
  readonly usage?: FakeUsage | null;
  readonly finishReason?: 'stop' | 'length' | 'content_filter';
  /** The model name the server reports; defaults to the requested one. */
  readonly model?: string;
}

export type FakeAnswer =
  /** A JSON value, serialised into `choices[0].message.content`. */
  | (FakeCompletion & { readonly json: unknown })
  /** Raw content, sent as is. */
  | (FakeCompletion & { readonly text: string })
  /** A structured-output refusal. */
  | (FakeCompletion & { readonly refusal: string })
  /** An HTTP error with an OpenAI-style error body (`retry-after-ms: 1` unless `headers` overrides it). */
  | (FakeCommon & { readonly status: number; readonly error?: string; readonly code?: string })
  /** Destroy the connection without answering (a connection error for the client). */
  | (FakeCommon & { readonly hangUp: true });

export interface RecordedRequest {
  /** 0-based arrival order among all requests. */
  readonly index: number;
  readonly method: string;
  /** Path with query, e.g. `/v1/chat/completions` or `/openai/deployments/gpt-4.1/chat/completions?api-version=…`. */
  readonly path: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body (`null` for GET); the raw text when it is not JSON. */
  readonly body: ChatBody | null;
  /** The structured-output name the request asked for, if any. */
  readonly schemaName: string | null;
  /** System + user message contents joined (what the model would read). */
  readonly prompt: string;
}

/** The request fields tests usually look at; everything else is there too. */
export interface ChatBody {
  readonly model?: string;
  readonly messages?: readonly { readonly role: string; readonly content: string }[];
  readonly response_format?: { readonly type: string; readonly json_schema?: { readonly name: string; readonly schema: unknown } };
  readonly temperature?: number;
  readonly max_tokens?: number;
  readonly max_completion_tokens?: number;
  readonly [key: string]: unknown;
}

export type ScriptEntry = FakeAnswer | ((request: RecordedRequest) => FakeAnswer);
export type Script = readonly ScriptEntry[] | Readonly<Record<string, readonly ScriptEntry[]>>;

export interface FakeLlmOptions {
  /** Usage reported when an answer does not set its own. Default 100 prompt / 50 completion tokens. */
  readonly usage?: FakeUsage;
  /** Ids listed by GET /v1/models. */
  readonly models?: readonly string[];
}

export interface FakeLlm {
  /** `http://127.0.0.1:<port>/v1`, the `base_url` to configure. */
  readonly baseUrl: string;
  /** `http://127.0.0.1:<port>`, for Azure's `endpoint`. */
  readonly origin: string;
  /** Every request received, in order (chat completions and model lists). */
  readonly requests: readonly RecordedRequest[];
  /** Chat-completion requests for one route (`codex`, `jules`, `patch`, `review`, or a schema name). */
  requestsFor(route: string): RecordedRequest[];
  /** Chat-completion requests only. */
  chatRequests(): RecordedRequest[];
  /** Scripted answers not used yet (all routes, or one). */
  remaining(route?: string): number;
  /** Requests that found no scripted answer. */
  readonly unexpected: number;
  close(): Promise<void>;
}

const ALIASES: Readonly<Record<string, string>> = { codex: CODEX_SCHEMA_NAME, jules: JULES_SCHEMA_NAME };
const SEQUENTIAL = '(sequential)';

export async function startFakeLlm(script: Script, options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const queues = toQueues(script);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let unexpected = 0;
  const defaultUsage = options.usage ?? { prompt: 100, completion: 50 };
  const models = options.models ?? ['gpt-4.1', 'gpt-4.1-mini'];

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const recorded = record(req, raw, requests.length);
      requests.push(recorded);
      if (req.method === 'GET' && /\/models\/?(?:\?|$)/.test(recorded.path)) {
        return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) });
      }
      if (req.method !== 'POST' || !/\/chat\/completions\/?(?:\?|$)/.test(recorded.path)) {
        return sendJson(res, 404, errorBody(`fake-llm: no route for ${req.method} ${recorded.path}`, 'not_found'));
      }
      const queue = queues.get(queues.has(SEQUENTIAL) ? SEQUENTIAL : (recorded.schemaName ?? '*')) ?? queues.get('*');
      const entry = queue?.shift();
      if (entry === undefined) {
        unexpected += 1;
        const route = recorded.schemaName ?? '(no schema name)';
        return sendJson(res, 418, errorBody(`fake-llm: no scripted answer left for request #${recorded.index} (${route})`, 'script_exhausted'));
      }
      const answer = typeof entry === 'function' ? entry(recorded) : entry;
      const reply = () => respond(res, req, answer, recorded, defaultUsage);
      if (answer.delayMs === undefined || answer.delayMs <= 0) return reply();
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed && !req.socket.destroyed) reply();
      }, answer.delayMs);
      timers.add(timer);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const chatRequests = () => requests.filter((request) => request.method === 'POST' && request.body !== null);
  return {
    baseUrl: `${origin}/v1`,
    origin,
    requests,
    chatRequests,
    requestsFor: (route) => chatRequests().filter((request) => request.schemaName === (ALIASES[route] ?? route)),
    remaining: (route) =>
      route === undefined
        ? [...queues.values()].reduce((sum, queue) => sum + queue.length, 0)
        : (queues.get(ALIASES[route] ?? route)?.length ?? 0),
    get unexpected() {
      return unexpected;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The structured-output name of a chat request: `json_schema.name`, or the name stated for `json_object`. */
export function schemaNameOf(body: ChatBody | null): string | null {
  const named = body?.response_format?.json_schema?.name;
  if (typeof named === 'string') return named;
  const system = body?.messages?.find((message) => message.role === 'system')?.content ?? '';
  return /JSON object named "([^"]+)"/.exec(system)?.[1] ?? null;
}

function toQueues(script: Script): Map<string, ScriptEntry[]> {
  if (Array.isArray(script)) return new Map([[SEQUENTIAL, [...(script as readonly ScriptEntry[])]]]);
  const queues = new Map<string, ScriptEntry[]>();
  for (const [key, entries] of Object.entries(script as Record<string, readonly ScriptEntry[]>)) {
    const name = ALIASES[key] ?? key;
    if (queues.has(name)) throw new Error(`fake-llm: routes "${key}" and its alias both given`);
    queues.set(name, [...entries]);
  }
  return queues;
}

function record(req: IncomingMessage, raw: string, index: number): RecordedRequest {
  let body: ChatBody | null = null;
  if (raw !== '') {
    try {
      body = JSON.parse(raw) as ChatBody;
    } catch {
      body = { raw } as ChatBody;
    }
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  const prompt = messages.map((message) => (typeof message.content === 'string' ? message.content : '')).join('\n');
  return { index, method: req.method ?? 'GET', path: req.url ?? '/', headers, body, schemaName: schemaNameOf(body), prompt };
}

function respond(res: ServerResponse, req: IncomingMessage, answer: FakeAnswer, request: RecordedRequest, defaultUsage: FakeUsage): void {
  if ('hangUp' in answer) {
    req.socket.destroy();
    return;
  }
  if ('status' in answer) {
    const headers = { 'retry-after-ms': '1', ...answer.headers };
    sendJson(res, answer.status, errorBody(answer.error ?? `fake error ${answer.status}`, answer.code ?? null), headers);
    return;
  }
  const content = 'json' in answer ? JSON.stringify(answer.json) : 'text' in answer ? answer.text : null;
  const refusal = 'refusal' in answer ? answer.refusal : null;
  const usage = answer.usage === undefined ? defaultUsage : answer.usage;
  sendJson(
    res,
    200,
    {
      id: `chatcmpl-fake-${request.index}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: answer.model ?? request.body?.model ?? 'fake-model',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal },
          finish_reason: answer.finishReason ?? 'stop',
          logprobs: null,
        },
      ],
      ...(usage === null
        ? {}
        : { usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion } }),
    },
    answer.headers,
  );
}

function errorBody(message: string, code: string | null) {
  return { error: { message, type: 'fake_error', param: null, code } };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}
