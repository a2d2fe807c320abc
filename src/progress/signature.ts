import type { FailureAnalysis } from '../analysis/types.js';
import { isRedRequired, type GateResult } from '../gates/types.js';

/**
 * What one iteration's failure looks like, for deciding whether the last fix helped: the failing required
 * gates and the union of their normalised error signatures (stable across line numbers, runs and runners).
 */
export interface FailureSignature {
  /** Names of the failing required gates, sorted. */
  readonly failingGates: readonly string[];
  /** Normalised error signatures of those gates, sorted and unique. */
  readonly errors: readonly string[];
}

export type ProgressVerdict = 'green' | 'progress' | 'same' | 'regression';

export function failureSignature(gates: readonly GateResult[], analyses: readonly FailureAnalysis[]): FailureSignature {
  const failingGates = [...new Set(gates.filter(isRedRequired).map((gate) => gate.name))].sort();
  const failing = new Set(failingGates);
  const errors = new Set<string>();
  for (const analysis of analyses) {
    if (!failing.has(analysis.gate)) continue;
    // One entry per failing gate and class, so that a gate failing without readable errors still counts.
    errors.add(`[gate ${analysis.gate}: ${analysis.failureClass}]`);
    for (const signature of analysis.errorSignatures) errors.add(signature);
  }
  return { failingGates, errors: [...errors].sort() };
}

/** A stable key of a signature, to recognise a state the run has already been in. */
export function signatureKey(signature: FailureSignature): string {
  return JSON.stringify([signature.failingGates, signature.errors]);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sortedB = [...b].sort();
  return a.length === b.length && [...a].sort().every((value, index) => value === sortedB[index]);
}

/**
 * green: nothing required fails any more; regression: more failing gates or more errors than before;
 * same: identical gates and errors; progress: anything else (fewer, or as many but different, errors).
 */
export function compareSignatures(previous: FailureSignature, next: FailureSignature): ProgressVerdict {
  if (next.failingGates.length === 0) return 'green';
  if (next.failingGates.length > previous.failingGates.length || next.errors.length > previous.errors.length) {
    return 'regression';
  }
  if (sameSet(previous.failingGates, next.failingGates) && sameSet(previous.errors, next.errors)) return 'same';
  return 'progress';
}
