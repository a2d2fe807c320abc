import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Repo, type RepoOptions } from './repo.js';

export interface ThrowawayWorktree {
  readonly dir: string;
  /** The worktree as a repository (detached HEAD at the commit). */
  readonly repo: Repo;
  /** Deletes the worktree and prunes git's metadata for it; safe to call more than once. */
  remove(): Promise<void>;
}

/**
 * `git worktree add --detach <tmp> <commit>` outside the repository, for dry runs: the user's tree, branches
 * and HEAD stay byte-for-byte as they were. The repository's top-level node_modules is linked in when it
 * exists and is ignored, so gates can run without an install.
 */
export async function createThrowawayWorktree(
  repo: Repo,
  commit: string,
  options: RepoOptions = {},
): Promise<ThrowawayWorktree> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'fleet-orch-dry-run-')));
  let removed = false;
  const remove = async (): Promise<void> => {
    if (removed) return;
    removed = true;
    // First, so that nothing deleting the worktree can reach the user's node_modules (rm does not follow links).
    await rm(join(dir, 'node_modules'), { recursive: true, force: true });
    await repo.removeWorktree(dir).catch(() => undefined); // fails only when the directory is already gone
    await rm(dir, { recursive: true, force: true });
    await repo.pruneWorktrees();
  };
  try {
    await repo.addWorktree(dir, commit);
    const worktree = await Repo.open(dir, { ...repo.options, ...options });
    // --no-checkout plus a hard reset populates the tree without running the post-checkout hook.
    await worktree.resetHard('HEAD');
    const nodeModules = join(repo.root, 'node_modules');
    if (existsSync(nodeModules) && !existsSync(join(dir, 'node_modules')) && (await repo.isIgnored('node_modules'))) {
      await linkEntries(nodeModules, join(dir, 'node_modules'));
    }
    return { dir, repo: worktree, remove };
  } catch (error) {
    await remove().catch(() => undefined);
    throw error;
  }
}

/**
 * A real directory of links, one per entry, rather than one link to the directory: git's usual `node_modules/`
 * pattern matches directories only, so a link would show up as an untracked file in the worktree.
 */
async function linkEntries(source: string, target: string): Promise<void> {
  await mkdir(target);
  for (const entry of await readdir(source, { withFileTypes: true })) {
    await symlink(join(source, entry.name), join(target, entry.name), entry.isDirectory() ? 'junction' : 'file');
  }
}
