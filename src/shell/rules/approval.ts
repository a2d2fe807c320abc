import type { PolicyDecision } from '../policy.js';
import type { ShellRequest } from '../types.js';

/** The deployment environment a shell acts on, and whether the run may change it. */
export interface ApprovalState {
  readonly environment: string;
  /** `requires_approval` of the environment (true for prod* unless configured). */
  readonly required: boolean;
  /** `--approve-production` was given. */
  readonly approved: boolean;
}

export const APPROVAL_RULE = 'builtin:approval-required';

/**
 * Refusal of a mutating request (`mutates: true`) on an environment that requires approval nobody gave;
 * null when it may run. Reading (rollout status, smoke tests, gates) is never refused by this rule.
 */
export function approvalDenial(approval: ApprovalState | null | undefined, request: Pick<ShellRequest, 'mutates'>): PolicyDecision | null {
  if (!approval?.required || approval.approved || request.mutates !== true) return null;
  return {
    allowed: false,
    rule: APPROVAL_RULE,
    reason: `environment "${approval.environment}" requires approval: nothing that changes it runs without --approve-production`,
  };
}
