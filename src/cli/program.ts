import { Command, CommanderError } from 'commander';
import { ExitCode } from '../exit-codes.js';
import { registerConfigCommands } from './commands/config.js';
import { demoCommand } from './commands/demo.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { gatesCommand } from './commands/gates.js';
import { registerInitCommand } from './commands/init.js';
import { addCommonOptions, addRunOptions, runCommand, type RunFlags } from './commands/run.js';
import type { CliIo } from './output.js';

export interface ProgramResult {
  exitCode: number;
}

/**
 * The commander program. `fleet-orch` alone runs the loop (`run` is the default command). Exit codes are
 * decided here and in the commands, never by commander's own process.exit.
 */
export function buildProgram(io: CliIo, signal: AbortSignal, version: string, result: ProgramResult): Command {
  const setExit = (code: number): void => {
    result.exitCode = code;
  };
  const program = new Command('fleet-orch')
    .description('Turns red CI builds green by itself, safely.')
    .version(version, '-V, --version')
    .showHelpAfterError('(run fleet-orch --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  addRunOptions(
    program
      .command('run', { isDefault: true })
      .description('run the loop: gates → analyse → fix → review → commit → gates, then verify'),
  ).action(async (flags: RunFlags) => {
    setExit(await runCommand(flags, io, signal, version));
  });

  addCommonOptions(program.command('gates').description('run the quality gates once and report (exit 0 when green)')).action(
    async (flags: RunFlags) => {
      setExit(await gatesCommand(flags, io, signal));
    },
  );

  program
    .command('demo')
    .description('copy the bundled sample project to a temp folder and repair its red build (no key needed)')
    .option('--json', 'print the final summary as one JSON object on stdout')
    .option('-v, --verbose', 'show debug detail')
    .option('-q, --quiet', 'only errors and the final line')
    .action(async (flags: { json?: boolean; verbose?: boolean; quiet?: boolean }) => {
      setExit(await demoCommand(flags, io, signal, version));
    });

  registerConfigCommands(program, io, setExit);
  registerInitCommand(program, io, setExit);
  registerDoctorCommand(program, io, setExit, signal);
  return program;
}

/** Maps commander's own exits (help, version, usage errors) to fleet-orch exit codes. */
export function commanderExitCode(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
    return ExitCode.Ok;
  }
  return ExitCode.Usage;
}
