import type { ActionRecord } from './executor.js';
import type { BuildPath } from './image-build.js';

/** The deploy phase (`--deploy`) as the run report records it. */

export type DeployStage = 'prepare' | 'build' | 'deploy' | 'rollout' | 'verify' | 'undo';

export interface DeployStep {
  stage: DeployStage;
  action: ActionRecord;
}

export interface UndoRecord {
  deployment: string;
  /** The revision it went back to; null when nothing was undone. */
  toRevision: number | null;
  ok: boolean;
  detail: string;
}

export interface DeployRecord {
  environment: string;
  dryRun: boolean;
  /** passed: built, deployed, rolled out, verified. printed: a dry run (mutating commands printed, nothing ran). */
  status: 'passed' | 'failed' | 'printed';
  failedStage: DeployStage | null;
  /** One line. */
  reason: string;
  /** Which build path built the image (output variable image_build_path); null when none did or none ran. */
  imageBuiltBy: BuildPath | null;
  undone: UndoRecord[];
  /** Every action of the phase in order, with its exact commands: run, printed (dry run) or planned. */
  steps: DeployStep[];
}
