import type { GateResult } from '../gates/types.js';
import { classifyCleanLog } from './classify.js';
import { distillLines, estimateTokens, isErrorLine } from './distill.js';
import { defaultFileExists, findErrorLocations } from './locations.js';
import { cleanLogLines } from './strip.js';
import type { FailureAnalysis } from './types.js';

export interface AnalyzeOptions {
  readonly repoRoot: string;
  /** Budget of the excerpt, including its one-line header (tokens estimated as ceil(chars / 4)). */
  readonly maxExcerptTokens: number;
  readonly fileExists?: (relPath: string) => boolean;
}

/** One line saying how the gate ended, so that a timeout or a kill is visible even in an empty log. */
export function describeGateOutcome(gate: GateResult): string {
  let outcome: string;
  if (gate.status === 'timed_out') outcome = `timed out after ${(gate.durationMs / 1000).toFixed(0)} s`;
  else if (gate.signal !== null) outcome = `killed by ${gate.signal}`;
  else if (gate.exitCode !== null) outcome = `exit code ${gate.exitCode}`;
  else outcome = gate.status;
  const truncated = gate.outputTruncated ? ' (output truncated: head and tail kept)' : '';
  return `gate "${gate.name}" (${gate.command}): ${outcome}${truncated}`;
}

/** Classifies, distils and locates one failed gate. Pure except for the file-existence checks. */
export function analyzeGate(gate: GateResult, options: AnalyzeOptions): FailureAnalysis {
  const lines = cleanLogLines(gate.output);
  const failureClass = classifyCleanLog(
    {
      gate: gate.name,
      command: gate.command,
      exitCode: gate.exitCode,
      signal: gate.signal,
      timedOut: gate.status === 'timed_out',
    },
    lines,
  );

  const header = describeGateOutcome(gate);
  const headerTokens = estimateTokens(`${header}\n`);
  const withHeader = options.maxExcerptTokens > headerTokens;
  const distilled = distillLines(lines, {
    maxTokens: withHeader ? options.maxExcerptTokens - headerTokens : options.maxExcerptTokens,
    repoRoot: options.repoRoot,
  });
  const body = distilled.excerpt;
  const excerpt = withHeader ? (body === '' ? header : `${header}\n${body}`) : body;

  const locations = findErrorLocations(lines, {
    repoRoot: options.repoRoot,
    fileExists: options.fileExists ?? defaultFileExists(options.repoRoot),
    isErrorLine,
  });

  return { gate: gate.name, failureClass, excerpt, errorSignatures: distilled.signatures, locations };
}
