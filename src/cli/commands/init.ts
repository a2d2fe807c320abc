import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseConfigText } from '../../config/load.js';
import { UsageError } from '../../errors.js';
import { installRoot } from '../../install-root.js';
import { detectProject } from '../../project/detect.js';
import { renderInitConfig } from '../../project/init-config.js';
import type { CliIo } from '../output.js';


/** `fleet-orch init`: a commented config.yaml for the project's package manager and scripts. */
export async function initCommand(flags: { config: string; force?: boolean }, io: CliIo): Promise<void> {
  const target = path.resolve(io.cwd, flags.config);
  if (existsSync(target) && !flags.force) {
    throw new UsageError(`${flags.config} already exists; pass --force to overwrite it`);
  }
  if (!existsSync(path.join(io.cwd, 'package.json'))) {
    throw new UsageError('no package.json here: init detects Node projects; write config.yaml by hand (see the README)');
  }
  const project = detectProject(io.cwd);
  const schemaPath = path.relative(path.dirname(target), path.join(installRoot(), 'schema', 'config.schema.json')).split(path.sep).join('/');
  const { text, gates } = renderInitConfig(project, { schemaPath });
  parseConfigText(text, flags.config, {}); // what we write must load
  await writeFile(target, text);
  io.stderr.write(
    `fleet-orch: wrote ${flags.config}: gates ${gates.join(', ')}; ${project.packageManager} (from ${project.detectedFrom})\n`,
  );
}
