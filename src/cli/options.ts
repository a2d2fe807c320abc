import { InvalidArgumentError, type Command } from 'commander';

/** Flags of `run` (and, for the common part, of `gates`). */
export interface RunFlags {
  config: string;
  environment?: string;
  dryRun?: boolean;
  maxIterations?: number;
  logDir: string;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  allowDirty?: boolean;
  force?: boolean;
  approveProduction?: boolean;
  verify?: boolean;
  deploy?: boolean;
}

export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return parsed;
}

/** The options shared by `run` and `gates`. */
export function addCommonOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'config file', 'config.yaml')
    .option('-e, --environment <name>', 'environment from deployment.environments')
    .option('--log-dir <dir>', 'where logs and reports go', 'logs')
    .option('--json', 'print the final summary as one JSON object on stdout')
    .option('-v, --verbose', 'show debug detail')
    .option('-q, --quiet', 'only errors and the final line');
}

export function addRunOptions(command: Command): Command {
  return addCommonOptions(command)
    .option('--dry-run', 'change nothing you own: run in a throw-away worktree and write the diff to <log-dir>/patches/')
    .option('--max-iterations <n>', 'at most this many fix iterations', positiveInteger)
    .option('--allow-dirty', 'start even when the working tree has uncommitted changes')
    .option('--force', 'run even on a fleet-orch branch or commit (self-trigger guard)')
    .option('--approve-production', 'allow a run on an environment that requires approval')
    .option('--verify', 'after the gates are green, check the environment (health endpoints, smoke tests)')
    .option('--deploy', 'after the gates are green: build the image, deploy, wait for rollouts, verify; undo the rollouts when that fails (exit 4)');
}
