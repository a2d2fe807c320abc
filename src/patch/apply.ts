import type { Repo } from '../git/repo.js';
import { applyPatchToDirectory } from './apply-directory.js';
import type { HunkPlacement, PatchOptions, PatchStage } from './types.js';

export type { HunkPlacement, PatchOptions, PatchStage } from './types.js';
export { applyPatchToDirectory } from './apply-directory.js';

export type ApplyResult =
  | {
      applied: true;
      /** Every path written or deleted (old and new names of a rename): commit exactly these. */
      files: string[];
      /** The loosest stage any hunk needed. */
      method: PatchStage;
      /** Where each hunk went and which stage placed it. */
      hunks: HunkPlacement[];
    }
  | { applied: false; reason: string };

/**
 * Applies a (model-written) unified diff to the working tree of `repo`, all or nothing, never to an ambiguous
 * place; the index is not touched. A refusal (unparseable diff, unsafe or protected path, a hunk that matches
 * nowhere or in several places) leaves the tree unchanged and names the file and hunk at fault.
 */
export async function applyPatch(repo: Repo, diff: string, options: PatchOptions = {}): Promise<ApplyResult> {
  const outcome = await applyPatchToDirectory(repo.root, diff, options);
  if (!outcome.applied) return { applied: false, reason: outcome.reason };
  return { applied: true, files: outcome.files, method: outcome.method, hunks: outcome.hunks };
}
