import type { CiContext } from '../ci/detect.js';
import type { CiReporter } from '../ci/reporter.js';
import type { DeliveryConfig } from '../config/schema.js';
import { describeError } from '../errors.js';
import { workBranchName } from '../git/branch-names.js';
import { pushArguments, pushBranch } from '../git/push.js';
import type { Repo } from '../git/repo.js';
import { renderMarkdown } from '../report/markdown.js';
import type { RunReport } from '../report/run-report.js';
import { savePatch } from '../report/writer.js';
import type { Redactor } from '../secrets/redact.js';
import type { AuditSink } from '../shell/types.js';
import { openAzurePullRequest, AZURE_DESCRIPTION_LIMIT } from './azure-pr.js';
import { deliveryConfidence } from './confidence.js';
import { decideDelivery, type Decision } from './decide.js';
import { DeliveryError } from './delivery-error.js';
import { openGithubPullRequest, GITHUB_BODY_LIMIT } from './github-pr.js';
import type { RequestLog } from './http.js';
import { deliveryPlatform, type DeliveryPlatform } from './platform.js';
import { pullRequestBody, pullRequestTitle } from './pr-content.js';
import type { OpenedPullRequest, PullRequestContent } from './pull-request.js';
import type { DeliveryRecord } from './types.js';

export interface DeliveryContext {
  /** The finished run (outcome, commits, branches, iterations); read only. */
  readonly report: RunReport;
  readonly config: DeliveryConfig;
  /** `safety.protected_branches` (main and master are always protected). */
  readonly protectedBranches: readonly string[];
  readonly dryRun: boolean;
  /** The user's repository; null in a dry run (its worktree is gone by now). */
  readonly repo: Repo | null;
  readonly ci: CiContext;
  readonly env: NodeJS.ProcessEnv;
  readonly logDir: string;
  readonly redactor: Redactor;
  readonly reporter: CiReporter;
  readonly audit: AuditSink;
  readonly signal: AbortSignal;
  readonly now: () => Date;
  /** Per HTTP request (default 30 s). */
  readonly requestTimeoutMs?: number;
}

const ACTOR = 'delivery';

/**
 * Gets the run's fix commits to people as configured: pushed onto the target branch, or pushed as the work
 * branch with a pull request, or kept as `logs/patches/run-<id>.patch`. Never throws and never changes the
 * run's outcome: a failure is reported as status `failed` with one line, and the patch is kept.
 */
export async function deliver(context: DeliveryContext): Promise<DeliveryRecord> {
  const { report, config } = context;
  const confidence = deliveryConfidence(report);
  const targetBranch = config.target_branch ?? report.repository.startBranch ?? context.ci.branch;
  // A dry run commits in a throw-away worktree without a work branch: decide for the branch a real run would make.
  const workBranch = report.repository.workBranch ?? (context.dryRun ? workBranchName(report.runId) : null);
  const decision = decideDelivery({
    config,
    confidence: confidence.score,
    green: report.outcome === 'green',
    commits: report.repository.commits.length,
    workBranch,
    targetBranch,
    protectedBranches: context.protectedBranches,
  });
  const record = {
    mode: config.mode,
    action: decision.action,
    confidence: confidence.score,
    factors: confidence.factors,
    targetBranch,
    remoteBranch: null,
    pullRequestUrl: null,
    patchFile: null,
  } satisfies Omit<DeliveryRecord, 'status' | 'reason'>;

  if (context.dryRun) return { ...record, status: 'dry_run', reason: dryRunReason(decision, workBranch, targetBranch) };
  if (decision.action === 'none') return { ...record, status: 'none', reason: decision.reason, patchFile: await keepPatch(context) };

  let pushedBranch: string | null = null;
  try {
    const platform = deliveryPlatform(context.ci, context.env, config);
    protectSecrets(context, platform);
    const work = workBranch!;
    const target = targetBranch!;
    if (decision.action === 'pull_request') requirePullRequestAccess(platform);
    const repo = context.repo;
    if (repo === null) throw new DeliveryError('no repository to push from');
    if (!(await repo.remotes()).includes(config.remote)) throw new DeliveryError(`the git remote "${config.remote}" does not exist (delivery.remote)`);

    const destination = decision.action === 'push' ? target : work;
    await push(context, repo.root, platform, work, destination);
    pushedBranch = destination;
    if (decision.action === 'push') return { ...record, status: 'pushed', reason: decision.reason, remoteBranch: destination };

    const opened = await openPullRequest(context, platform, pullRequestContent(context, work, target));
    for (const warning of opened.warnings) context.reporter.warning(`fleet-orch: ${context.redactor.redact(warning)}`);
    return { ...record, status: 'pull_request', reason: decision.reason, remoteBranch: work, pullRequestUrl: opened.url };
  } catch (error) {
    return {
      ...record,
      status: 'failed',
      reason: context.redactor.redact(describeError(error)),
      remoteBranch: pushedBranch,
      patchFile: await keepPatch(context),
    };
  }
}

function dryRunReason(decision: Decision, workBranch: string | null, target: string | null): string {
  switch (decision.action) {
    case 'push':
      return `dry run: would push ${workBranch} onto ${target} (${decision.reason})`;
    case 'pull_request':
      return `dry run: would push ${workBranch} and open a pull request into ${target} (${decision.reason})`;
    case 'none':
      return `dry run: would deliver nothing (${decision.reason})`;
  }
}

/** The token and anything derived from it are masked in the CI log and redacted everywhere before first use. */
function protectSecrets(context: DeliveryContext, platform: DeliveryPlatform): void {
  for (const secret of [platform.token, ...platform.derivedSecrets]) {
    if (secret === null) continue;
    context.redactor.add(secret);
    context.reporter.mask(secret);
  }
}

function requirePullRequestAccess(platform: DeliveryPlatform): void {
  if (platform.pullRequests.kind === 'unsupported') throw new DeliveryError(`cannot open a pull request: ${platform.pullRequests.reason}`);
  if (platform.token === null) {
    const mapping = platform.pullRequests.kind === 'azure' ? '$(System.AccessToken)' : '${{ github.token }}';
    throw new DeliveryError(`cannot open a pull request: no token, ${platform.tokenEnv} is not set (map it in the step: env: ${platform.tokenEnv}: ${mapping})`);
  }
}

async function push(context: DeliveryContext, root: string, platform: DeliveryPlatform, source: string, destination: string): Promise<void> {
  const request = { remote: context.config.remote, source, destination, authHeader: platform.gitAuthHeader };
  const started = context.now();
  let failure: string | null = null;
  try {
    await pushBranch({ ...request, root, protectedBranches: context.protectedBranches, env: context.env, signal: context.signal });
  } catch (error) {
    failure = describeError(error);
    throw error;
  } finally {
    auditDelivery(context, {
      time: started,
      // Only the variable's name is in the arguments; the header travels in git's environment.
      command: `git ${pushArguments(request).join(' ')}`,
      cwd: root,
      reason: failure === null ? null : context.redactor.redact(failure),
      exitCode: failure === null ? 0 : 1,
      durationMs: context.now().getTime() - started.getTime(),
    });
  }
}

/** Delivery's git push and REST calls go into the same audit log as every shell command. */
function auditDelivery(
  context: DeliveryContext,
  entry: { time: Date; command: string; cwd: string; reason: string | null; exitCode: number | null; durationMs: number },
): void {
  context.audit.record({
    ...entry,
    time: entry.time.toISOString(),
    actor: ACTOR,
    verdict: 'allowed',
    rule: null,
    signal: null,
    timedOut: false,
  });
}

function pullRequestContent(context: DeliveryContext, workBranch: string, targetBranch: string): PullRequestContent {
  const { report, redactor } = context;
  const markdown = renderMarkdown(redactor.redactDeep(report));
  const limit = deliveryPlatformLimit(context);
  const body = pullRequestBody(
    markdown,
    {
      runId: report.runId,
      runUrl: context.ci.runUrl,
      workBranch,
      backupBranch: report.repository.backupBranch,
      startCommit: report.repository.startCommit,
    },
    limit,
  );
  return {
    title: redactor.redact(pullRequestTitle(report)),
    body: redactor.redact(body),
    sourceBranch: workBranch,
    targetBranch,
    labels: context.config.labels,
  };
}

function deliveryPlatformLimit(context: DeliveryContext): number {
  return context.ci.kind === 'azure-pipelines' ? AZURE_DESCRIPTION_LIMIT : GITHUB_BODY_LIMIT;
}

async function openPullRequest(context: DeliveryContext, platform: DeliveryPlatform, content: PullRequestContent): Promise<OpenedPullRequest> {
  const log: RequestLog = ({ method, url, status, durationMs }) =>
    auditDelivery(context, {
      time: context.now(),
      command: `${method} ${context.redactor.redact(url)}`,
      cwd: context.repo?.root ?? '',
      reason: status === null ? 'no answer' : `HTTP ${status}`,
      exitCode: null,
      durationMs,
    });
  const options = {
    token: platform.token!,
    tokenEnv: platform.tokenEnv ?? 'the token variable',
    timeoutMs: context.requestTimeoutMs ?? 30_000,
    signal: context.signal,
    log,
  };
  const target = platform.pullRequests;
  if (target.kind === 'azure') return openAzurePullRequest(target, content, options);
  if (target.kind === 'github') return openGithubPullRequest(target, content, options);
  throw new DeliveryError(`cannot open a pull request: ${target.reason}`);
}

/** `logs/patches/run-<id>.patch`: the fix commits as an mbox (`git am` applies it), when they were not delivered. */
async function keepPatch(context: DeliveryContext): Promise<string | null> {
  const { report, repo } = context;
  const { startCommit, workBranch, commits } = report.repository;
  if (repo === null || startCommit === null || workBranch === null || commits.length === 0) return null;
  try {
    const patch = await repo.formatPatch(startCommit, workBranch);
    return await savePatch(context.logDir, `run-${report.runId}.patch`, patch, context.redactor);
  } catch (error) {
    context.reporter.warning(`fleet-orch: could not write the run's patch: ${context.redactor.redact(describeError(error))}`);
    return null;
  }
}
