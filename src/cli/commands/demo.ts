import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { Repo } from '../../git/repo.js';
import { installRoot } from '../../install-root.js';
import type { CliIo } from '../output.js';
import { runCommand } from './run.js';

/** The tools the sample project's gates and fixers run, taken from this installation (no network). */
const DEMO_TOOLS = ['prettier', 'eslint', 'typescript', 'typescript-eslint', '@eslint/js', '@types/node'];
const IDENTITY = { name: 'fleet-orch demo', email: 'demo@fleet-orch.invalid' };

export function demoProjectDir(): string {
  return path.join(installRoot(), 'examples', 'demo-app');
}

/**
 * `fleet-orch demo`: copies the bundled sample project into a temp folder, makes it a git repository and
 * runs the whole loop on it: the built-in fixers repair its formatting and lint errors, no key needed.
 * With a model configured, a second round adds a type error and shows the model tier fixing it.
 */
export async function demoCommand(
  flags: { json?: boolean; verbose?: boolean; quiet?: boolean },
  io: CliIo,
  signal: AbortSignal,
  version: string,
): Promise<number> {
  const nodeModules = path.join(installRoot(), 'node_modules');
  const missing = DEMO_TOOLS.filter((tool) => !existsSync(path.join(nodeModules, tool, 'package.json')));
  if (missing.length > 0) {
    throw new UsageError(
      `the demo needs fleet-orch's development tools (${missing.join(', ')}): run npm ci in the fleet-orch checkout`,
    );
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-orch-demo-'));
  await cp(demoProjectDir(), dir, { recursive: true });
  await writeFile(path.join(dir, '.gitignore'), 'node_modules\nlogs/\nbuild/\n');
  await symlink(nodeModules, path.join(dir, 'node_modules'), 'junction');
  const repo = await Repo.initWithCommit(dir, IDENTITY, 'demo: a red build (formatting and lint errors)');
  io.stderr.write(`fleet-orch demo: sample project copied to ${dir} (a git repository with a red build)\n`);

  const run = (): Promise<number> =>
    runCommand(
      { config: 'config.yaml', logDir: 'logs', json: flags.json, verbose: flags.verbose, quiet: flags.quiet },
      { ...io, cwd: dir },
      signal,
      version,
    );
  let exitCode = await run();

  if (exitCode === ExitCode.Ok && modelConfigured(io.env)) {
    io.stderr.write('fleet-orch demo: a model is configured; round two adds a type error for the model tier\n');
    await acceptFixesOnMain(repo);
    await breakTypes(dir);
    await repo.commitAll(['src/fleet.ts'], 'demo: a type error');
    exitCode = await run();
  } else if (exitCode === ExitCode.Ok) {
    io.stderr.write('fleet-orch demo: set OPENAI_API_KEY (or OPENAI_BASE_URL) to also see the model tier fix a type error\n');
  }

  io.stderr.write(
    [
      `fleet-orch demo: look around in ${dir}`,
      `  git -C ${dir} log --oneline --all     # the backup branch, the work branch and its fix commits`,
      `  cat ${path.join(dir, 'logs')}/run-*.md             # the run summary`,
      '',
    ].join('\n'),
  );
  return exitCode;
}

function modelConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env['OPENAI_API_KEY'] || env['OPENAI_BASE_URL']);
}

/** As a person would: take the fix commits onto main, then go on from there. */
async function acceptFixesOnMain(repo: Repo): Promise<void> {
  const fixed = await repo.headSha();
  await repo.checkout('main');
  await repo.resetHard(fixed);
}

/** `summary` returns its count as a string: one TS2322 for the model to fix. */
async function breakTypes(dir: string): Promise<void> {
  const file = path.join(dir, 'src', 'fleet.ts');
  const source = await readFile(file, 'utf8');
  await writeFile(file, source.replace('const count = vehicles.length;', 'const count = `${vehicles.length}`;'));
}
