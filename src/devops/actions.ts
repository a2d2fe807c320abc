import type { AnyDevopsAction } from './action-types.js';
import { acrLogin, aksCredentials } from './azure-prep.js';
import { deployCommands } from './deploy-commands.js';
import { switchBuildAgent } from './image-build.js';
import { rolloutRestart, rolloutRevision, rolloutStatus, rolloutUndo } from './kube-rollouts.js';
import { raiseNodeHeap } from './node-heap.js';

/*
 * The DevOps agent's catalog: typed, allow-listed remediation actions. Each declares the failure classes and
 * signals it answers, its preconditions, its exact commands, whether it mutates, and where it may run. The
 * executor runs each through a guarded shell in allow-list mode (only the commands the action declares). Nothing
 * here deletes a resource or touches a secret, and the shell's built-in rules refuse it if anything tried.
 */

export * from './action-types.js';
export * from './azure-prep.js';
export * from './deploy-commands.js';
export * from './image-build.js';
export * from './kube-rollouts.js';
export * from './node-heap.js';

export const DEVOPS_ACTIONS: readonly AnyDevopsAction[] = [
  raiseNodeHeap,
  switchBuildAgent,
  rolloutStatus,
  rolloutRestart,
  rolloutUndo,
  rolloutRevision,
  aksCredentials,
  acrLogin,
  deployCommands,
];
