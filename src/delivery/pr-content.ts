import type { RunReport } from '../report/run-report.js';

const TITLE_MAX = 200;
const CUT_NOTICE = '\n\n> **fleet-orch:** this description was cut to fit; the full summary is on the pipeline run and in `run-<id>.md`.\n';

/** What was fixed, in one line: the single commit's subject, or the gates the commits made pass. */
export function pullRequestTitle(report: Pick<RunReport, 'repository' | 'iterations'>): string {
  const commits = report.repository.commits;
  if (commits.length === 1 && commits[0]) return clip(`fleet-orch: ${commits[0].subject}`);
  const gates = [...new Set(report.iterations.filter((iteration) => iteration.attempt.outcome === 'committed').map((iteration) => iteration.attempt.gate))];
  const what = gates.length > 0 ? `make gate${gates.length > 1 ? 's' : ''} ${gates.join(', ')} pass` : 'fix the build';
  return clip(`fleet-orch: ${what} (${commits.length} commits)`);
}

export interface BodyContext {
  readonly runId: string;
  readonly runUrl: string | null;
  readonly workBranch: string;
  readonly backupBranch: string | null;
  readonly startCommit: string | null;
}

/**
 * The run's Markdown summary under a short header that names the backup branch (the state before the run),
 * cut at a line boundary to `maxChars` with a notice when it is longer.
 */
export function pullRequestBody(markdown: string, context: BodyContext, maxChars: number): string {
  const run = context.runUrl === null ? `run \`${context.runId}\`` : `run [\`${context.runId}\`](${context.runUrl})`;
  const header = [`Opened by fleet-orch (${run}) from \`${context.workBranch}\`: every required quality gate passes on it.`];
  if (context.backupBranch !== null) {
    const at = context.startCommit === null ? '' : ` at \`${context.startCommit.slice(0, 12)}\``;
    header.push(`The state before the run is kept on the backup branch \`${context.backupBranch}\`${at}.`);
  }
  const text = `${header.join(' ')}\n\n${markdown}`;
  if (text.length <= maxChars) return text;
  const room = maxChars - CUT_NOTICE.length;
  const cut = text.slice(0, Math.max(0, room));
  const lastLine = cut.lastIndexOf('\n');
  return `${lastLine > 0 ? cut.slice(0, lastLine) : cut}${CUT_NOTICE}`;
}

function clip(title: string): string {
  const line = title.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_MAX ? `${line.slice(0, TITLE_MAX - 1)}…` : line;
}
