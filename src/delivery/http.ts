import { DeliveryError } from './delivery-error.js';

export interface JsonRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Told about every request once it ends (for the audit log): status null when there was no answer. */
  readonly log?: RequestLog;
}

export type RequestLog = (request: { method: string; url: string; status: number | null; durationMs: number }) => void;

export interface JsonAnswer {
  readonly status: number;
  /** The parsed body, or null when it is not JSON. */
  readonly json: unknown;
  readonly text: string;
}

/** One request with Node's fetch. A network failure or timeout becomes a DeliveryError naming the host; any HTTP status is returned. */
export async function sendJson(request: JsonRequest): Promise<JsonAnswer> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const started = Date.now();
  const log = (status: number | null): void => request.log?.({ method: request.method, url: request.url, status, durationMs: Date.now() - started });
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: { ...request.headers, ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal,
      redirect: 'error',
    });
  } catch (error) {
    log(null);
    const why = timeout.aborted ? `no answer in ${request.timeoutMs / 1000} s` : networkCause(error);
    throw new DeliveryError(`cannot reach ${origin(request.url)}: ${why}`, { cause: error });
  }
  const text = await response.text().catch(() => '');
  log(response.status);
  return { status: response.status, json: parseJson(text), text };
}

/** The error message an API put in its answer (`message`, GitHub's `errors[].message`), on one line. */
export function apiMessage(answer: JsonAnswer): string {
  const body = answer.json as { message?: unknown; errors?: unknown } | null;
  const parts: string[] = [];
  if (body && typeof body.message === 'string') parts.push(body.message);
  if (body && Array.isArray(body.errors)) {
    for (const item of body.errors as unknown[]) {
      const message = typeof item === 'string' ? item : (item as { message?: unknown } | null)?.message;
      if (typeof message === 'string') parts.push(message);
    }
  }
  const text = parts.join(': ').replace(/\s+/g, ' ').trim();
  return text.length > 240 ? `${text.slice(0, 237)}...` : text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
