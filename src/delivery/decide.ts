import type { DeliveryConfig } from '../config/schema.js';
import { isProtectedBranch } from '../git/protected-branches.js';
import type { DeliveryAction } from './types.js';

export interface DecisionInput {
  readonly config: Pick<DeliveryConfig, 'mode' | 'auto_push_threshold' | 'pull_request_threshold'>;
  readonly confidence: number;
  readonly green: boolean;
  readonly commits: number;
  readonly workBranch: string | null;
  readonly targetBranch: string | null;
  readonly protectedBranches: readonly string[];
}

export interface Decision {
  readonly action: DeliveryAction;
  readonly reason: string;
}

/**
 * What to do with the fix commits. `mode` is the most the run may do: `push` falls back to a pull request
 * when the confidence is below `auto_push_threshold` or the target is protected (main/master never take a
 * push); below `pull_request_threshold` the fix stays a patch file.
 */
export function decideDelivery(input: DecisionInput): Decision {
  const { config, confidence } = input;
  if (config.mode === 'none') return none('delivery.mode is none');
  if (input.commits === 0 || input.workBranch === null) return none('no fix commits to deliver');
  if (!input.green) return none('the run did not end green');
  const target = input.targetBranch;
  if (target === null) {
    return none('no target branch: the run started on a detached HEAD and the CI names no branch (set delivery.target_branch)');
  }
  if (target === input.workBranch) return none(`the target branch is the work branch ${target}`);
  const shown = confidence.toFixed(2);
  let fallback = '';
  if (config.mode === 'push') {
    if (isProtectedBranch(target, input.protectedBranches)) {
      fallback = `${target} is protected, so never pushed to; `;
    } else if (confidence >= config.auto_push_threshold) {
      return { action: 'push', reason: `confidence ${shown} ≥ auto_push_threshold ${config.auto_push_threshold}: push onto ${target}` };
    } else {
      fallback = `confidence ${shown} < auto_push_threshold ${config.auto_push_threshold}; `;
    }
  }
  if (confidence >= config.pull_request_threshold) {
    return {
      action: 'pull_request',
      reason: `${fallback}confidence ${shown} ≥ pull_request_threshold ${config.pull_request_threshold}: pull request ${input.workBranch} → ${target}`,
    };
  }
  return none(`${fallback}confidence ${shown} < pull_request_threshold ${config.pull_request_threshold}: the fix stays a patch file`);
}

function none(reason: string): Decision {
  return { action: 'none', reason };
}
