import { loadConfig } from '../../config/load.js';
import { configJsonSchemaText } from '../../config/json-schema.js';
import type { CliIo } from '../output.js';

/** `fleet-orch config validate`: every problem on its own line (ConfigError, exit 2), or a one-line summary. */
export async function validateConfigCommand(flags: { config: string }, io: CliIo): Promise<void> {
  const loaded = await loadConfig(flags.config, io.env);
  const gates = Object.keys(loaded.config.quality_gates);
  const environments = Object.keys(loaded.config.deployment.environments);
  const envList = environments.length > 0 ? ` (${environments.join(', ')})` : '';
  io.stdout.write(
    `${flags.config} is valid: ${gates.length} gate(s) (${gates.join(', ')}), ${environments.length} environment(s)${envList}\n`,
  );
}

/** `fleet-orch config schema`: the JSON Schema of config.yaml (draft-07). */
export function printSchemaCommand(io: CliIo): void {
  io.stdout.write(configJsonSchemaText());
}
