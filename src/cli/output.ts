import { describeError, isFleetError, ConfigError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

/** Where a command writes: injected so that tests and `--json` can keep stdout clean. */
export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** The one line (or, for config errors, one line per problem) the user sees for an error, and its exit code. */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof ConfigError) {
    for (const issue of error.issues) io.stderr.write(`fleet-orch: config error: ${issue}\n`);
    return error.exitCode;
  }
  if (isFleetError(error)) {
    io.stderr.write(`fleet-orch: ${error.message} (exit ${error.exitCode})\n`);
    return error.exitCode;
  }
  io.stderr.write(`fleet-orch: internal error: ${describeError(error)} (exit ${ExitCode.GaveUp})\n`);
  return ExitCode.GaveUp;
}
