import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { VerificationEndpoint, type EnvironmentConfig } from '../config/schema.js';
import type { GuardedShell } from '../shell/guarded-shell.js';
import type { ShellResult } from '../shell/types.js';
import { mapBounded } from './bounded-map.js';
import { checkHttpEndpoint, type HttpCheckOptions } from './http-check.js';

export interface CheckResult {
  /** `GET https://…/health` for HTTP checks, the command for smoke tests. */
  target: string;
  kind: 'http' | 'smoke';
  /** HTTP status, or the smoke test's exit code; null when there was none. */
  status: number | null;
  /** Duration of the last attempt. */
  latencyMs: number;
  attempts: number;
  passed: boolean;
  error: string | null;
}

export interface VerificationReport {
  environment: string;
  startedAt: string;
  passed: boolean;
  checks: CheckResult[];
}

export interface VerifyOptions {
  shell: GuardedShell;
  cwd: string;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  now?: () => Date;
  /** Per smoke test; the config has no setting for it yet. Default 5 minutes. */
  smokeTimeoutMs?: number;
  backoffBaseMs?: number;
  /** HTTP checks in flight at once; default the environment's `verify_concurrency`. */
  concurrency?: number;
}

export const DEFAULT_SMOKE_TIMEOUT_MS = 5 * 60_000;

/** Does the environment define anything to verify? */
export function hasChecks(env: EnvironmentConfig): boolean {
  return env.health_endpoint !== null || env.verification_endpoints.length > 0 || env.smoke_tests.length > 0;
}

/**
 * Checks a deployed environment: the health endpoint (GET, expecting 200, with the verification endpoint
 * defaults for timeout and retries) and each verification endpoint, at most `concurrency` at a time, then each
 * smoke test, one after the other, through the guarded shell. Every check runs even after a failure so the
 * report is complete (in config order); an interrupted run starts no new check.
 */
export async function verifyEnvironment(
  name: string,
  env: EnvironmentConfig,
  options: VerifyOptions,
): Promise<VerificationReport> {
  const startedAt = (options.now ?? (() => new Date()))().toISOString();
  const httpOptions: HttpCheckOptions = {
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.backoffBaseMs !== undefined ? { backoffBaseMs: options.backoffBaseMs } : {}),
  };
  const endpoints = [
    ...(env.health_endpoint === null ? [] : [VerificationEndpoint.parse({ url: env.health_endpoint })]),
    ...env.verification_endpoints,
  ];
  const interrupted = () => options.signal?.aborted === true;
  const concurrency = options.concurrency ?? env.verify_concurrency;
  const checks = await mapBounded(endpoints, concurrency, (endpoint) => checkHttpEndpoint(endpoint, httpOptions), interrupted);
  for (const command of env.smoke_tests) {
    if (interrupted()) break;
    checks.push(await runSmokeTest(command, options));
  }
  const complete = checks.length === endpoints.length + env.smoke_tests.length;
  return { environment: name, startedAt, passed: complete && checks.every((check) => check.passed), checks };
}

async function runSmokeTest(command: string, options: VerifyOptions): Promise<CheckResult> {
  const result = await options.shell.run({
    command,
    cwd: options.cwd,
    actor: 'verifier:smoke',
    timeoutMs: options.smokeTimeoutMs ?? DEFAULT_SMOKE_TIMEOUT_MS,
    mutates: false,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const error = smokeError(result, options.smokeTimeoutMs ?? DEFAULT_SMOKE_TIMEOUT_MS);
  return {
    target: command,
    kind: 'smoke',
    status: result.exitCode,
    latencyMs: Math.round(result.durationMs),
    attempts: result.verdict === 'allowed' ? 1 : 0,
    passed: error === null,
    error,
  };
}

function smokeError(result: ShellResult, timeoutMs: number): string | null {
  if (result.verdict === 'denied') return 'denied by the shell policy';
  if (result.verdict === 'dry-run') return 'not run (dry run)';
  if (result.canceled) return 'canceled';
  if (result.timedOut) return `timed out after ${Math.round(timeoutMs / 1000)}s`;
  if (result.exitCode === 0) return null;
  const lastLine = result.output.trimEnd().split('\n').at(-1)?.trim() ?? '';
  const how = result.exitCode === null ? `killed by ${result.signal ?? 'a signal'}` : `exit code ${result.exitCode}`;
  return lastLine === '' ? how : `${how}: ${lastLine.slice(0, 200)}`;
}

/** `logs/verification_<YYYYMMDD_HHMMSS>.json` (UTC); a second report in the same second gets `_2`, `_3` … */
export async function writeVerificationReport(report: VerificationReport, logDir: string, now: Date): Promise<string> {
  await mkdir(logDir, { recursive: true });
  const stamp = verificationStamp(now);
  const body = `${JSON.stringify(report, null, 2)}\n`;
  for (let copy = 1; ; copy += 1) {
    const file = resolve(join(logDir, `verification_${stamp}${copy === 1 ? '' : `_${copy}`}.json`));
    try {
      await writeFile(file, body, { encoding: 'utf8', flag: 'wx' });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

export function verificationStamp(now: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const date = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  return `${date}_${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
}
