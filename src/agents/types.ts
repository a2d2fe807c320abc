import type { FailureClass } from '../analysis/types.js';

/** What the Codex agent proposes. */
export interface PatchProposal {
  readonly analysis: string;
  readonly rootCause: string;
  /** 0..1 */
  readonly confidence: number;
  /** One line for the commit message. */
  readonly rationale: string;
  /** One unified diff. */
  readonly diff: string;
}

export type FindingSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export interface ReviewFinding {
  /** Rule id (`secret`, `protected-path`, `blast-radius`, `weakened-test`, `dangerous-api`, `shell-concat`,
   *  `sql-concat`, `tls-disabled`) or `model`. */
  readonly rule: string;
  readonly severity: FindingSeverity;
  readonly message: string;
  readonly file: string | null;
  readonly line: number | null;
}

export interface ReviewVerdict {
  readonly decision: 'approve' | 'reject';
  readonly findings: readonly ReviewFinding[];
  /** Which checks decided: rules only (a rule hit, or no model), or rules and then the model. */
  readonly decidedBy: 'rules' | 'model';
  readonly confidence: number | null;
  readonly summary: string;
}

/** What an earlier attempt tried and why it failed; fed back into the next prompt. */
export interface AttemptFeedback {
  readonly iteration: number;
  readonly tier: 'fixer' | 'model' | 'devops';
  readonly failureClass: FailureClass;
  readonly summary: string;
  readonly outcome: string;
  readonly reasons: readonly string[];
}
