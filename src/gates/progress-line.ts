import type { GateResult } from './types.js';

/** How a finished gate is shown to a person: a success, a red required gate, or a red optional one. */
export function gateProgressLine(gate: GateResult): { kind: 'succeed' | 'fail' | 'warn'; text: string } {
  const seconds = (gate.durationMs / 1000).toFixed(1);
  if (gate.status === 'passed') return { kind: 'succeed', text: `gate ${gate.name} passed (${seconds}s)` };
  if (gate.required) {
    return { kind: 'fail', text: `gate ${gate.name} ${gate.status} (exit ${gate.exitCode ?? gate.signal}, ${seconds}s)` };
  }
  return { kind: 'warn', text: `optional gate ${gate.name} ${gate.status} (${seconds}s)` };
}
