import { deliver } from '../delivery/deliver.js';
import type { DeliveryRecord } from '../delivery/types.js';
import { BudgetExceeded, Interrupted, SafetyStop, describeError, isFleetError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { closeLogger } from '../logging/logger.js';
import type { Outcome, RunReport } from '../report/run-report.js';
import { savePatch, writeRunReport } from '../report/writer.js';
import type { RunSession } from './session.js';
import type { Workspace } from './workspace.js';

export interface LoopResult {
  readonly outcome: 'green' | 'gave_up' | 'verification_failed';
  readonly reason: string;
  readonly exitCode: number;
}

export interface RunResult {
  readonly outcome: Outcome;
  readonly exitCode: number;
  readonly reason: string;
  readonly report: RunReport;
}

/**
 * Ends every run the same way, however it stopped: the working tree clean (on the work branch, or as it
 * started), the dry-run worktree gone, the report and summary written, the CI told. Never throws.
 */
export async function finishRun(
  session: RunSession,
  workspace: Workspace | null,
  result: LoopResult | { error: unknown },
): Promise<RunResult> {
  const ending = 'error' in result ? endingOf(result.error) : result;
  const { report } = session;
  if ('error' in result && !isFleetError(result.error)) {
    session.logger.error(`internal error: ${result.error instanceof Error ? (result.error.stack ?? result.error.message) : String(result.error)}`);
  }

  const cleanupProblems: string[] = [];
  if (workspace !== null) {
    if (ending.outcome === 'interrupted') await workspace.shell.killAll().catch(() => undefined);
    await settleWorkingTree(session, workspace, ending.outcome).catch((error: unknown) => {
      cleanupProblems.push(`cleanup: ${describeError(error)}`);
    });
  }

  report.outcome = ending.outcome;
  report.exitCode = ending.exitCode;
  report.reason = [ending.reason, ...cleanupProblems].join('; ');
  report.usage = { totals: session.ledger.totals(), calls: [...session.ledger.calls()] };
  // After the tree is settled, before the report is written: the pull request carries the summary so far.
  if (workspace !== null && cleanupProblems.length === 0 && ending.outcome !== 'interrupted') {
    report.delivery = await deliverFixes(session, workspace).catch((error: unknown) => {
      session.progress.warn(`delivery: ${describeError(error)}`);
      return null;
    });
    if (report.delivery?.status === 'failed') report.reason = `${report.reason}; delivery failed: ${report.delivery.reason}`;
  }
  report.finishedAt = session.now().toISOString();
  report.durationMs = session.now().getTime() - session.startedAt.getTime();

  try {
    await writeRunReport(report, session.redactor);
  } catch (error) {
    session.progress.warn(`could not write the run report: ${describeError(error)}`);
  }
  try {
    announce(session, report);
  } catch (error) {
    session.progress.warn(`could not publish the run to the CI: ${describeError(error)}`);
  }
  session.logger.info(`run ${report.outcome}: ${report.reason} (exit ${report.exitCode})`);
  await closeLogger(session.logger).catch(() => undefined);
  await session.audit.close?.();
  return { outcome: ending.outcome, exitCode: ending.exitCode, reason: report.reason ?? '', report };
}

function endingOf(error: unknown): { outcome: Outcome; exitCode: number; reason: string } {
  if (error instanceof Interrupted) return { outcome: 'interrupted', exitCode: ExitCode.Interrupted, reason: error.message };
  if (error instanceof BudgetExceeded) return { outcome: 'budget_exceeded', exitCode: ExitCode.SafetyStop, reason: error.message };
  if (error instanceof SafetyStop) return { outcome: 'safety_stop', exitCode: ExitCode.SafetyStop, reason: error.message };
  if (isFleetError(error)) return { outcome: 'error', exitCode: error.exitCode, reason: error.message };
  if (error instanceof Error && error.name === 'AbortError') {
    return { outcome: 'interrupted', exitCode: ExitCode.Interrupted, reason: 'interrupted' };
  }
  return { outcome: 'error', exitCode: ExitCode.GaveUp, reason: `internal error: ${describeError(error)} (details in orchestrator.log)` };
}

async function settleWorkingTree(session: RunSession, workspace: Workspace, outcome: Outcome): Promise<void> {
  const { repo } = workspace;
  const commits = await repo.commitsSince(session.startCommit);
  session.report.repository.commits = commits;

  if (workspace.worktree !== null) {
    if (commits.length > 0) {
      const diff = await repo.diffRange(session.startCommit, 'HEAD');
      session.report.dryRunDiff = await savePatch(session.logDir, `run-${session.runId}-dry-run.diff`, diff, session.redactor);
    }
    await workspace.worktree.remove();
    return;
  }
  const workBranch = session.report.repository.workBranch;
  if (workBranch !== null && commits.length === 0) {
    // Nothing was kept: go back to where the run started and drop the empty work branch.
    await repo.checkout(session.startBranch ?? session.startCommit);
    await repo.deleteBranch(workBranch);
    session.report.repository.workBranch = null;
    if (outcome !== 'green') session.progress.info(`no fix was kept; back on ${session.startBranch ?? session.startCommit.slice(0, 10)}`);
  }
}

/** Push / pull request / patch file as `delivery` says (never in a dry run); tells the user how it went. */
async function deliverFixes(session: RunSession, workspace: Workspace): Promise<DeliveryRecord> {
  const delivery = await deliver({
    report: session.report,
    config: session.config.delivery,
    protectedBranches: session.config.safety.protected_branches,
    dryRun: session.dryRun,
    repo: workspace.worktree === null ? workspace.repo : null,
    ci: session.ci,
    env: session.options.env,
    logDir: session.logDir,
    redactor: session.redactor,
    reporter: session.reporter,
    audit: session.audit,
    signal: session.options.signal,
    now: session.now,
  });
  const patch = delivery.patchFile === null ? '' : `; the commits are kept as ${delivery.patchFile}`;
  switch (delivery.status) {
    case 'pushed':
      session.progress.succeed(`delivery: pushed onto ${delivery.remoteBranch} (${delivery.reason})`);
      break;
    case 'pull_request':
      session.progress.succeed(`delivery: pull request ${delivery.pullRequestUrl}`);
      break;
    case 'failed':
      session.progress.warn(`delivery failed: ${delivery.reason}${patch}`);
      session.reporter.warning(`fleet-orch: delivery failed: ${delivery.reason}${patch}`);
      break;
    case 'none':
    case 'dry_run':
      if (delivery.mode !== 'none' || delivery.patchFile !== null) session.progress.info(`delivery: ${delivery.status === 'none' ? `none (${delivery.reason})` : delivery.reason}${patch}`);
      break;
  }
  session.logger.info(`delivery ${delivery.status}: ${delivery.reason}`);
  return delivery;
}

/** The final line, the summary file and the CI outputs. */
function announce(session: RunSession, report: RunReport): void {
  const { reporter } = session;
  reporter.setOutput('outcome', report.outcome ?? 'error');
  reporter.setOutput('branch', report.repository.workBranch ?? '');
  reporter.setOutput('commits', String(report.repository.commits.length));
  reporter.setOutput('pull_request_url', report.delivery?.pullRequestUrl ?? '');
  reporter.setOutput('delivery', report.delivery?.status ?? 'none');
  reporter.publishSummary(report.files.markdown);
  if (report.outcome === 'green' && report.repository.commits.length > 0) reporter.complete('SucceededWithIssues');
  session.progress.stop();
}
