/**
 * Temporary git repositories for tests. Runs the real git binary through execFileSync (test-only; product code
 * reaches git through simple-git in src/git/).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export interface TempRepo {
  readonly dir: string;
  /** Runs git in the repository and returns its stdout; throws on a non-zero exit. */
  git(...args: string[]): string;
  /** Writes files (repo-relative path -> content), creating folders. */
  write(files: Record<string, string>): void;
  read(path: string): string;
  /** Writes the files (if any), stages everything and commits; returns the new HEAD sha. */
  commit(message: string, files?: Record<string, string>): string;
  headSha(): string;
  cleanup(): void;
}

export interface TempRepoOptions {
  /** Commit the initial files (default true; with no files an empty commit is made). */
  readonly commit?: boolean;
  readonly message?: string;
  /** Set a local user.name / user.email (default true). */
  readonly identity?: boolean;
}

export interface CloneOptions {
  /** Shallow clone of this depth, as CI checkouts are (default: full). */
  readonly depth?: number;
  readonly identity?: boolean;
}

/** git's environment for tests: no system config, never a prompt. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', ...extra };
}

export function runGit(cwd: string, args: readonly string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function makeTempDir(prefix = 'fleet-orch-test-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

/** A fresh repository on `main` with `files` committed. */
export function tempRepo(files: Record<string, string> = {}, opts: TempRepoOptions = {}): TempRepo {
  const dir = makeTempDir();
  runGit(dir, ['init', '-q', '-b', 'main']);
  configure(dir, opts.identity ?? true);
  const repo = wrap(dir);
  repo.write(files);
  if (opts.commit ?? true) repo.commit(opts.message ?? 'initial commit');
  return repo;
}

/** A clone checked out at the source's HEAD commit with a detached HEAD, as Azure Pipelines and GitHub PR builds do. */
export function detachedClone(sourceDir: string, opts: CloneOptions = {}): TempRepo {
  const dir = makeTempDir('fleet-orch-clone-');
  const depth = opts.depth === undefined ? [] : ['--depth', String(opts.depth)];
  // file:// so that --depth is honoured for a local source.
  runGit(dir, ['clone', '-q', ...depth, `file://${sourceDir}`, '.']);
  runGit(dir, ['checkout', '-q', '--detach', 'HEAD']);
  configure(dir, opts.identity ?? true);
  return wrap(dir);
}

/** sha256 of every file under `dir` (relative path -> hash), skipping `.git` and anything under `node_modules`. */
export function fileHashes(dir: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else hashes[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return hashes;
}

/** Local config, appended in one write rather than one `git config` process per key (tests make many repos). */
function configure(dir: string, identity: boolean): void {
  const settings = ['[commit]\n\tgpgsign = false', '[init]\n\tdefaultBranch = main', '[core]\n\tautocrlf = false'];
  if (identity) settings.push('[user]\n\tname = Fleet Test\n\temail = fleet-test@example.invalid');
  appendFileSync(join(dir, '.git', 'config'), `${settings.join('\n')}\n`);
}

function wrap(dir: string): TempRepo {
  const git = (...args: string[]): string => runGit(dir, args);
  const write = (files: Record<string, string>): void => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
  };
  return {
    dir,
    git,
    write,
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    commit(message, files = {}) {
      write(files);
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
    headSha: () => git('rev-parse', 'HEAD').trim(),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
