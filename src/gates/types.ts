export type GateStatus = 'passed' | 'failed' | 'timed_out';

export interface GateResult {
  readonly name: string;
  readonly command: string;
  readonly required: boolean;
  readonly status: GateStatus;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number;
  /** Both streams interleaved, redacted and bounded. */
  readonly output: string;
  readonly outputTruncated: boolean;
  /** The file with the gate's whole output (redacted), when the run keeps one; null otherwise. */
  readonly outputLogPath: string | null;
}

export function isRedRequired(gate: GateResult): boolean {
  return gate.required && gate.status !== 'passed';
}
