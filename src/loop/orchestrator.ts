import type { AttemptFeedback } from '../agents/types.js';
import { analyzeFailedGate } from '../analysis/analyze-stream.js';
import type { FailureAnalysis } from '../analysis/types.js';
import { BudgetExceeded, Interrupted } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { gateProgressLine } from '../gates/progress-line.js';
import { runGates } from '../gates/run-gates.js';
import { isRedRequired, type GateResult } from '../gates/types.js';
import { backupBranchName, workBranchName } from '../git/branch-names.js';
import { createThrowawayWorktree } from '../git/worktree.js';
import { compareSignatures, failureSignature, signatureKey, type FailureSignature } from '../progress/signature.js';
import { analysisRecord, gateRecord, type IterationRecord } from '../report/run-report.js';
import { deployAfterGreen } from './deploy-step.js';
import { tryDevopsRemediation } from './devops-step.js';
import { attemptFix, feedbackOf } from './fix-attempt.js';
import type { Workspace } from './workspace.js';
import { finishRun, type LoopResult, type RunResult } from './finish.js';
import { noteProgress, shellFor, type NoteKind, type RunSession } from './session.js';
import { verifyAfterGreen } from './verify-step.js';

interface GateRound {
  readonly gates: GateResult[];
  readonly analyses: FailureAnalysis[];
  readonly signature: FailureSignature;
}

/** The loop of the spec: gates → analyse → fix (fixer or model) → review → apply + commit → gates again. */
export class Orchestrator {
  private workspace: Workspace | null = null;
  private branchesReady = false;
  private readonly history: AttemptFeedback[] = [];
  private readonly fixersTried = new Set<string>();
  private readonly seenSignatures = new Set<string>();
  private readonly actionsTried = new Set<string>();
  /** Environment gates need from now on (the Node heap a DevOps action found to work). */
  private readonly gateEnv: Record<string, Readonly<Record<string, string>>> = {};
  private readonly deadline: number;

  constructor(private readonly session: RunSession) {
    this.deadline = session.startedAt.getTime() + session.config.agents.orchestrator.max_minutes * 60_000;
  }

  async run(): Promise<RunResult> {
    const { session } = this;
    const onAbort = (): void => {
      void this.workspace?.shell.killAll();
    };
    session.options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.workspace = await this.openWorkspace();
      const result = await this.loop(this.workspace);
      return await finishRun(session, this.workspace, result);
    } catch (error) {
      return await finishRun(session, this.workspace, { error });
    } finally {
      session.options.signal.removeEventListener('abort', onAbort);
    }
  }

  private async openWorkspace(): Promise<Workspace> {
    const { session } = this;
    if (!session.dryRun) {
      return { repo: session.repo, shell: shellFor(session, session.repo.root), worktree: null };
    }
    // A dry run works on a snapshot of the user's tree (uncommitted changes included) in a throw-away worktree.
    const snapshot = (await session.repo.stashCreate()) ?? session.startCommit;
    const identity = { name: session.config.git.user_name, email: session.config.git.user_email };
    const worktree = await createThrowawayWorktree(session.repo, snapshot, { identity });
    const { repo } = worktree;
    this.progress('info', `dry run: working in a throw-away worktree (${worktree.dir}); your tree stays as it is`);
    return { repo, shell: shellFor(session, worktree.dir), worktree };
  }

  private async loop(workspace: Workspace): Promise<LoopResult> {
    const { session } = this;
    const limits = session.config.agents.orchestrator;
    if (!session.llm.available) this.progress('warn', session.llm.reason);

    let round = await this.runGateRound(workspace, 'initial');
    session.report.initial = {
      gates: round.gates.map(gateRecord),
      analyses: round.analyses.map(analysisRecord),
      signature: round.signature,
    };
    this.seenSignatures.add(signatureKey(round.signature));
    if (round.signature.failingGates.length === 0) {
      session.report.final = { gates: round.gates.map(gateRecord) };
      return this.greenResult('every required gate is already green');
    }

    let noProgress = 0;
    for (let iteration = 1; iteration <= limits.max_iterations; iteration += 1) {
      this.checkTimeAndSignal();
      session.ledger.iteration = iteration;
      const { record, next } = await this.iterate(workspace, iteration, round);
      session.report.iterations.push(record);
      round = next;
      session.report.final = { gates: round.gates.map(gateRecord) };

      if (record.verdict === 'green') {
        return this.greenResult(`every required gate is green after ${iteration} iteration(s)`);
      }
      noProgress = record.verdict === 'progress' ? 0 : noProgress + 1;
      if (record.attempt.outcome === 'no_patch' && !session.llm.available) {
        return {
          outcome: 'gave_up',
          exitCode: ExitCode.GaveUp,
          reason: `${record.attempt.reasons[0] ?? 'nothing to try'}; ${session.llm.reason}`,
        };
      }
      if (noProgress >= limits.max_no_progress_iterations) {
        return {
          outcome: 'gave_up',
          exitCode: ExitCode.GaveUp,
          reason: `no progress in ${noProgress} iteration(s) in a row (agents.orchestrator.max_no_progress_iterations=${limits.max_no_progress_iterations})`,
        };
      }
    }
    return {
      outcome: 'gave_up',
      exitCode: ExitCode.GaveUp,
      reason: `still red after ${limits.max_iterations} iteration(s) (agents.orchestrator.max_iterations)`,
    };
  }

  /** One attempt and, when it committed something, the gates again. Returns the round the next iteration starts from. */
  private async iterate(
    workspace: Workspace,
    iteration: number,
    round: GateRound,
  ): Promise<{ record: IterationRecord; next: GateRound }> {
    const { session } = this;
    const startedAt = session.now();
    const spendBefore = session.ledger.totals();
    const target = pickTarget(round);
    session.reporter.group(`fleet-orch iteration ${iteration}: ${target.gate} (${target.failureClass})`);
    try {
      this.progress('info', `iteration ${iteration}: fixing gate "${target.gate}" (${target.failureClass})`);
      const remediation = await tryDevopsRemediation(target, session, { shell: workspace.shell, cwd: workspace.repo.root }, this.actionsTried);
      if (remediation?.gateEnv) this.gateEnv[target.gate] = remediation.gateEnv;
      const attempt = remediation?.attempt ?? await attemptFix(target, {
        runId: session.runId,
        iteration,
        config: session.config,
        repo: workspace.repo,
        shell: workspace.shell,
        codex: session.codex,
        jules: session.jules,
        redactor: session.redactor,
        logDir: session.logDir,
        signal: session.options.signal,
        history: this.history,
        fixersTried: this.fixersTried,
        fixersAllowed: session.dryRun || !session.options.allowDirty,
        beforeFirstChange: () => this.prepareBranches(workspace),
        note: (text) => this.progress('info', text),
      });
      if (attempt.patchFile) session.report.patches.push(attempt.patchFile);
      const record: IterationRecord = {
        iteration,
        startedAt: startedAt.toISOString(),
        durationMs: 0,
        attempt,
        gates: [],
        analyses: [],
        signature: null,
        verdict: 'not_run',
        spend: { calls: 0, tokens: 0, costUsd: 0 },
      };
      let next = round;
      if (attempt.outcome === 'committed' || attempt.outcome === 'remediated') {
        const what = attempt.commit ? `committed ${attempt.commit.slice(0, 10)}` : 'remediated';
        this.progress('succeed', `iteration ${iteration}: ${what} (${attempt.tier}: ${attempt.source})`);
        const after = await this.runGateRound(workspace, `iteration ${iteration}`);
        record.gates = after.gates.map(gateRecord);
        record.analyses = after.analyses.map(analysisRecord);
        record.signature = after.signature;
        record.verdict = compareSignatures(round.signature, after.signature);
        // Going back to a state the run was already in (A → B → A) is not progress, whatever the counts say.
        if (record.verdict === 'progress' && this.seenSignatures.has(signatureKey(after.signature))) record.verdict = 'same';
        this.seenSignatures.add(signatureKey(after.signature));
        if (record.verdict === 'regression') {
          if (attempt.commit !== null) await workspace.repo.resetHard('HEAD~1');
          else delete this.gateEnv[target.gate];
          attempt.outcome = 'regression_undone';
          attempt.reasons.push(`the gates got worse after this ${attempt.tier} change; it was undone`);
          this.progress('warn', `iteration ${iteration}: regression, change undone`);
        } else {
          next = after;
          this.progress('info', `iteration ${iteration}: ${record.verdict}`);
        }
      } else {
        this.progress('fail', `iteration ${iteration}: ${attempt.outcome.replace('_', ' ')}: ${attempt.reasons[0] ?? ''}`);
      }
      this.history.push(feedbackOf(attempt, iteration));
      const spendAfter = session.ledger.totals();
      record.spend = {
        calls: spendAfter.calls - spendBefore.calls,
        tokens: spendAfter.totalTokens - spendBefore.totalTokens,
        costUsd: spendAfter.costUsd - spendBefore.costUsd,
      };
      record.durationMs = session.now().getTime() - startedAt.getTime();
      return { record, next };
    } finally {
      session.reporter.endGroup();
    }
  }

  private async runGateRound(workspace: Workspace, label: string): Promise<GateRound> {
    const { session } = this;
    this.checkTimeAndSignal();
    // One CI log group per gate run: a red gate's lines are one click away, in the order they ran.
    let openGroup = false;
    let gates: GateResult[];
    try {
      gates = await runGates(workspace.shell, session.config.quality_gates, {
        cwd: workspace.repo.root,
        signal: session.options.signal,
        gateEnv: this.gateEnv,
        outputLogs: { logDir: session.logDir, runId: session.runId },
        hooks: {
          onGateStart: (name, command) => {
            session.reporter.group(`fleet-orch gate ${name} (${label})`);
            openGroup = true;
            this.progress('start', `gate ${name}: ${command}`);
          },
          onGateEnd: (gate) => {
            const { kind, text } = gateProgressLine(gate);
            this.progress(kind, text);
            session.reporter.endGroup();
            openGroup = false;
          },
        },
      });
    } finally {
      if (openGroup) session.reporter.endGroup();
    }
    this.checkTimeAndSignal();
    const analyses: FailureAnalysis[] = [];
    for (const gate of gates.filter((gate) => gate.status !== 'passed')) {
      // A truncated capture is analysed from the gate's whole output log (see analyzeFailedGate).
      const options = { repoRoot: workspace.repo.root, maxExcerptTokens: session.config.analysis.max_excerpt_tokens };
      analyses.push(await analyzeFailedGate(gate, options));
    }
    for (const analysis of analyses) {
      session.logger.info(`gate ${analysis.gate} failed: class ${analysis.failureClass}, ${analysis.locations.length} location(s)`);
      for (const location of analysis.locations.slice(0, 20)) {
        session.reporter.error({ file: location.file, line: location.line, column: location.column, message: location.message });
      }
    }
    return { gates, analyses, signature: failureSignature(gates, analyses) };
  }

  /** Before the first change: the backup branch at the starting commit, then the work branch. */
  private async prepareBranches(workspace: Workspace): Promise<void> {
    const { session } = this;
    // A dry run commits in its throw-away worktree as the configured identity, writing no git config.
    if (this.branchesReady || session.dryRun) return;
    await workspace.repo.ensureIdentity(session.config.git.user_name, session.config.git.user_email);
    const backup = backupBranchName(session.startedAt);
    const work = workBranchName(session.runId);
    await workspace.repo.createBranch(backup, session.startCommit);
    session.report.repository.backupBranch = backup;
    await workspace.repo.switchToNewBranch(work);
    session.report.repository.workBranch = work;
    this.branchesReady = true;
    this.progress('info', `backup branch ${backup} at ${session.startCommit.slice(0, 10)}; working on ${work}`);
  }

  private async greenResult(reason: string): Promise<LoopResult> {
    const workspace = this.workspace;
    const target = workspace === null ? null : { shell: workspace.shell, root: workspace.repo.root };
    // --deploy builds, deploys and verifies (its verification replaces --verify's).
    const deployed = await deployAfterGreen(this.session, target, reason);
    if (deployed !== null) return deployed;
    const verification = await verifyAfterGreen(this.session, target);
    if (verification !== null && !verification.passed) {
      return { outcome: 'verification_failed', reason: `gates green, but ${verification.summary}`, exitCode: ExitCode.VerificationFailed };
    }
    return { outcome: 'green', reason, exitCode: ExitCode.Ok };
  }

  private checkTimeAndSignal(): void {
    const { signal } = this.session.options;
    if (signal.aborted) throw new Interrupted(String(signal.reason ?? 'SIGINT'));
    if (this.session.now().getTime() > this.deadline) {
      const minutes = this.session.config.agents.orchestrator.max_minutes;
      throw new BudgetExceeded('max_minutes', `time limit reached: agents.orchestrator.max_minutes=${minutes}`);
    }
  }

  private progress(kind: NoteKind, text: string): void {
    noteProgress(this.session, kind, text);
  }
}

/** The first failing required gate, in config order. */
function pickTarget(round: GateRound): FailureAnalysis {
  const required = new Set(round.gates.filter(isRedRequired).map((gate) => gate.name));
  const target = round.analyses.find((analysis) => required.has(analysis.gate)) ?? round.analyses[0];
  if (!target) throw new Error('pickTarget: no failing gate');
  return target;
}

