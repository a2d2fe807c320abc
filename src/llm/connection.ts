import OpenAI, { AzureOpenAI } from 'openai';
import type { LlmConfig } from '../config/schema.js';

/**
 * How models are reached, resolved from `llm:` and the injected environment only. Every option the SDK would
 * otherwise read from `process.env` (base URL, key, organisation, log level) is passed explicitly, so a test
 * or a CI step sees exactly the environment it was given.
 */

/** Keyless servers (Ollama, LM Studio, vLLM without --api-key) ignore the key, but the SDK wants one. */
export const PLACEHOLDER_API_KEY = 'not-needed';
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface ConnectionTuning {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /** For tests or proxies; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

export interface Connection {
  readonly provider: LlmConfig['provider'];
  /** Where requests go, without credentials (for messages). */
  readonly displayUrl: string;
  readonly description: string;
  /** The key in use (registered with the redactor by callers); the placeholder when keyless. */
  readonly apiKey: string;
  /** Which environment variable the key came from, for error messages; null when keyless. */
  readonly keyEnv: string | null;
  /** OpenAI's own API wants `max_completion_tokens`; compatible servers and Azure know `max_tokens`. */
  readonly tokenLimitParam: 'max_completion_tokens' | 'max_tokens';
  create(tuning: ConnectionTuning): OpenAI;
}

export type ConnectionResolution = { ok: true; connection: Connection } | { ok: false; reason: string };

export function resolveConnection(config: LlmConfig, env: NodeJS.ProcessEnv): ConnectionResolution {
  switch (config.provider) {
    case 'openai':
      return resolveOpenAi(config, env);
    case 'compatible':
      return resolveCompatible(config, env);
    case 'azure':
      return resolveAzure(config, env);
  }
}

function resolveOpenAi(config: LlmConfig, env: NodeJS.ProcessEnv): ConnectionResolution {
  const key = nonEmpty(env[config.api_key_env]);
  const baseUrl = config.base_url ?? nonEmpty(env['OPENAI_BASE_URL']);
  if (key === null && baseUrl === null) {
    return { ok: false, reason: `no model configured: set ${config.api_key_env} or llm.base_url (model tier skipped)` };
  }
  const url = baseUrl ?? OPENAI_DEFAULT_BASE_URL;
  const official = sameOrigin(url, OPENAI_DEFAULT_BASE_URL);
  const keyNote = key === null ? 'no key' : `key from $${config.api_key_env}`;
  return {
    ok: true,
    connection: {
      provider: 'openai',
      displayUrl: displayUrl(url),
      description: `openai at ${displayUrl(url)} (${keyNote})`,
      apiKey: key ?? PLACEHOLDER_API_KEY,
      keyEnv: key === null ? null : config.api_key_env,
      tokenLimitParam: official ? 'max_completion_tokens' : 'max_tokens',
      create: (tuning) =>
        new OpenAI({
          ...commonOptions(tuning),
          apiKey: key ?? PLACEHOLDER_API_KEY,
          baseURL: url,
          organization: nonEmpty(env['OPENAI_ORG_ID']),
          project: nonEmpty(env['OPENAI_PROJECT_ID']),
        }),
    },
  };
}

function resolveCompatible(config: LlmConfig, env: NodeJS.ProcessEnv): ConnectionResolution {
  const url = config.base_url;
  if (url === null) {
    return { ok: false, reason: 'llm.provider is compatible but llm.base_url is not set (model tier skipped)' };
  }
  const key = nonEmpty(env[config.api_key_env]);
  const keyNote = key === null ? 'no key' : `key from $${config.api_key_env}`;
  return {
    ok: true,
    connection: {
      provider: 'compatible',
      displayUrl: displayUrl(url),
      description: `OpenAI-compatible server at ${displayUrl(url)} (${keyNote})`,
      apiKey: key ?? PLACEHOLDER_API_KEY,
      keyEnv: key === null ? null : config.api_key_env,
      tokenLimitParam: 'max_tokens',
      create: (tuning) =>
        new OpenAI({
          ...commonOptions(tuning),
          apiKey: key ?? PLACEHOLDER_API_KEY,
          baseURL: url,
          organization: null,
          project: null,
        }),
    },
  };
}

function resolveAzure(config: LlmConfig, env: NodeJS.ProcessEnv): ConnectionResolution {
  const endpoint = config.azure?.endpoint ?? nonEmpty(env['AZURE_OPENAI_ENDPOINT']);
  if (endpoint === null) {
    return {
      ok: false,
      reason: 'llm.provider is azure but llm.azure.endpoint (or AZURE_OPENAI_ENDPOINT) is not set (model tier skipped)',
    };
  }
  const fromConfiguredEnv = nonEmpty(env[config.api_key_env]);
  const key = fromConfiguredEnv ?? nonEmpty(env['AZURE_OPENAI_API_KEY']);
  if (key === null) {
    return {
      ok: false,
      reason: `no Azure OpenAI key: set ${config.api_key_env} or AZURE_OPENAI_API_KEY (model tier skipped)`,
    };
  }
  const keyEnv = fromConfiguredEnv === null ? 'AZURE_OPENAI_API_KEY' : config.api_key_env;
  const apiVersion = config.azure?.api_version ?? nonEmpty(env['OPENAI_API_VERSION']) ?? '2024-10-21';
  const deployment = config.azure?.deployment ?? null;
  const deploymentNote = deployment === null ? 'deployment = agent model' : `deployment ${deployment}`;
  return {
    ok: true,
    connection: {
      provider: 'azure',
      displayUrl: displayUrl(endpoint),
      description: `Azure OpenAI at ${displayUrl(endpoint)} (api-version ${apiVersion}, ${deploymentNote}, key from $${keyEnv})`,
      apiKey: key,
      keyEnv,
      tokenLimitParam: 'max_tokens',
      create: (tuning) =>
        new AzureOpenAI({
          ...commonOptions(tuning),
          apiKey: key,
          endpoint,
          apiVersion,
          // Without a fixed deployment the SDK routes each request to /deployments/<request model>.
          ...(deployment === null ? {} : { deployment }),
          organization: null,
          project: null,
        }),
    },
  };
}

function commonOptions(tuning: ConnectionTuning) {
  return {
    timeout: tuning.timeoutMs,
    maxRetries: tuning.maxRetries,
    // The SDK's own logging would print to the console (and bodies at `debug`, whatever OPENAI_LOG says).
    logLevel: 'off' as const,
    adminAPIKey: null,
    webhookSecret: null,
    ...(tuning.fetch === undefined ? {} : { fetch: tuning.fetch }),
  };
}

function nonEmpty(value: string | undefined | null): string | null {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
}

/** The URL without user, password, query or fragment: safe for messages and reports. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return '(invalid URL)';
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
