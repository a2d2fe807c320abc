import type { Progress } from '../logging/progress.js';

/** Everything a run needs from the outside world; the CLI builds it from flags and process state. */
export interface RunOptions {
  readonly cwd: string;
  readonly configPath: string;
  readonly environment: string | undefined;
  readonly dryRun: boolean;
  readonly maxIterations: number | undefined;
  readonly logDir: string;
  readonly allowDirty: boolean;
  readonly force: boolean;
  readonly approveProduction: boolean;
  readonly verify: boolean;
  /** After green gates: build the image, deploy, wait for rollouts, verify (undo on failure). */
  readonly deploy: boolean;
  readonly verbose: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
  readonly progress: Progress;
  /** Where CI logging commands go (stdout normally; stderr when --json keeps stdout for the summary). */
  readonly writeCiLine: (line: string) => void;
  readonly version: string;
  readonly now?: () => Date;
}
