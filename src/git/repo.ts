import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitPluginError, simpleGit, type SimpleGit } from 'simple-git';
import { GitOperationError, UsageError } from '../errors.js';

export interface RepoOptions {
  /**
   * The whole environment git runs with (default: inherited). simple-git refuses some variables outright
   * (EDITOR, PAGER, GIT_CONFIG_GLOBAL, GIT_SSH_COMMAND, ...), so pass only what git needs.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill git when it prints nothing for this long. */
  readonly blockTimeoutMs?: number;
  /**
   * Commit as this identity through `-c user.name=… -c user.email=…` on every command, without writing any
   * git config (dry runs commit in a throw-away worktree whose config is the user's repository's).
   */
  readonly identity?: { readonly name: string; readonly email: string };
}

export interface GitApplyOptions {
  /** `-p<n>`: 1 for `a/`/`b/`-prefixed names, 0 for bare repository-relative names. */
  readonly stripComponents: 0 | 1;
  /** `--recount`: trust the hunk bodies, not the line counts in the `@@` headers. */
  readonly recount: boolean;
}

const DEFAULT_BLOCK_TIMEOUT_MS = 60_000;
/** Display-independent diffs: no user diff drivers or pagers run, names always carry `a/` and `b/`. */
const DIFF_FLAGS = ['--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/'];

/**
 * The repository fleet-orch works in, through simple-git. Every method works from a detached HEAD, as CI
 * checkouts are. No hook runs except post-checkout in checkout() (commits use --no-verify, branch switches
 * and worktrees use plumbing): every command fleet-orch runs goes through its guarded shell, and a hook
 * would be a command outside it.
 */
export class Repo {
  private constructor(
    readonly root: string,
    readonly options: RepoOptions,
    private readonly git: SimpleGit,
  ) {}

  static async open(cwd: string, options: RepoOptions = {}): Promise<Repo> {
    let root: string;
    try {
      root = (await createGit(cwd, options).raw(['rev-parse', '--show-toplevel'])).trim();
    } catch {
      throw new UsageError(`not inside a git repository: ${cwd}`);
    }
    if (root === '') throw new UsageError(`not inside a git repository: ${cwd}`);
    return new Repo(root, options, createGit(root, options));
  }

  /** Makes a folder a repository on `main` with one commit of everything in it (for `fleet-orch demo`). */
  static async initWithCommit(dir: string, identity: { name: string; email: string }, message: string): Promise<Repo> {
    const repo = new Repo(dir, {}, createGit(dir, {}));
    await repo.run(['init', '-q', '--initial-branch=main']);
    await repo.run(['config', '--local', 'user.name', identity.name]);
    await repo.run(['config', '--local', 'user.email', identity.email]);
    await repo.run(['config', '--local', 'commit.gpgsign', 'false']);
    await repo.run(['add', '-A']);
    await repo.run(['commit', '-q', '--no-verify', '-m', message]);
    return repo;
  }

  async headSha(): Promise<string> {
    return (await this.run(['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
  }

  async currentBranch(): Promise<string | null> {
    const name = (await this.run(['branch', '--show-current'])).trim();
    return name === '' ? null : name;
  }

  async headMessage(): Promise<string> {
    return (await this.run(['log', '-1', '--format=%B', 'HEAD'])).replace(/\n+$/, '');
  }

  /** Porcelain status lines, ignoring paths under the given repo-relative directories (e.g. the log dir). */
  async dirtyPaths(ignoreDirs: readonly string[]): Promise<string[]> {
    const out = await this.run(['status', '--porcelain=v1', '-z', '--untracked-files=all']);
    const dirs = ignoreDirs
      .map((dir) => dir.replace(/^\.\//, '').replace(/\/+$/, ''))
      .filter((dir) => dir !== '' && dir !== '.');
    const isIgnored = (path: string): boolean => dirs.some((dir) => path === dir || path.startsWith(`${dir}/`));
    return parsePorcelainZ(out)
      .filter((entry) => !entry.paths.every(isIgnored))
      .map((entry) => entry.line);
  }

  async branchExists(name: string): Promise<boolean> {
    assertRefArgument(name);
    const out = await this.run(['for-each-ref', '--format=%(refname)', `refs/heads/${name}`]);
    return out.split('\n').includes(`refs/heads/${name}`);
  }

  async listBranches(): Promise<string[]> {
    const out = await this.run(['for-each-ref', '--format=%(refname)', 'refs/heads/']);
    return out.split('\n').filter((line) => line !== '').map((ref) => ref.slice('refs/heads/'.length));
  }

  /** Names of the configured remotes. */
  async remotes(): Promise<string[]> {
    const out = await this.run(['remote']);
    return out.split('\n').filter((line) => line.trim() !== '');
  }

  /** Creates `name` at `at` without switching to it. */
  async createBranch(name: string, at: string): Promise<void> {
    assertRefArgument(name);
    assertRefArgument(at);
    await this.run(['branch', '--no-track', name, at]);
  }

  /** Creates `name` at HEAD and points HEAD at it; index and working tree are untouched. */
  async switchToNewBranch(name: string): Promise<void> {
    await this.createBranch(name, 'HEAD');
    await this.run(['symbolic-ref', '-m', `fleet-orch: switch to ${name}`, 'HEAD', `refs/heads/${name}`]);
  }

  /** Checks out a local branch, or any other commit-ish detached. Runs git's post-checkout hook, if any. */
  async checkout(ref: string): Promise<void> {
    const detach = (await this.branchExists(ref)) ? [] : ['--detach'];
    await this.run(['checkout', '-q', ...detach, ref]);
  }

  /** Deletes a local branch; refuses (`branch -d`) when that would lose commits. */
  async deleteBranch(name: string): Promise<void> {
    assertRefArgument(name);
    await this.run(['branch', '-q', '-d', name]);
  }

  /** Sets local user.name / user.email, each only when it is configured at no level at all. */
  async ensureIdentity(name: string, email: string): Promise<void> {
    for (const [key, value] of [['user.name', name], ['user.email', email]] as const) {
      const current = (await this.run(['config', '--default', '', '--get', key])).trim();
      if (current === '') await this.run(['config', '--local', key, value]);
    }
  }

  /** Stages exactly these paths (additions, changes, deletions), commits only them, returns the new sha. */
  async commitAll(paths: readonly string[], message: string): Promise<string> {
    if (paths.length === 0) throw new GitOperationError('nothing to commit: no paths given');
    await withTempDir(async (dir) => {
      const pathspec = await writeTemp(dir, 'pathspec', paths.join('\0'));
      const messageFile = await writeTemp(dir, 'message', message);
      const fromFile = [`--pathspec-from-file=${pathspec}`, '--pathspec-file-nul'];
      await this.run(['--literal-pathspecs', 'add', '--all', ...fromFile]);
      const commit = ['commit', '--no-verify', '--cleanup=whitespace', `--file=${messageFile}`];
      await this.run(['--literal-pathspecs', ...commit, ...fromFile]);
    });
    return this.headSha();
  }

  async resetHard(ref: string): Promise<void> {
    assertRefArgument(ref);
    await this.run(['reset', '--hard', '-q', ref]);
  }

  /**
   * Discards uncommitted changes to tracked files: files in HEAD are restored from HEAD, files only in the index
   * from the index. Untracked files are removed only when listed in `paths` (the files a patch created); ignored
   * files are never touched. Without `paths`, every tracked file is restored and untracked files are kept.
   */
  async discardChanges(paths?: readonly string[]): Promise<void> {
    if (paths === undefined) {
      await this.run(['checkout', '-q', 'HEAD', '--', '.']);
      await this.run(['checkout', '-q', '--', '.']);
      return;
    }
    if (paths.length === 0) return;
    const list = async (command: string[]): Promise<Set<string>> =>
      new Set(splitZ(await this.run(['--literal-pathspecs', ...command, '--', ...paths])));
    const inHead = await list(['ls-tree', '-r', '-z', '--name-only', '--full-tree', 'HEAD']);
    const inIndex = await list(['ls-files', '-z']);
    const fromHead = paths.filter((path) => inHead.has(path));
    const indexOnly = paths.filter((path) => !inHead.has(path) && inIndex.has(path));
    const untracked = paths.filter((path) => !inHead.has(path) && !inIndex.has(path));
    await this.withPathspec(fromHead, (fromFile) => ['checkout', '-q', 'HEAD', ...fromFile]);
    await this.withPathspec(indexOnly, (fromFile) => ['checkout', '-q', ...fromFile]);
    if (untracked.length > 0) await this.run(['--literal-pathspecs', 'clean', '-f', '-q', '--', ...untracked]);
  }

  /** `git diff HEAD` of the working tree, including untracked (not ignored) files as new files. */
  async diffWorkingTree(): Promise<string> {
    const untracked = splitZ(await this.run(['ls-files', '-z', '--others', '--exclude-standard']));
    if (untracked.length === 0) return this.run(['diff', ...DIFF_FLAGS, 'HEAD']);
    // Intent-to-add makes `git diff` show untracked files; the reset takes exactly those entries out again.
    await this.withPathspec(untracked, (fromFile) => ['add', '--intent-to-add', ...fromFile]);
    try {
      return await this.run(['diff', ...DIFF_FLAGS, 'HEAD']);
    } finally {
      await this.withPathspec(untracked, (fromFile) => ['reset', '-q', ...fromFile]);
    }
  }

  /** `git diff <from> <to>`. */
  async diffRange(from: string, to: string): Promise<string> {
    assertRefArgument(from);
    assertRefArgument(to);
    return this.run(['diff', ...DIFF_FLAGS, from, to, '--']);
  }

  /** `git format-patch --stdout <base>..<tip>`: the commits as one mbox that `git am` applies. */
  async formatPatch(base: string, tip: string): Promise<string> {
    assertRefArgument(base);
    assertRefArgument(tip);
    return this.run(['format-patch', '--stdout', '--no-signature', ...DIFF_FLAGS, `${base}..${tip}`, '--']);
  }

  /** `git stash create`: a commit snapshotting tracked changes without touching the tree; null when clean. */
  async stashCreate(): Promise<string | null> {
    const sha = (await this.run(['stash', 'create'])).trim();
    return sha === '' ? null : sha;
  }

  /** Commits reachable from HEAD but not from `base`, oldest first. */
  async commitsSince(base: string): Promise<{ sha: string; subject: string }[]> {
    assertRefArgument(base);
    const out = await this.run(['log', '-z', '--reverse', '--format=%H%x1f%s', `${base}..HEAD`]);
    return splitZ(out).map((record) => {
      const separator = record.indexOf('\x1f');
      return { sha: record.slice(0, separator).trim(), subject: record.slice(separator + 1) };
    });
  }

  /** Whether a repo-relative path is untracked and ignored. */
  async isIgnored(path: string): Promise<boolean> {
    const listIgnored = ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory'];
    const out = await this.run(['--literal-pathspecs', ...listIgnored, '--', path]);
    return splitZ(out).length > 0;
  }

  /** `git worktree add --detach` without checking out (which would run hooks); populate with resetHard. */
  async addWorktree(dir: string, commit: string): Promise<void> {
    assertRefArgument(commit);
    await this.run(['worktree', 'add', '--detach', '--no-checkout', dir, commit]);
  }

  /** Removes a linked worktree, modified or not. */
  async removeWorktree(dir: string): Promise<void> {
    await this.run(['worktree', 'remove', '--force', dir]);
  }

  /** Drops metadata of worktrees whose directory is gone. */
  async pruneWorktrees(): Promise<void> {
    await this.run(['worktree', 'prune']);
  }

  async checkDiff(diff: string, options: GitApplyOptions): Promise<void> {
    await this.gitApply(diff, options, ['--check']);
  }

  /** The paths `git apply` would write: new names, and old names of deleted files. */
  async diffPaths(diff: string, options: GitApplyOptions): Promise<string[]> {
    // -z numstat: `added\tremoved\tpath\0`; a rename lists only its new name.
    const out = await this.gitApply(diff, options, ['--numstat', '-z']);
    return splitZ(out).map((record) => record.split('\t').slice(2).join('\t'));
  }

  /** Applies a diff to the working tree only; all or nothing. */
  async applyDiff(diff: string, options: GitApplyOptions): Promise<void> {
    await this.gitApply(diff, options, []);
  }

  private async gitApply(diff: string, options: GitApplyOptions, extra: readonly string[]): Promise<string> {
    return withTempDir(async (dir) => {
      const file = await writeTemp(dir, 'patch.diff', diff);
      const recount = options.recount ? ['--recount'] : [];
      return this.run(['apply', `-p${options.stripComponents}`, ...recount, ...extra, file]);
    });
  }

  private async withPathspec(paths: readonly string[], command: (fromFile: string[]) => string[]): Promise<void> {
    if (paths.length === 0) return;
    await withTempDir(async (dir) => {
      const file = await writeTemp(dir, 'pathspec', paths.join('\0'));
      await this.run(['--literal-pathspecs', ...command([`--pathspec-from-file=${file}`, '--pathspec-file-nul'])]);
    });
  }

  private async run(args: readonly string[]): Promise<string> {
    try {
      return await this.git.raw([...args]);
    } catch (error) {
      throw toGitOperationError(args, error, this.options.blockTimeoutMs ?? DEFAULT_BLOCK_TIMEOUT_MS);
    }
  }
}

function createGit(baseDir: string, options: RepoOptions): SimpleGit {
  const git = simpleGit({
    baseDir,
    timeout: { block: options.blockTimeoutMs ?? DEFAULT_BLOCK_TIMEOUT_MS },
    config: options.identity ? [`user.name=${options.identity.name}`, `user.email=${options.identity.email}`] : [],
    // simple-git treats a non-zero exit with an empty stderr as success (`git commit` with nothing to commit,
    // for one); every command here exits 0 on success, so anything else is an error.
    errors: (error, result) => {
      if (error !== undefined || result.exitCode === 0) return error;
      const output = Buffer.concat([...result.stdErr, ...result.stdOut]);
      return output.length > 0 ? output : Buffer.from(`exit code ${result.exitCode}`);
    },
  });
  return options.env === undefined ? git : git.env({ ...options.env });
}

/** An argument that git would read as an option is refused before it reaches git. */
function assertRefArgument(ref: string): void {
  if (ref === '' || ref.startsWith('-') || /[\0\n\r]/.test(ref)) {
    throw new GitOperationError(`refusing git ref argument ${JSON.stringify(ref)}`);
  }
}

function toGitOperationError(args: readonly string[], error: unknown, blockTimeoutMs: number): GitOperationError {
  const command = `git ${args.find((arg) => !arg.startsWith('-')) ?? ''}`.trim();
  if (error instanceof GitPluginError && error.plugin === 'timeout') {
    return new GitOperationError(`${command} timed out: no output for ${blockTimeoutMs / 1000} s`, { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new GitOperationError(`${command} failed: ${oneLine(detail)}`, { cause: error });
}

/** Up to three non-empty lines of git's output, joined into one line. */
export function oneLine(text: string): string {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  const joined = lines.slice(0, 3).join('; ');
  return joined.length > 300 ? `${joined.slice(0, 297)}...` : joined || 'no output';
}

interface StatusEntry {
  readonly line: string;
  readonly paths: readonly string[];
}

/** `git status --porcelain=v1 -z`: `XY path\0`, and for renames and copies `XY new\0old\0`. */
export function parsePorcelainZ(out: string): StatusEntry[] {
  const tokens = out.split('\0');
  const entries: StatusEntry[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] ?? '';
    if (token.length < 4) continue;
    const status = token.slice(0, 2);
    const path = token.slice(3);
    if (/[RC]/.test(status)) {
      const from = tokens[++index] ?? '';
      entries.push({ line: `${status} ${from} -> ${path}`, paths: [from, path] });
    } else {
      entries.push({ line: `${status} ${path}`, paths: [path] });
    }
  }
  return entries;
}

function splitZ(out: string): string[] {
  return out.split('\0').filter((item) => item !== '' && item !== '\n');
}

async function withTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fleet-orch-git-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeTemp(dir: string, name: string, content: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content, { mode: 0o600 });
  return file;
}
