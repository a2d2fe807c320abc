import { constants } from 'node:fs';
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { describeError } from '../errors.js';
import { Repo } from '../git/repo.js';
import { LlmClient } from '../llm/client.js';
import { UsageLedger } from '../llm/usage.js';
import { folderInside } from '../project/paths.js';

export interface CheckResult {
  readonly name: string;
  readonly required: boolean;
  readonly ok: boolean;
  readonly detail: string;
  /** What to do about it; null when ok. */
  readonly fix: string | null;
}

export interface DoctorContext {
  readonly cwd: string;
  readonly configPath: string;
  readonly logDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly nodeVersion: string;
  readonly signal?: AbortSignal;
}

const MIN_NODE: readonly [number, number] = [20, 19];

/** Every check of `fleet-orch doctor`, in the order a person fixes them. */
export async function runChecks(context: DoctorContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const repo = await Repo.open(context.cwd).catch(() => null);
  results.push(
    repo
      ? pass('git repository', true, repo.root)
      : fail('git repository', true, `${context.cwd} is not inside a git repository`, 'run fleet-orch inside a git checkout (git init, or clone)'),
  );
  if (repo) {
    const logDir = folderInside(repo.root, path.resolve(context.cwd, context.logDir));
    const dirty = await repo.dirtyPaths(logDir === null ? [] : [logDir]);
    results.push(
      dirty.length === 0
        ? pass('clean working tree', true, 'nothing uncommitted')
        : fail('clean working tree', true, `${dirty.length} uncommitted change(s)`, 'commit or stash them, or run with --allow-dirty'),
    );
    const remotes = await repo.remotes();
    results.push(
      remotes.length > 0
        ? pass('git remote', false, remotes.join(', '))
        : fail('git remote', false, 'no remote configured', 'git remote add origin <url> (needed to push fixes or open pull requests)'),
    );
  }
  results.push(nodeCheck(context.nodeVersion));

  let config: Config | null = null;
  try {
    config = (await loadConfig(path.resolve(context.cwd, context.configPath), context.env)).config;
    results.push(pass('config', true, `${context.configPath}: ${Object.keys(config.quality_gates).length} gate(s)`));
  } catch (error) {
    results.push(fail('config', true, describeError(error), `fix ${context.configPath} (fleet-orch config validate lists every problem; fleet-orch init writes one)`));
  }
  if (config) {
    results.push(await modelCheck(config, context));
    results.push(...(await cliToolChecks(config, context.env)));
  }
  results.push(await logDirCheck(path.resolve(context.cwd, context.logDir)));
  return results;
}

export function nodeCheck(version: string): CheckResult {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return ok
    ? pass('node version', true, version)
    : fail('node version', true, `${version} is older than ${MIN_NODE.join('.')}`, 'install Node.js 20.19 or newer (22 and 24 work too)');
}

async function modelCheck(config: Config, context: DoctorContext): Promise<CheckResult> {
  const ledger = new UsageLedger({ maxModelCalls: 1, maxTokensTotal: 1, maxCostUsd: 1 }, config.llm.prices, config.llm.default_price);
  const { client, availability } = LlmClient.fromConfig({ ...config.llm, max_retries: 0 }, context.env, ledger);
  if (!client || !availability.available) {
    const reason = availability.available ? 'no model client' : availability.reason;
    return fail('model', false, reason, `export ${config.llm.api_key_env}=… or set llm.base_url (the built-in fixers work without one)`);
  }
  const listed = await client.listModels(context.signal);
  if (!listed.ok) return fail('model', true, `${availability.description}: ${listed.error}`, 'check the key, llm.base_url and the network');
  const wanted = [config.agents.codex.model, config.agents.jules.model];
  const missing = wanted.filter((model) => listed.models.length > 0 && !listed.models.includes(model));
  return missing.length === 0
    ? pass('model', true, `${availability.description} answers`)
    : fail('model', true, `${availability.description} does not list ${[...new Set(missing)].join(', ')}`, 'set agents.codex.model / agents.jules.model to a model the server has');
}

const TOOL_INSTALL: Readonly<Record<string, string>> = { az: 'the Azure CLI', kubectl: 'kubectl', docker: 'Docker' };

/**
 * The command-line tools the configured environments need, each with the first place that needs it: a tool named
 * by a smoke test, a deploy command or an image build command, `az` for `aks` / `acr_name` (credentials and
 * registry login) and `kubectl` for `deployments` (rollout status and undo). Pure.
 */
export function toolsNeeded(config: Config): { tool: string; by: string }[] {
  const needed = new Map<string, string>();
  const need = (tool: string, by: string): void => {
    if (!needed.has(tool)) needed.set(tool, by);
  };
  for (const [name, environment] of Object.entries(config.deployment.environments)) {
    const commands = [
      ...environment.smoke_tests.map((command) => ({ key: 'smoke_tests', command })),
      ...environment.deploy.map((command) => ({ key: 'deploy', command })),
      ...[environment.image_build?.primary, environment.image_build?.fallback].flatMap((command) => (command ? [{ key: 'image_build', command }] : [])),
    ];
    for (const tool of Object.keys(TOOL_INSTALL)) {
      const using = commands.find(({ command }) => new RegExp(`(^|[\\s;&|(])${tool}\\s`).test(command));
      if (using) need(tool, `${name}.${using.key}`);
    }
    if (environment.aks !== null) need('az', `${name}.aks`);
    if (environment.acr_name !== null) need('az', `${name}.acr_name`);
    if (environment.deployments.length > 0) need('kubectl', `${name}.deployments`);
  }
  return [...needed].map(([tool, by]) => ({ tool, by }));
}

/** The tools the environments need must be installed. */
async function cliToolChecks(config: Config, env: NodeJS.ProcessEnv): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const { tool, by } of toolsNeeded(config)) {
    const found = await onPath(tool, env);
    results.push(found ? pass(tool, true, found) : fail(tool, true, `${tool} is needed by ${by} but is not on PATH`, `install ${TOOL_INSTALL[tool]} on the agent`));
  }
  return results;
}

async function logDirCheck(dir: string): Promise<CheckResult> {
  const probe = path.join(dir, `.doctor-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, 'ok');
    await rm(probe, { force: true });
    return pass('log directory', true, `${dir} is writable`);
  } catch (error) {
    return fail('log directory', true, `${dir}: ${(error as NodeJS.ErrnoException).code ?? describeError(error)}`, 'pass --log-dir <a writable folder>');
  }
}

async function onPath(program: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, program);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function pass(name: string, required: boolean, detail: string): CheckResult {
  return { name, required, ok: true, detail, fix: null };
}

function fail(name: string, required: boolean, detail: string, fix: string): CheckResult {
  return { name, required, ok: false, detail, fix };
}
