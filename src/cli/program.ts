import { Command, CommanderError } from 'commander';
import { ExitCode } from '../exit-codes.js';
import { registerGuardCommand } from './commands/guard.js';
import { registerPatchCommand } from './commands/patch.js';
import { registerVerifyCommand } from './commands/verify.js';
import { addCommonOptions, addRunOptions, type RunFlags } from './options.js';
import type { CliIo } from './output.js';

export interface ProgramResult {
  exitCode: number;
}

/**
 * The commander program. `fleet-orch` alone runs the loop (`run` is the default command). Each command's
 * implementation is imported when the command runs, so `--help` and `config validate` start fast. Exit
 * codes are decided here and in the commands, never by commander's own process.exit.
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
    const { runCommand } = await import('./commands/run.js');
    setExit(await runCommand(flags, io, signal, version));
  });

  addCommonOptions(program.command('gates').description('run the quality gates once and report (exit 0 when green)')).action(
    async (flags: RunFlags) => {
      const { gatesCommand } = await import('./commands/gates.js');
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
      const { demoCommand } = await import('./commands/demo.js');
      setExit(await demoCommand(flags, io, signal, version));
    });

  const config = program.command('config').description('validate config.yaml or print its JSON Schema');
  config
    .command('validate')
    .description('check a config file; every problem on its own line (exit 2 when invalid)')
    .option('-c, --config <file>', 'config file', 'config.yaml')
    .action(async (flags: { config: string }) => {
      const { validateConfigCommand } = await import('./commands/config.js');
      await validateConfigCommand(flags, io);
      setExit(ExitCode.Ok);
    });
  config
    .command('schema')
    .description('print the JSON Schema of config.yaml (draft-07, for editor completion)')
    .action(async () => {
      const { printSchemaCommand } = await import('./commands/config.js');
      printSchemaCommand(io);
      setExit(ExitCode.Ok);
    });

  program
    .command('init')
    .description("write a commented config.yaml for this project's package manager and scripts")
    .option('-c, --config <file>', 'where to write it', 'config.yaml')
    .option('--force', 'overwrite an existing file')
    .action(async (flags: { config: string; force?: boolean }) => {
      const { initCommand } = await import('./commands/init.js');
      await initCommand(flags, io);
      setExit(ExitCode.Ok);
    });

  program
    .command('analyze')
    .description('classify a CI log and distill it to the errors that matter (streams any size)')
    .argument('<log-file>', 'the log, or - for standard input')
    .option('--gate <name>', 'the gate or step that wrote the log')
    .option('--command <cmd>', 'the command that wrote the log')
    .option('--exit-code <n>', 'its exit code (default: $CI_LOG_EXIT_CODE)')
    .option('--repo <dir>', 'the repository the paths are relative to', '.')
    .option('--json', 'print one JSON object: class, excerpt, files, locations, stats')
    .action(async (source: string, flags: { gate?: string; command?: string; exitCode?: string; repo?: string; json?: boolean }) => {
      const { analyzeCommand } = await import('./commands/analyze.js');
      await analyzeCommand(source, flags, io, process.stdin);
      setExit(ExitCode.Ok);
    });

  program
    .command('doctor')
    .description('check that this machine and repository are ready for fleet-orch')
    .option('-c, --config <file>', 'config file', 'config.yaml')
    .option('--log-dir <dir>', 'where logs and reports go', 'logs')
    .option('--json', 'print the checks as JSON on stdout')
    .action(async (flags: { config: string; logDir: string; json?: boolean }) => {
      const { doctorCommand } = await import('./commands/doctor.js');
      setExit(await doctorCommand(flags, io, signal));
    });

  registerPatchCommand(program, io, setExit, signal);
  registerGuardCommand(program, io, setExit, signal);
  registerVerifyCommand(program, io, setExit, signal);
  return program;
}

/** Maps commander's own exits (help, version, usage errors) to fleet-orch exit codes. */
export function commanderExitCode(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
    return ExitCode.Ok;
  }
  return ExitCode.Usage;
}
