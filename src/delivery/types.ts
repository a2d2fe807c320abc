/** What the run may do with its fix commits (`delivery.mode`) and what it decided to do. */
export type DeliveryAction = 'none' | 'push' | 'pull_request';

/**
 * How delivery ended: `pushed` (commits on the target branch), `pull_request` (opened), `none` (nothing to
 * deliver or not confident enough: the patch stays under logs/patches/), `failed` (tried and could not: the
 * patch stays too), `dry_run` (nothing done; `reason` says what would have happened).
 */
export type DeliveryStatus = 'pushed' | 'pull_request' | 'none' | 'failed' | 'dry_run';

export interface DeliveryRecord {
  /** `delivery.mode` as configured. */
  readonly mode: DeliveryAction;
  /** What the run decided (or, in a dry run, would have decided). */
  readonly action: DeliveryAction;
  readonly status: DeliveryStatus;
  /** 0..1, see confidence.ts. */
  readonly confidence: number;
  /** Why the confidence is what it is, one line each. */
  readonly factors: readonly string[];
  /** One line: why this status. */
  readonly reason: string;
  readonly targetBranch: string | null;
  /** The branch pushed on the remote (the target for a push, the work branch for a pull request). */
  readonly remoteBranch: string | null;
  readonly pullRequestUrl: string | null;
  /** `logs/patches/run-<id>.patch` when the commits were not delivered. */
  readonly patchFile: string | null;
}
