import { Evidence } from './class-evidence.js';
import type { FailureClass } from './types.js';

/**
 * Classifies a failed gate by the cause an engineer would triage. Causes beat symptoms: a timeout, an
 * out-of-memory kill, a network failure, a broken install or a tool that cannot load its config explain
 * whatever else the log says, so they are decided first. Then the tools' own failure reports decide (tsc,
 * eslint, prettier, test runners, bundlers, compilers, config parsers); when several tools left evidence, the
 * gate's name and command break the tie, and they alone decide when the log is unreadable. Only the step that
 * failed the gate gives evidence (see log-analyzer.ts), and only its confirmed errors (see step-analysis.ts).
 */

export interface GateOutcome {
  readonly gate: string;
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
}

type EvidenceClass = 'typecheck' | 'lint' | 'format' | 'build' | 'test' | 'config';

/** When evidence of several classes is present and no hint decides: the most specific first. */
const EVIDENCE_PRIORITY: readonly EvidenceClass[] = ['typecheck', 'lint', 'format', 'build', 'test', 'config'];

const NAME_HINTS: readonly (readonly [RegExp, FailureClass])[] = [
  [/\b(?:tsc|typecheck|type-check|types|check-types|mypy|pyright)\b/i, 'typecheck'],
  [/\b(?:prettier|format|fmt|formatting|black)\b|format --check/i, 'format'],
  [/\b(?:eslint|lint|linter|ruff|clippy|flake8|golangci-lint|vet)\b/i, 'lint'],
  [/\b(?:test|tests|vitest|jest|mocha|ava|pytest)\b|node --test\b/i, 'test'],
  [/\b(?:build|compile|webpack|vite|esbuild|rollup|tsup|bundle|docker)\b/i, 'build'],
  [/\b(?:install|deps|dependencies)\b|\b(?:npm|pnpm|yarn) (?:ci|install|i)\b|^\s*yarn\s*$|pip install/i, 'dependency'],
  [/\b(?:deploy|kubectl|helm|az|terraform)\b/i, 'config'],
];

/** Classes suggested by the gate name (first) and its command (second), without duplicates. */
export function hintedClasses(gate: string, command: string): FailureClass[] {
  const hints: FailureClass[] = [];
  for (const text of [gate, command]) {
    for (const [pattern, failureClass] of NAME_HINTS) {
      if (pattern.test(text) && !hints.includes(failureClass)) hints.push(failureClass);
    }
  }
  return hints;
}

function evidenceClasses(evidence: number): EvidenceClass[] {
  const found = EVIDENCE_PRIORITY.filter((failureClass) => (evidence & Evidence[failureClass]) !== 0);
  // tsc complaining only about its own options is a configuration error.
  if ((evidence & Evidence.tscConfig) !== 0 && !found.includes('typecheck') && !found.includes('config')) {
    found.push('config');
  }
  // A failed docker step with nothing more specific inside it is a build failure.
  if (found.length === 0 && (evidence & Evidence.dockerStep) !== 0) found.push('build');
  return found;
}

/** The class of a failed gate from its outcome and the `Evidence` bits of the step that failed it. */
export function decideClass(outcome: GateOutcome, evidence: number): FailureClass {
  if (outcome.timedOut) return 'timeout';
  if (outcome.exitCode === 137 || outcome.signal === 'SIGKILL' || (evidence & Evidence.oom) !== 0) return 'oom';
  if ((evidence & Evidence.timeout) !== 0) return 'timeout';
  if ((evidence & Evidence.network) !== 0) return 'network';
  const hints = hintedClasses(outcome.gate, outcome.command);
  if ((evidence & Evidence.dependency) !== 0) return 'dependency';
  if (hints.includes('dependency') && (evidence & Evidence.moduleNotFound) !== 0) return 'dependency';
  if ((evidence & Evidence.configCause) !== 0) return 'config';

  const found = evidenceClasses(evidence);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) return hints[0] ?? 'unknown';
  const hinted = hints.find((hint): hint is EvidenceClass => found.includes(hint as EvidenceClass));
  return hinted ?? found[0]!;
}
