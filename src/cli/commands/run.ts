import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { detectCi } from '../../ci/detect.js';
import { createProgress } from '../../logging/progress.js';
import { Orchestrator } from '../../loop/orchestrator.js';
import { openSession } from '../../loop/session.js';
import type { RunResult } from '../../loop/finish.js';
import { Redactor } from '../../secrets/redact.js';
import type { CliIo } from '../output.js';

export interface RunFlags {
  config: string;
  environment?: string;
  dryRun?: boolean;
  maxIterations?: number;
  logDir: string;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  allowDirty?: boolean;
  force?: boolean;
  approveProduction?: boolean;
  verify?: boolean;
}

export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return parsed;
}

/** The options shared by `run` and `gates`. */
export function addCommonOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'config file', 'config.yaml')
    .option('-e, --environment <name>', 'environment from deployment.environments')
    .option('--log-dir <dir>', 'where logs and reports go', 'logs')
    .option('--json', 'print the final summary as one JSON object on stdout')
    .option('-v, --verbose', 'show debug detail')
    .option('-q, --quiet', 'only errors and the final line');
}

export function addRunOptions(command: Command): Command {
  return addCommonOptions(command)
    .option('--dry-run', 'change nothing you own: run in a throw-away worktree and write the diff to <log-dir>/patches/')
    .option('--max-iterations <n>', 'at most this many fix iterations', positiveInteger)
    .option('--allow-dirty', 'start even when the working tree has uncommitted changes')
    .option('--force', 'run even on a fleet-orch branch or commit (self-trigger guard)')
    .option('--approve-production', 'allow a run on an environment that requires approval')
    .option('--verify', 'after the gates are green, check the environment (health endpoints, smoke tests)');
}

export async function runCommand(flags: RunFlags, io: CliIo, signal: AbortSignal, version: string): Promise<number> {
  const verbosity = flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal';
  const progress = createProgress({ stream: io.stderr, env: io.env, verbosity });
  const ciStream = flags.json ? io.stderr : io.stdout;
  // On an interactive terminal the spinners already tell the story; plain group lines would break them.
  const interactiveLocal = detectCi(io.env).kind === 'local' && Boolean(io.stderr.isTTY) && !('CI' in io.env);
  const session = await openSession({
    cwd: io.cwd,
    configPath: flags.config,
    environment: flags.environment,
    dryRun: Boolean(flags.dryRun),
    maxIterations: flags.maxIterations,
    logDir: flags.logDir,
    allowDirty: Boolean(flags.allowDirty),
    force: Boolean(flags.force),
    approveProduction: Boolean(flags.approveProduction),
    verify: Boolean(flags.verify),
    verbose: Boolean(flags.verbose),
    env: io.env,
    signal,
    progress,
    writeCiLine: (line) => {
      if (!interactiveLocal) ciStream.write(`${line}\n`);
    },
    version,
  });
  const result = await new Orchestrator(session).run();
  printResult(result, io, Boolean(flags.json));
  return result.exitCode;
}

function printResult(result: RunResult, io: CliIo, json: boolean): void {
  const { report } = result;
  io.stderr.write(`fleet-orch: ${result.outcome}: ${result.reason} (exit ${result.exitCode})\n`);
  if (report.outcome !== 'config_error') io.stderr.write(`fleet-orch: report ${report.files.json}\n`);
  if (!json) return;
  const summary = {
    runId: report.runId,
    outcome: result.outcome,
    exitCode: result.exitCode,
    reason: result.reason,
    dryRun: report.dryRun,
    environment: report.environment,
    iterations: report.iterations.length,
    backupBranch: report.repository.backupBranch,
    workBranch: report.repository.workBranch,
    commits: report.repository.commits,
    usage: report.usage.totals,
    dryRunDiff: report.dryRunDiff,
    report: report.files.json,
    summary: report.files.markdown,
  };
  io.stdout.write(`${Redactor.fromEnv(io.env).redact(JSON.stringify(summary))}\n`);
}
