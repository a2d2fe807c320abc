/** The process exit codes of the product (SPEC "Exit codes"). Pipelines rely on these numbers. */
export const ExitCode = {
  /** Every required gate is green (and verification passed where it ran). */
  Ok: 0,
  /** Gave up: iterations used, no progress, every patch rejected. */
  GaveUp: 1,
  /** Usage or configuration error. */
  Usage: 2,
  /** A safety stop: forbidden operation, protected path, budget limit, self-trigger guard. */
  SafetyStop: 3,
  /** Verification failed after the gates were green. */
  VerificationFailed: 4,
  /** Interrupted by SIGINT or SIGTERM. */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
