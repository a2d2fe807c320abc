import type { VerificationEndpoint } from '../config/schema.js';
import type { CheckResult } from './verifier.js';

export interface HttpCheckOptions {
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** The run's signal: when it fires the check stops at once and is not retried. */
  signal?: AbortSignal;
  /** Monotonic milliseconds, for latency. */
  clock?: () => number;
  /** First retry delay; doubles each retry up to `BACKOFF_CAP_MS`. */
  backoffBaseMs?: number;
}

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 10_000;
/** Only this much of a body is searched for `expect_body_contains`: a health page is small. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Delay before retry number `retry` (1-based): base, 2·base, 4·base … capped. */
export function backoffDelayMs(retry: number, baseMs = BACKOFF_BASE_MS): number {
  return Math.min(baseMs * 2 ** (retry - 1), BACKOFF_CAP_MS);
}

/** The URL as it may appear in a report: user:password@ removed. */
export function reportableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

interface AttemptOutcome {
  status: number | null;
  latencyMs: number;
  error: string | null;
  canceled: boolean;
}

/**
 * One endpoint: `method url` must answer `expected_status` (and contain `expect_body_contains`) within
 * `timeout` seconds; a failed attempt is retried `retries` times with exponential backoff. Every failure is
 * retried alike, since a service that was just deployed may answer 502/404 until it is ready.
 */
export async function checkHttpEndpoint(
  endpoint: VerificationEndpoint,
  options: HttpCheckOptions = {},
): Promise<CheckResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = endpoint.retries + 1;
  let outcome: AttemptOutcome = { status: null, latencyMs: 0, error: 'not attempted', canceled: false };
  let attempts = 0;
  while (attempts < maxAttempts) {
    if (options.signal?.aborted) {
      outcome = { ...outcome, error: 'canceled', canceled: true };
      break;
    }
    attempts += 1;
    outcome = await attemptOnce(endpoint, options);
    if (outcome.error === null || outcome.canceled) break;
    if (attempts < maxAttempts) await sleep(backoffDelayMs(attempts, options.backoffBaseMs));
  }
  return {
    target: `${endpoint.method} ${reportableUrl(endpoint.url)}`,
    kind: 'http',
    status: outcome.status,
    latencyMs: outcome.latencyMs,
    attempts,
    passed: outcome.error === null,
    error: outcome.error,
  };
}

async function attemptOnce(endpoint: VerificationEndpoint, options: HttpCheckOptions): Promise<AttemptOutcome> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const clock = options.clock ?? (() => performance.now());
  const timeout = AbortSignal.timeout(endpoint.timeout * 1000);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const started = clock();
  const elapsed = () => Math.round(clock() - started);
  let status: number | null = null;
  try {
    const response = await fetchImpl(endpoint.url, {
      method: endpoint.method,
      signal,
      headers: { 'user-agent': 'fleet-orch-verifier', accept: '*/*' },
    });
    status = response.status;
    const error = await judgeResponse(endpoint, response);
    return { status, latencyMs: elapsed(), error, canceled: false };
  } catch (error) {
    const latencyMs = elapsed();
    if (options.signal?.aborted) return { status, latencyMs, error: 'canceled', canceled: true };
    if (timeout.aborted) return { status, latencyMs, error: `no response within ${endpoint.timeout}s`, canceled: false };
    return { status, latencyMs, error: describeFetchFailure(error), canceled: false };
  }
}

/** Null when the response is what the endpoint expects; otherwise why not. Always consumes or frees the body. */
async function judgeResponse(endpoint: VerificationEndpoint, response: Response): Promise<string | null> {
  if (response.status !== endpoint.expected_status || endpoint.expect_body_contains === null) {
    await response.body?.cancel().catch(() => undefined);
    if (response.status !== endpoint.expected_status) {
      return `expected status ${endpoint.expected_status}, got ${response.status}`;
    }
    return null;
  }
  const body = await readBodyCapped(response, MAX_BODY_BYTES);
  return body.includes(endpoint.expect_body_contains)
    ? null
    : `response body does not contain ${JSON.stringify(endpoint.expect_body_contains)}`;
}

async function readBodyCapped(response: Response, maxBytes: number): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    text += decoder.decode(value, { stream: true });
    if (bytes >= maxBytes) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return text + decoder.decode();
}

/** undici's `TypeError: fetch failed` hides the useful part in `cause` (ECONNREFUSED, ENOTFOUND, …). */
export function describeFetchFailure(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : null;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found (${code})`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `connection closed by the server (${code})`;
    default: {
      const detail = code ?? (typeof cause?.message === 'string' ? cause.message : null);
      const message = error instanceof Error ? error.message : String(error);
      return detail === null ? `request failed: ${message}` : `request failed: ${message} (${detail})`;
    }
  }
}
