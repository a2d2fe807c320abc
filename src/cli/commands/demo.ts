import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Repo } from '../../git/repo.js';
import type { CliIo } from '../output.js';
import { runCommand } from './run.js';

/** The bundled sample project (examples/demo-app), one level above both src/ and dist/. */
export function demoProjectDir(): string {
  return fileURLToPath(new URL('../../../examples/demo-app', import.meta.url));
}

/**
 * `fleet-orch demo`: copies the bundled sample project into a temp folder, makes it a git repository and
 * runs the whole loop on it. No key and no network needed: the built-in format fixer repairs it.
 */
export async function demoCommand(
  flags: { json?: boolean; verbose?: boolean; quiet?: boolean; keep?: boolean },
  io: CliIo,
  signal: AbortSignal,
  version: string,
): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-orch-demo-'));
  await cp(demoProjectDir(), dir, { recursive: true });
  await writeFile(path.join(dir, '.gitignore'), 'logs/\nnode_modules/\n');
  await Repo.initWithCommit(dir, { name: 'fleet-orch demo', email: 'demo@fleet-orch.invalid' }, 'demo: a red build');
  io.stderr.write(`fleet-orch demo: sample project copied to ${dir} (a git repository with a red build)\n`);

  const exitCode = await runCommand(
    { config: 'config.yaml', logDir: 'logs', json: flags.json, verbose: flags.verbose, quiet: flags.quiet },
    { ...io, cwd: dir },
    signal,
    version,
  );
  io.stderr.write(
    [
      `fleet-orch demo: look around in ${dir}`,
      `  git -C ${dir} log --oneline --all     # the backup branch, the work branch and its fix commit`,
      `  cat ${path.join(dir, 'logs')}/run-*.md             # the run summary`,
      '',
    ].join('\n'),
  );
  return exitCode;
}
