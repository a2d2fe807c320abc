import { SafetyStop } from '../errors.js';
import { RUN_TRAILER } from '../git/branch-names.js';
import { runIdFromMessage } from '../git/commit-message.js';

export interface StartState {
  readonly headMessage: string;
  /** The branch as git sees it, or null when detached. */
  readonly branch: string | null;
  /** The branch the CI system says it is building, when git is detached. */
  readonly ciBranch: string | null;
  /** `git status --porcelain` lines of uncommitted changes. */
  readonly dirtyPaths: readonly string[];
}

export interface GuardOptions {
  readonly force: boolean;
  readonly allowDirty: boolean;
  readonly dryRun: boolean;
}

/**
 * Refuses to start where a run would do harm or fix its own fix. Returns nothing; throws a SafetyStop
 * (exit 3) with one line that says what to do instead.
 */
export function checkStartGuards(state: StartState, options: GuardOptions): void {
  if (!options.force) {
    const earlierRun = runIdFromMessage(state.headMessage);
    if (earlierRun !== null) {
      throw new SafetyStop(
        'self-trigger',
        `HEAD is a fleet-orch commit (${RUN_TRAILER}: ${earlierRun}); refusing to fix its own fix (use --force to override)`,
      );
    }
    for (const branch of [state.branch, state.ciBranch]) {
      if (branch !== null && branch.replace(/^refs\/heads\//, '').startsWith('fleet-orch/')) {
        throw new SafetyStop(
          'self-trigger',
          `running on fleet-orch's own branch "${branch}"; refusing to fix its own fix (use --force to override)`,
        );
      }
    }
  }
  if (state.dirtyPaths.length > 0 && !options.allowDirty && !options.dryRun) {
    // Porcelain lines: two status letters, a space, the path.
    const shown = state.dirtyPaths.slice(0, 3).map((line) => line.slice(3)).join(', ');
    const more = state.dirtyPaths.length > 3 ? ` and ${state.dirtyPaths.length - 3} more` : '';
    throw new SafetyStop(
      'dirty-tree',
      `the working tree has uncommitted changes (${shown}${more}); commit or stash them, or pass --allow-dirty`,
    );
  }
}
