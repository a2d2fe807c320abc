import type { CodexAgent } from '../agents/codex.js';
import type { JulesAgent } from '../agents/jules.js';
import type { AttemptFeedback, PatchProposal } from '../agents/types.js';
import { collectContextFiles } from '../analysis/context-files.js';
import type { FailureAnalysis } from '../analysis/types.js';
import type { Config } from '../config/schema.js';
import { detectPackageManager } from '../project/detect.js';
import { readPackageJson } from '../project/package-json.js';
import { planFixer, runFixer } from '../fixers/fixers.js';
import { fixCommitMessage } from '../git/commit-message.js';
import type { Repo } from '../git/repo.js';
import { applyPatch } from '../patch/apply.js';
import { diffStats } from '../patch/diff-stats.js';
import type { AttemptRecord } from '../report/run-report.js';
import { savePatch } from '../report/writer.js';
import type { Redactor } from '../secrets/redact.js';
import type { GuardedShell } from '../shell/guarded-shell.js';

export interface AttemptContext {
  readonly runId: string;
  readonly iteration: number;
  readonly config: Config;
  readonly repo: Repo;
  readonly shell: GuardedShell;
  readonly codex: CodexAgent | null;
  readonly jules: JulesAgent;
  readonly redactor: Redactor;
  readonly logDir: string;
  readonly signal: AbortSignal;
  readonly history: readonly AttemptFeedback[];
  /** Fixers already tried, keyed by class and gate, so a fixer that did not help is not run again. */
  readonly fixersTried: Set<string>;
  /** Fixers rewrite the working tree; they only run when it held nothing of the user's. */
  readonly fixersAllowed: boolean;
  /** Called right before the first change to the working tree (creates the backup and work branches). */
  readonly beforeFirstChange: () => Promise<void>;
  readonly note: (text: string) => void;
}

interface Candidate {
  readonly tier: 'fixer' | 'model';
  readonly source: string;
  readonly diff: string;
  readonly proposal: PatchProposal | null;
  readonly rationale: string;
}

/**
 * One attempt at the failing gate: a built-in fixer when one applies, else the model; then review, apply and
 * commit. Returns what happened; a refused or failed attempt is a result, not an exception.
 */
export async function attemptFix(target: FailureAnalysis, context: AttemptContext): Promise<AttemptRecord> {
  const base = { gate: target.gate, failureClass: target.failureClass };
  const produced = await produceCandidate(target, context);
  if ('failed' in produced) {
    return { ...base, ...emptyAttempt(produced.tier, produced.source), outcome: produced.outcome, reasons: [produced.failed] };
  }
  const candidate = produced;
  const patchName = `run-${context.runId}-iter${context.iteration}-${candidate.tier}.diff`;
  const patchFile = await savePatch(context.logDir, patchName, candidate.diff, context.redactor);
  const stats = diffStats(candidate.diff);
  const proposal = candidate.proposal
    ? {
        analysis: candidate.proposal.analysis,
        rootCause: candidate.proposal.rootCause,
        confidence: candidate.proposal.confidence,
        rationale: candidate.proposal.rationale,
      }
    : null;
  const record = { ...base, tier: candidate.tier, source: candidate.source, proposal, patchFile, diffStats: stats };

  context.note(`reviewing the ${candidate.tier} patch (${stats.files.length} file(s), +${stats.added}/-${stats.removed})`);
  const review = await context.jules.review({
    diff: candidate.diff,
    proposal: candidate.proposal,
    context: target.excerpt,
    signal: context.signal,
  });
  if (review.decision === 'reject') {
    const reasons = review.findings.length > 0 ? review.findings.map((finding) => finding.message) : [review.summary];
    return { ...record, review, apply: null, commit: null, outcome: 'rejected', reasons };
  }

  await context.beforeFirstChange();
  const applied = await applyPatch(context.repo, candidate.diff, { protectedPaths: context.config.safety.protected_paths });
  if (!applied.applied) {
    return {
      ...record,
      review,
      apply: { applied: false, method: null, reason: applied.reason, hunks: [] },
      commit: null,
      outcome: 'apply_failed',
      reasons: [applied.reason],
    };
  }
  const message = fixCommitMessage({
    failureClass: target.failureClass,
    gate: target.gate,
    files: applied.files,
    rationale: candidate.rationale,
    tier: candidate.tier,
    runId: context.runId,
    iteration: context.iteration,
  });
  let commit: string;
  try {
    commit = await context.repo.commitAll(applied.files, message);
  } catch (error) {
    // Never leave a half-done change behind: the tree goes back to the last commit for these files.
    await context.repo.discardChanges(applied.files);
    throw error;
  }
  return {
    ...record,
    review,
    apply: { applied: true, method: applied.method, reason: null, hunks: applied.hunks },
    commit,
    outcome: 'committed',
    reasons: [],
  };
}

type Produced = Candidate | { tier: 'fixer' | 'model'; source: string; failed: string; outcome: 'no_patch' | 'model_error' };

async function produceCandidate(target: FailureAnalysis, context: AttemptContext): Promise<Produced> {
  const fromFixer = await tryFixer(target, context);
  if (fromFixer) return fromFixer;

  if (context.codex === null) {
    return {
      tier: 'model',
      source: 'none',
      outcome: 'no_patch',
      failed: `no built-in fixer for a ${target.failureClass} failure and no model configured`,
    };
  }
  const contextFiles = collectContextFiles(target, {
    repoRoot: context.repo.root,
    maxBytes: context.config.analysis.max_context_bytes,
  });
  context.note(`asking ${context.config.agents.codex.model} for a patch (${contextFiles.length} file(s) as context)`);
  const result = await context.codex.propose({
    analysis: target,
    contextFiles,
    attempts: context.history,
    iteration: context.iteration,
    signal: context.signal,
  });
  const source = context.config.agents.codex.model;
  if (!result.ok) return { tier: 'model', source, outcome: 'model_error', failed: result.error };
  return { tier: 'model', source, diff: result.proposal.diff, proposal: result.proposal, rationale: result.proposal.rationale };
}

async function tryFixer(target: FailureAnalysis, context: AttemptContext): Promise<Candidate | null> {
  if (!context.fixersAllowed) return null;
  const root = context.repo.root;
  const packageJson = readPackageJson(root);
  const plan = planFixer(target, {
    packageJson,
    fixers: context.config.fixers,
    packageManager: detectPackageManager(root, packageJson).manager,
    dir: root,
  });
  if (plan === null) return null;
  const key = `${plan.failureClass}:${target.gate}`;
  if (context.fixersTried.has(key)) return null;
  context.fixersTried.add(key);

  context.note(`running the built-in ${plan.failureClass} fixer: ${plan.command}`);
  const run = await runFixer(plan, context.shell, {
    cwd: context.repo.root,
    timeoutMs: 300_000,
    signal: context.signal,
  });
  const diff = await context.repo.diffWorkingTree();
  await context.repo.discardChanges(diffStats(diff).files);
  if (!run.ok && diff.trim() === '') {
    context.note(`the ${plan.tool} fixer failed and changed nothing`);
    return null;
  }
  if (diff.trim() === '') {
    context.note(`the ${plan.tool} fixer changed nothing`);
    return null;
  }
  return { tier: 'fixer', source: plan.tool, diff, proposal: null, rationale: `ran ${plan.tool} (${plan.command})` };
}

function emptyAttempt(tier: 'fixer' | 'model', source: string) {
  return { tier, source, proposal: null, patchFile: null, diffStats: null, review: null, apply: null, commit: null };
}

/** What the next prompt is told about this attempt. */
export function feedbackOf(record: AttemptRecord, iteration: number): AttemptFeedback {
  return {
    iteration,
    tier: record.tier,
    failureClass: record.failureClass,
    summary: record.proposal?.rationale ?? `${record.tier} ${record.source}`,
    outcome: record.outcome,
    reasons: record.reasons,
  };
}
