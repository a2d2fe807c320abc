import path from 'node:path';
import { CodexAgent } from '../agents/codex.js';
import { JulesAgent } from '../agents/jules.js';
import { detectCi, type CiContext } from '../ci/detect.js';
import { createReporter, type CiReporter } from '../ci/reporter.js';
import { loadConfig, requiresApproval, selectEnvironment } from '../config/load.js';
import type { Config, EnvironmentConfig } from '../config/schema.js';
import { assertDeployable } from '../devops/deploy-plan.js';
import { SafetyStop } from '../errors.js';
import { newRunId } from '../git/branch-names.js';
import { Repo } from '../git/repo.js';
import { LlmClient, type LlmAvailability } from '../llm/client.js';
import { UsageLedger } from '../llm/usage.js';
import { createFileLogger, type Logger } from '../logging/logger.js';
import type { Progress } from '../logging/progress.js';
import { safeProgress } from '../logging/safe-progress.js';
import { ensureLogDir, reportFiles } from '../report/writer.js';
import type { RunReport } from '../report/run-report.js';
import { folderInside } from '../project/paths.js';
import { Redactor } from '../secrets/redact.js';
import { JsonlAuditLog } from '../shell/audit-log.js';
import type { GuardedShell } from '../shell/guarded-shell.js';
import { shellFromConfig } from '../shell/from-config.js';
import type { DeclaredCommands } from '../shell/policy.js';
import { checkStartGuards } from './guards.js';
import type { RunOptions } from './run-options.js';

/** The collaborators of one run, built once from the options and the config. */
export interface RunSession {
  readonly runId: string;
  readonly startedAt: Date;
  readonly options: RunOptions;
  readonly config: Config;
  readonly configPath: string;
  readonly environmentName: string | null;
  readonly environment: EnvironmentConfig | null;
  readonly dryRun: boolean;
  readonly repo: Repo;
  readonly startCommit: string;
  readonly startBranch: string | null;
  readonly logDir: string;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly audit: JsonlAuditLog;
  readonly ledger: UsageLedger;
  readonly llm: LlmAvailability;
  readonly codex: CodexAgent | null;
  readonly jules: JulesAgent;
  readonly ci: CiContext;
  readonly reporter: CiReporter;
  readonly report: RunReport;
  readonly progress: Progress;
  readonly now: () => Date;
}

/**
 * Loads and checks everything before anything runs: config (exit 2 when invalid), repository, start guards
 * (exit 3), log directory, secrets, model access. Nothing is changed on disk except the log directory.
 */
export async function openSession(options: RunOptions): Promise<RunSession> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const loaded = await loadConfig(path.resolve(options.cwd, options.configPath), options.env);
  const config = applyFlagOverrides(loaded.config, options);
  const environment = selectEnvironment(config, options.environment, options.configPath);
  const environmentName = options.environment ?? null;
  const dryRun = options.dryRun || config.agents.orchestrator.dry_run;

  // The shell refuses every mutating command there too; this stops the fix loop (which commits) up front.
  if (environmentName !== null && environment !== null && requiresApproval(environmentName, environment) && !options.approveProduction) {
    throw new SafetyStop(
      'approval-required',
      `environment "${environmentName}" requires approval; fleet-orch never auto-fixes there without --approve-production`,
    );
  }
  if (options.deploy) assertDeployable(environmentName, environment, loaded.path);

  const repo = await Repo.open(options.cwd);
  const logDir = path.resolve(options.cwd, options.logDir);
  const ci = detectCi(options.env);
  const [headMessage, startBranch, startCommit] = await Promise.all([repo.headMessage(), repo.currentBranch(), repo.headSha()]);
  const dirtyPaths = await repo.dirtyPaths([folderInside(repo.root, logDir)].filter((dir) => dir !== null));
  checkStartGuards(
    { headMessage, branch: startBranch, ciBranch: ci.branch, dirtyPaths },
    { force: options.force, allowDirty: options.allowDirty, dryRun },
  );

  await ensureLogDir(logDir);

  const runId = newRunId(startedAt);
  const redactor = Redactor.fromEnv(options.env);
  // The model key may sit in a variable whose name does not look secret (llm.api_key_env: LLM_AUTH).
  const modelKey = options.env[config.llm.api_key_env];
  if (modelKey) redactor.add(modelKey);
  const logger = createFileLogger(logDir, redactor, options.verbose ? 'debug' : 'info').child({ runId });
  const files = reportFiles(logDir, runId);
  const audit = new JsonlAuditLog(files.audit);
  const orchestrator = config.agents.orchestrator;
  const ledger = new UsageLedger(
    {
      maxModelCalls: orchestrator.max_model_calls,
      maxTokensTotal: orchestrator.max_tokens_total,
      maxCostUsd: orchestrator.max_cost_usd,
    },
    config.llm.prices,
    config.llm.default_price,
  );
  const { client, availability } = LlmClient.fromConfig(config.llm, options.env, ledger);
  const rules = {
    protectedPaths: config.safety.protected_paths,
    maxFilesChanged: config.safety.max_files_changed,
    maxLinesChanged: config.safety.max_lines_changed,
  };
  const reporter = createReporter(ci, { env: options.env, write: options.writeCiLine });
  for (const secret of redactor.knownValues()) reporter.mask(secret);

  return {
    runId,
    startedAt,
    options,
    config,
    configPath: loaded.path,
    environmentName,
    environment,
    dryRun,
    repo,
    startCommit,
    startBranch,
    logDir,
    redactor,
    logger,
    audit,
    ledger,
    llm: availability,
    codex: client ? new CodexAgent(client, config.agents.codex, redactor) : null,
    jules: new JulesAgent(client, config.agents.jules, rules, redactor),
    ci,
    reporter,
    progress: safeProgress(options.progress, redactor, ci.kind),
    now,
    report: {
      runId,
      tool: { name: 'fleet-orch', version: options.version },
      startedAt: startedAt.toISOString(),
      finishedAt: null,
      durationMs: 0,
      outcome: null,
      exitCode: null,
      reason: null,
      dryRun,
      environment: environmentName,
      config: loaded.path,
      repository: {
        root: repo.root,
        startCommit,
        startBranch,
        backupBranch: null,
        workBranch: null,
        commits: [],
      },
      llm: availability.available
        ? { available: true, detail: availability.description }
        : { available: false, detail: availability.reason },
      initial: null,
      iterations: [],
      final: null,
      usage: { totals: ledger.totals(), calls: [] },
      limits: {
        max_iterations: orchestrator.max_iterations,
        max_no_progress_iterations: orchestrator.max_no_progress_iterations,
        max_model_calls: orchestrator.max_model_calls,
        max_tokens_total: orchestrator.max_tokens_total,
        max_cost_usd: orchestrator.max_cost_usd,
        max_minutes: orchestrator.max_minutes,
      },
      actions: [],
      verification: null,
      deploy: null,
      patches: [],
      dryRunDiff: null,
      files,
    },
  };
}

/**
 * A guarded shell for a working directory (the repository, or the throw-away worktree of a dry run). With
 * `declaredCommands` (the DevOps executor) it runs only the commands the action declared, narrowed by
 * `safety.allowed_commands` when set. Mutating requests are refused on an environment that requires approval
 * unless --approve-production was given.
 */
export function shellFor(session: RunSession, repoRoot: string, declaredCommands: DeclaredCommands | null = null): GuardedShell {
  const { environmentName, environment } = session;
  return shellFromConfig(session.config.safety, {
    repoRoot,
    redactor: session.redactor,
    audit: session.audit,
    dryRun: session.dryRun,
    env: withoutModelKey(session.options.env, session.config.llm.api_key_env),
    declaredCommands,
    approval:
      environmentName === null || environment === null
        ? null
        : { environment: environmentName, required: requiresApproval(environmentName, environment), approved: session.options.approveProduction },
  });
}

export type NoteKind = 'start' | 'succeed' | 'fail' | 'info' | 'warn';

/** A progress line for the person watching, and the same line in orchestrator.log. */
export function noteProgress(session: RunSession, kind: NoteKind, text: string): void {
  session.progress[kind](text);
  session.logger.log(kind === 'fail' || kind === 'warn' ? 'warn' : 'info', text);
}

/** Commands never see the model key, even when its variable's name does not look secret. */
function withoutModelKey(env: NodeJS.ProcessEnv, keyName: string): NodeJS.ProcessEnv {
  if (!(keyName in env)) return env;
  const { [keyName]: _key, ...rest } = env;
  return rest;
}

function applyFlagOverrides(config: Config, options: RunOptions): Config {
  if (options.maxIterations === undefined) return config;
  return {
    ...config,
    agents: {
      ...config.agents,
      orchestrator: { ...config.agents.orchestrator, max_iterations: options.maxIterations },
    },
  };
}
