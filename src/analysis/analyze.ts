import type { GateResult } from '../gates/types.js';
import type { GateOutcome } from './classify.js';
import { describeOutcome, LogAnalyzer, type OutcomeDetails } from './log-analyzer.js';
import type { FailureAnalysis, FailureClass } from './types.js';

export interface AnalyzeOptions {
  readonly repoRoot: string;
  /** Budget of the excerpt, including its header lines (tokens estimated as ceil(chars / 4)). */
  readonly maxExcerptTokens: number;
  readonly fileExists?: (relPath: string) => boolean;
}

/** How a gate ended, as the analysis describes it. */
export function outcomeOf(gate: GateResult): OutcomeDetails {
  return {
    gate: gate.name,
    command: gate.command,
    exitCode: gate.exitCode,
    signal: gate.signal,
    timedOut: gate.status === 'timed_out',
    durationMs: gate.durationMs,
    outputTruncated: gate.outputTruncated,
  };
}

/** One line saying how the gate ended, so that a timeout or a kill is visible even in an empty log. */
export function describeGateOutcome(gate: GateResult): string {
  return describeOutcome(outcomeOf(gate));
}

/**
 * Classifies, distils and locates one failed gate from its in-memory (bounded) output. Pure except for the
 * file-existence checks. For a whole log on disk or in a stream use analyze-stream.ts: same analysis.
 */
export function analyzeGate(gate: GateResult, options: AnalyzeOptions): FailureAnalysis {
  const analyzer = new LogAnalyzer(options);
  analyzer.pushText(gate.output);
  return analyzer.finish(outcomeOf(gate));
}

/** The class of a failure whose whole log is in memory. */
export function classifyFailure(input: GateOutcome & { readonly log: string }): FailureClass {
  const analyzer = new LogAnalyzer({ repoRoot: '/', maxExcerptTokens: 0, fileExists: () => false });
  analyzer.pushText(input.log);
  return analyzer.finish(input).failureClass;
}
