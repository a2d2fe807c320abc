import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  OpenAIError,
} from 'openai';
import { describeError } from '../errors.js';

/** What a one-line reason may mention about the connection. */
export interface ErrorContext {
  readonly displayUrl: string;
  readonly keyEnv: string | null;
  readonly maxRetries: number;
  readonly timeoutMs: number;
}

const MAX_DETAIL = 200;

/** One line for any failure of a model request: status, what it usually means, and the server's words. */
export function describeModelError(error: unknown, context: ErrorContext): string {
  const retries = context.maxRetries === 1 ? '1 retry' : `${context.maxRetries} retries`;
  if (error instanceof APIConnectionTimeoutError) {
    return `model request timed out after ${formatSeconds(context.timeoutMs)} (${retries})`;
  }
  if (error instanceof APIUserAbortError) return 'model request aborted';
  if (error instanceof APIConnectionError) {
    return `cannot reach the model server at ${context.displayUrl} (${retries}): ${connectionCause(error)}`;
  }
  if (error instanceof APIError) {
    const detail = serverDetail(error);
    const status = error.status ?? 0;
    switch (true) {
      case status === 401: {
        const key = context.keyEnv === null ? 'set an API key' : `check the key in $${context.keyEnv}`;
        return `model request unauthorized (401): ${key}${detail}`;
      }
      case status === 403:
        return `model request forbidden (403): the key lacks access to this model or endpoint${detail}`;
      case status === 404:
        return `model or endpoint not found (404): check the model / deployment name and llm.base_url${detail}`;
      case status === 429:
        return `model rate limit or quota exceeded (429, ${retries})${detail}`;
      case status >= 500:
        return `model server error (${status}, ${retries})${detail}`;
      default:
        return `model request rejected (${status})${detail}`;
    }
  }
  if (error instanceof OpenAIError) return `model client error: ${clip(describeError(error))}`;
  return `model request failed: ${clip(describeError(error))}`;
}

/** The server's own message, without the status the SDK prefixes, on one short line. */
function serverDetail(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const raw = typeof body?.message === 'string' ? body.message : error.message.replace(/^\d{3}\s*/, '');
  const line = clip(raw);
  return line === '' || line === 'status code (no body)' ? '' : `: ${line}`;
}

function connectionCause(error: APIConnectionError): string {
  let cause: unknown = error.cause;
  // fetch wraps the system error (ECONNREFUSED …) one or two levels down.
  for (let depth = 0; depth < 3 && cause instanceof Error && cause.cause instanceof Error; depth += 1) {
    cause = cause.cause;
  }
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return clip(describeError(cause ?? error));
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}s`;
}
