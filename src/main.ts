import { CommanderError } from 'commander';
import { commanderExitCode, buildProgram, type ProgramResult } from './cli/program.js';
import { reportError, type CliIo } from './cli/output.js';
import { packageVersion } from './install-root.js';
import { ExitCode } from './exit-codes.js';

/**
 * The entry point: builds the CLI, turns SIGINT/SIGTERM into a graceful stop (a second signal exits at
 * once), and maps every outcome to an exit code. Returns the exit code instead of calling process.exit.
 */
export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      io.stderr.write(`fleet-orch: second ${signal}, exiting now\n`);
      process.exit(ExitCode.Interrupted);
    }
    io.stderr.write(`fleet-orch: ${signal} received, stopping (press again to exit at once)\n`);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const result: ProgramResult = { exitCode: ExitCode.Ok };
  try {
    const program = buildProgram(io, controller.signal, packageVersion(), result);
    await program.parseAsync([...argv]);
    return result.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    return reportError(error, io);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}
