import type { Repo } from '../git/repo.js';
import type { ThrowawayWorktree } from '../git/worktree.js';
import type { GuardedShell } from '../shell/guarded-shell.js';

/** Where the loop works: the user's repository, or a throw-away worktree in a dry run. */
export interface Workspace {
  readonly repo: Repo;
  readonly shell: GuardedShell;
  readonly worktree: ThrowawayWorktree | null;
}
