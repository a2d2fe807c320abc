import { detectCi } from '../../ci/detect.js';
import { createProgress } from '../../logging/progress.js';
import { Orchestrator } from '../../loop/orchestrator.js';
import { openSession } from '../../loop/session.js';
import type { RunResult } from '../../loop/finish.js';
import { Redactor } from '../../secrets/redact.js';
import type { CliIo } from '../output.js';
import type { RunFlags } from '../options.js';

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
    deploy: Boolean(flags.deploy),
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
