import type { DeliveryRecord } from '../delivery/types.js';
import type { DeployRecord } from '../devops/deploy-record.js';
import type { IterationRecord, RunReport } from './run-report.js';

const OUTCOME_TITLE: Record<string, string> = {
  green: '✅ Build is green',
  gave_up: '❌ Gave up',
  safety_stop: '⛔ Safety stop',
  budget_exceeded: '⛔ Budget limit reached',
  interrupted: '⚠️ Interrupted',
  verification_failed: '❌ Verification failed',
  config_error: '❌ Configuration error',
  error: '❌ Error',
};

/** The short summary a person reads in the CI step summary. Pure: report in, Markdown out. */
export function renderMarkdown(report: RunReport): string {
  const lines: string[] = [];
  const title = OUTCOME_TITLE[report.outcome ?? 'error'] ?? report.outcome;
  lines.push(`## fleet-orch: ${title}${report.dryRun ? ' (dry run)' : ''}`, '');
  lines.push(`${escapeCell(report.reason ?? '')}`, '');
  lines.push('| | |', '| --- | --- |');
  lines.push(`| Run | \`${report.runId}\` |`);
  if (report.environment) lines.push(`| Environment | ${escapeCell(report.environment)} |`);
  lines.push(`| Exit code | ${report.exitCode ?? ''} |`);
  lines.push(`| Iterations | ${report.iterations.length} |`);
  if (report.repository.backupBranch) lines.push(`| Backup branch | \`${report.repository.backupBranch}\` |`);
  if (report.repository.workBranch) lines.push(`| Work branch | \`${report.repository.workBranch}\` |`);
  lines.push(`| Commits | ${report.repository.commits.length} |`);
  const totals = report.usage.totals;
  lines.push(`| Model | ${escapeCell(report.llm.detail)} |`);
  lines.push(`| Model calls / tokens / cost | ${totals.calls} / ${totals.totalTokens} / $${totals.costUsd.toFixed(4)} |`);
  if (report.dryRunDiff) lines.push(`| Diff that would be applied | \`${report.dryRunDiff}\` |`);
  lines.push('');

  const gates = report.final?.gates ?? report.initial?.gates ?? [];
  if (gates.length > 0) {
    lines.push('### Gates', '', '| Gate | Required | Status | Exit | Time |', '| --- | --- | --- | --- | --- |');
    for (const gate of gates) {
      const icon = gate.status === 'passed' ? '✅' : gate.required ? '❌' : '⚠️';
      lines.push(
        `| ${escapeCell(gate.name)} | ${gate.required ? 'yes' : 'no'} | ${icon} ${gate.status} | ${gate.exitCode ?? gate.signal ?? ''} | ${(gate.durationMs / 1000).toFixed(1)}s |`,
      );
    }
    lines.push('');
  }

  if (report.iterations.length > 0) {
    lines.push('### Iterations', '', '| # | Gate | Class | Tier | Outcome | Progress | Cost |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const iteration of report.iterations) lines.push(iterationRow(iteration));
    lines.push('');
  }

  if (report.delivery) lines.push(...deliverySection(report.delivery));

  if (report.deploy) lines.push(...deploySection(report.deploy));

  if (report.repository.commits.length > 0) {
    lines.push('### Commits', '');
    for (const commit of report.repository.commits) lines.push(`- \`${commit.sha.slice(0, 10)}\` ${escapeCell(commit.subject)}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

const DELIVERY_TITLE: Record<DeliveryRecord['status'], string> = {
  pushed: '✅ pushed',
  pull_request: '✅ pull request opened',
  none: 'not delivered',
  failed: '⚠️ failed',
  dry_run: 'dry run: nothing delivered',
};

function deliverySection(delivery: DeliveryRecord): string[] {
  const lines = ['### Delivery', '', '| | |', '| --- | --- |'];
  lines.push(`| Status | ${DELIVERY_TITLE[delivery.status]} |`);
  lines.push(`| Mode / decided | ${delivery.mode} / ${delivery.action} |`);
  lines.push(`| Confidence | ${delivery.confidence.toFixed(2)} |`);
  if (delivery.targetBranch) lines.push(`| Target branch | \`${escapeCell(delivery.targetBranch)}\` |`);
  if (delivery.remoteBranch) lines.push(`| Pushed | \`${escapeCell(delivery.remoteBranch)}\` |`);
  if (delivery.pullRequestUrl) lines.push(`| Pull request | ${escapeCell(delivery.pullRequestUrl)} |`);
  if (delivery.patchFile) lines.push(`| Patch | \`${escapeCell(delivery.patchFile)}\` |`);
  lines.push(`| Why | ${escapeCell(delivery.reason)} |`, '');
  return lines;
}

function iterationRow(iteration: IterationRecord): string {
  const attempt = iteration.attempt;
  const why = attempt.reasons.length > 0 ? ` — ${attempt.reasons[0]}` : '';
  const stage = attempt.apply?.applied && attempt.apply.method !== 'exact' ? ` (applied: ${attempt.apply.method})` : '';
  return `| ${iteration.iteration} | ${escapeCell(attempt.gate)} | ${attempt.failureClass} | ${attempt.tier} (${escapeCell(attempt.source)}) | ${attempt.outcome}${stage}${escapeCell(truncate(why, 120))} | ${iteration.verdict} | $${iteration.spend.costUsd.toFixed(4)} |`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const DEPLOY_TITLE: Record<DeployRecord['status'], string> = {
  passed: '✅ deployed and verified',
  failed: '❌ failed',
  printed: 'dry run: commands printed, nothing ran',
};

/** The deploy phase: its result, the build path, the rollbacks, and every command in order. */
function deploySection(deploy: DeployRecord): string[] {
  const lines = [`### Deploy to ${escapeCell(deploy.environment)}`, '', '| | |', '| --- | --- |'];
  const where = deploy.failedStage ? ` at ${deploy.failedStage}` : '';
  lines.push(`| Result | ${DEPLOY_TITLE[deploy.status]}${where}: ${escapeCell(truncate(deploy.reason, 300))} |`);
  if (deploy.imageBuiltBy) lines.push(`| Image built by | ${deploy.imageBuiltBy} path |`);
  for (const undo of deploy.undone) lines.push(`| Undo deployment/${escapeCell(undo.deployment)} | ${undo.ok ? '' : '⚠️ '}${escapeCell(undo.detail)} |`);
  lines.push('', '| Stage | Action | Command | Result |', '| --- | --- | --- | --- |');
  for (const { stage, action } of deploy.steps) {
    const icon = !action.ran || (action.dryRun && action.mutates) ? '📝' : action.ok ? '✅' : '❌';
    const commands = action.commands.map((command) => `\`${escapeCell(command).replace(/`/g, "'")}\``).join('<br>');
    lines.push(`| ${stage} | ${action.id} | ${commands} | ${icon} ${escapeCell(truncate(action.detail, 160))} |`);
  }
  lines.push('');
  return lines;
}
