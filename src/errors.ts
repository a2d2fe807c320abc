import { ExitCode } from './exit-codes.js';

/**
 * Every error fleet-orch expects carries a stable `code`, the exit code it maps to and a one-line,
 * user-facing message. Anything else reaching the top level is a bug and is reported as such.
 */
export class FleetError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Bad flags or arguments. */
export class UsageError extends FleetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', message, ExitCode.Usage, options);
  }
}

/** A configuration file that cannot be read, parsed or validated. `issues` holds one line per problem. */
export class ConfigError extends FleetError {
  readonly issues: readonly string[];

  constructor(issues: readonly string[], options?: { cause?: unknown }) {
    super('config', issues.join('\n'), ExitCode.Usage, options);
    this.issues = issues;
  }
}

/** A stop for safety: forbidden command, protected path, self-trigger guard, production without approval. */
export class SafetyStop extends FleetError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, ExitCode.SafetyStop, options);
  }
}

/** A hard limit of the run (model calls, tokens, cost, minutes) was crossed. */
export class BudgetExceeded extends SafetyStop {
  readonly limit: string;

  constructor(limit: string, message: string) {
    super('budget', message);
    this.limit = limit;
  }
}

/** The run was interrupted by a signal. */
export class Interrupted extends FleetError {
  constructor(signal: string) {
    super('interrupted', `interrupted by ${signal}`, ExitCode.Interrupted);
  }
}

/** A git operation failed in a way the user must look at (not a refused patch, which is an attempt result). */
export class GitOperationError extends FleetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('git', message, ExitCode.GaveUp, options);
  }
}

export function isFleetError(error: unknown): error is FleetError {
  return error instanceof FleetError;
}

/** One line for any thrown value: never a stack trace for the user. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return firstLine(error.message);
  return firstLine(String(error));
}

function firstLine(text: string): string {
  const line = text.split('\n').find((candidate) => candidate.trim() !== '') ?? text;
  return line.trim();
}
