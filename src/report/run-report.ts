import type { ReviewVerdict } from '../agents/types.js';
import type { DeliveryRecord } from '../delivery/types.js';
import type { FailureAnalysis, FailureClass } from '../analysis/types.js';
import type { DeployRecord } from '../devops/deploy-record.js';
import type { GateResult } from '../gates/types.js';
import type { HunkPlacement } from '../patch/apply.js';
import type { FailureSignature, ProgressVerdict } from '../progress/signature.js';

/** How a run ended; each maps to one exit code (see outcomeExitCode). */
export type Outcome =
  | 'green'
  | 'gave_up'
  | 'safety_stop'
  | 'budget_exceeded'
  | 'interrupted'
  | 'verification_failed'
  | 'config_error'
  | 'error';

export interface GateRecord {
  readonly name: string;
  readonly command: string;
  readonly required: boolean;
  readonly status: GateResult['status'];
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number;
  /** The last part of the output; the distilled excerpt is in the analysis. */
  readonly outputTail: string;
  readonly outputTruncated: boolean;
  /** The file with the gate's whole output (`<logDir>/gates/run-<id>-<gate>-<n>.log`), when one was kept. */
  readonly outputLogPath?: string | null;
}

export interface AnalysisRecord {
  readonly gate: string;
  readonly failureClass: FailureClass;
  readonly excerpt: string;
  readonly locations: FailureAnalysis['locations'];
}

export type AttemptOutcome =
  | 'committed'
  | 'remediated'
  | 'regression_undone'
  | 'rejected'
  | 'apply_failed'
  | 'model_error'
  | 'no_patch'
  | 'dry_run_applied';

export interface AttemptRecord {
  readonly tier: 'fixer' | 'model' | 'devops';
  readonly gate: string;
  readonly failureClass: FailureClass;
  /** The fixer's tool or the model's name. */
  readonly source: string;
  readonly proposal: { analysis: string; rootCause: string; confidence: number; rationale: string } | null;
  readonly patchFile: string | null;
  readonly diffStats: { files: string[]; added: number; removed: number } | null;
  readonly review: ReviewVerdict | null;
  /** How the patch applied: the loosest stage any hunk needed, and where each hunk went by which stage. */
  readonly apply: { applied: boolean; method: string | null; reason: string | null; hunks: readonly HunkPlacement[] } | null;
  readonly commit: string | null;
  outcome: AttemptOutcome;
  readonly reasons: string[];
}

export interface SpendRecord {
  readonly calls: number;
  readonly tokens: number;
  readonly costUsd: number;
}

export interface IterationRecord {
  readonly iteration: number;
  readonly startedAt: string;
  durationMs: number;
  readonly attempt: AttemptRecord;
  gates: GateRecord[];
  analyses: AnalysisRecord[];
  signature: FailureSignature | null;
  verdict: ProgressVerdict | 'not_run';
  spend: SpendRecord;
}

export interface RunReport {
  readonly runId: string;
  readonly tool: { readonly name: 'fleet-orch'; readonly version: string };
  readonly startedAt: string;
  finishedAt: string | null;
  durationMs: number;
  outcome: Outcome | null;
  exitCode: number | null;
  reason: string | null;
  readonly dryRun: boolean;
  readonly environment: string | null;
  readonly config: string;
  repository: {
    root: string;
    startCommit: string | null;
    startBranch: string | null;
    backupBranch: string | null;
    workBranch: string | null;
    commits: { sha: string; subject: string }[];
  };
  llm: { available: boolean; detail: string };
  initial: { gates: GateRecord[]; analyses: AnalysisRecord[]; signature: FailureSignature | null } | null;
  iterations: IterationRecord[];
  final: { gates: GateRecord[] } | null;
  usage: {
    totals: { calls: number; promptTokens: number; completionTokens: number; totalTokens: number; costUsd: number };
    calls: unknown[];
  };
  limits: Record<string, number>;
  actions: unknown[];
  verification: unknown;
  /** The deploy phase (`--deploy`); null or absent when it did not run. */
  deploy?: DeployRecord | null;
  patches: string[];
  dryRunDiff: string | null;
  /** What became of the fix commits (push, pull request, patch file); absent when the run never got to work. */
  delivery?: DeliveryRecord | null;
  files: { json: string; markdown: string; audit: string; log: string };
}

const OUTPUT_TAIL_CHARS = 4000;

export function gateRecord(gate: GateResult): GateRecord {
  const tail = gate.output.length > OUTPUT_TAIL_CHARS ? gate.output.slice(-OUTPUT_TAIL_CHARS) : gate.output;
  return {
    name: gate.name,
    command: gate.command,
    required: gate.required,
    status: gate.status,
    exitCode: gate.exitCode,
    signal: gate.signal,
    durationMs: gate.durationMs,
    outputTail: tail,
    outputTruncated: gate.outputTruncated || tail.length < gate.output.length,
    outputLogPath: gate.outputLogPath,
  };
}

export function analysisRecord(analysis: FailureAnalysis): AnalysisRecord {
  return {
    gate: analysis.gate,
    failureClass: analysis.failureClass,
    excerpt: analysis.excerpt,
    locations: analysis.locations,
  };
}
