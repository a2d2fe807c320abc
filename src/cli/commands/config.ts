import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { configJsonSchemaText } from '../../config/json-schema.js';
import { ExitCode } from '../../exit-codes.js';
import type { CliIo } from '../output.js';

export function registerConfigCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const config = program.command('config').description('validate config.yaml or print its JSON Schema');
  config
    .command('validate')
    .description('check a config file; every problem on its own line (exit 2 when invalid)')
    .option('-c, --config <file>', 'config file', 'config.yaml')
    .action(async (options: { config: string }) => {
      const loaded = await loadConfig(options.config, io.env);
      const gates = Object.keys(loaded.config.quality_gates);
      const environments = Object.keys(loaded.config.deployment.environments);
      io.stdout.write(
        `${options.config} is valid: ${gates.length} gate(s) (${gates.join(', ')}), ${environments.length} environment(s)${environments.length ? ` (${environments.join(', ')})` : ''}\n`,
      );
      setExit(ExitCode.Ok);
    });
  config
    .command('schema')
    .description('print the JSON Schema of config.yaml (draft-07, for editor completion)')
    .action(() => {
      io.stdout.write(configJsonSchemaText());
      setExit(ExitCode.Ok);
    });
}
