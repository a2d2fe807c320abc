import type { RequestLog } from './http.js';

/** What a pull request says, whatever the host. */
export interface PullRequestContent {
  readonly title: string;
  /** Markdown. */
  readonly body: string;
  /** The pushed work branch. */
  readonly sourceBranch: string;
  readonly targetBranch: string;
  readonly labels: readonly string[];
}

export interface OpenedPullRequest {
  /** The web address a person opens. */
  readonly url: string;
  readonly id: number;
  /** Things that went wrong after the pull request was opened (a label that could not be added). */
  readonly warnings: readonly string[];
}

export interface RequestOptions {
  readonly token: string;
  /** The variable the token came from, to name in messages. */
  readonly tokenEnv: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly log?: RequestLog;
}
