import { GitPluginError, simpleGit } from 'simple-git';
import { GitOperationError, SafetyStop } from '../errors.js';
import { isProtectedBranch } from './protected-branches.js';
import { oneLine } from './repo.js';

/**
 * The variable git reads the auth header from (`--config-env`): the token travels in the environment of one
 * git process, never in its argv, never in `.git/config`.
 */
export const AUTH_HEADER_ENV = 'FLEET_ORCH_HTTP_EXTRAHEADER';

/** Environment variables git may need for a push (proxies, certificates, ssh agent, home for credentials). */
const PASS_TO_GIT = [
  'PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TEMP', 'TMP', 'XDG_CONFIG_HOME',
  'SystemRoot', 'ComSpec', 'PATHEXT', 'APPDATA', 'USERPROFILE', 'HOMEDRIVE', 'HOMEPATH',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy',
  'SSL_CERT_FILE', 'SSL_CERT_DIR', 'GIT_SSL_CAINFO', 'SSH_AUTH_SOCK', 'GIT_CONFIG_NOSYSTEM',
];

export interface PushRequest {
  /** The repository's top-level directory. */
  readonly root: string;
  readonly remote: string;
  /** The local branch whose commits are pushed. */
  readonly source: string;
  /** The remote branch they go to; never a protected one. */
  readonly destination: string;
  /** A full header line (`AUTHORIZATION: bearer …`), or null to use whatever credentials the checkout has. */
  readonly authHeader: string | null;
  readonly protectedBranches: readonly string[];
  /** The environment to take PATH, HOME, proxies … from (only the names above are passed on). */
  readonly env: NodeJS.ProcessEnv;
  readonly blockTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** The git arguments of a push: no force of any kind, no hooks, one explicit refspec. The header is referenced by name only. */
export function pushArguments(request: Pick<PushRequest, 'remote' | 'source' | 'destination' | 'authHeader'>): string[] {
  const auth = request.authHeader === null ? [] : [`--config-env=http.extraheader=${AUTH_HEADER_ENV}`];
  return [...auth, 'push', '--no-verify', '--porcelain', request.remote, `refs/heads/${request.source}:refs/heads/${request.destination}`];
}

/**
 * Pushes `source` to `destination` on `remote`. Git refuses anything but a fast-forward (or a new branch); a
 * protected destination is refused before git runs. Throws SafetyStop or GitOperationError with one line.
 */
export async function pushBranch(request: PushRequest): Promise<void> {
  for (const name of [request.source, request.destination]) assertBranchName(name);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(request.remote)) throw new GitOperationError(`refusing remote name ${JSON.stringify(request.remote)}`);
  if (isProtectedBranch(request.destination, request.protectedBranches)) {
    throw new SafetyStop('protected-branch', `refusing to push to the protected branch ${request.destination}`);
  }
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0' };
  for (const name of PASS_TO_GIT) {
    const value = request.env[name];
    if (value !== undefined) env[name] = value;
  }
  if (request.authHeader !== null) env[AUTH_HEADER_ENV] = request.authHeader;
  const git = simpleGit({
    baseDir: request.root,
    timeout: { block: request.blockTimeoutMs ?? 120_000 },
    ...(request.signal ? { abort: request.signal } : {}),
    // A refused ref is reported on stdout (--porcelain) and exits 1: keep both streams in the error.
    errors: (error, result) => {
      if (error !== undefined || result.exitCode === 0) return error;
      return Buffer.concat([...result.stdErr, ...result.stdOut, Buffer.from(`exit code ${result.exitCode}`)]);
    },
  }).env(env);
  try {
    await git.raw(pushArguments(request));
  } catch (error) {
    throw pushError(request, error);
  }
}

function pushError(request: PushRequest, error: unknown): GitOperationError {
  const where = `git push to ${request.remote}/${request.destination}`;
  if (error instanceof GitPluginError && error.plugin === 'timeout') return new GitOperationError(`${where} timed out`, { cause: error });
  if (error instanceof GitPluginError && error.plugin === 'abort') return new GitOperationError(`${where} was interrupted`, { cause: error });
  const text = error instanceof Error ? error.message : String(error);
  // --porcelain reports a refused ref as `!\t<src>:<dst>\t[rejected] (reason)`.
  const rejected = /\[rejected\][^\n]*|\[remote rejected\][^\n]*/.exec(text)?.[0];
  const detail = rejected ?? oneLine(request.authHeader === null ? text : text.split(request.authHeader).join('[REDACTED]'));
  return new GitOperationError(`${where} failed: ${detail}`, { cause: error });
}

function assertBranchName(name: string): void {
  if (name === '' || /^[-+]/.test(name) || /[\0\s~^:?*[\\]|\.\.|@\{|\/\/|\/$|\.lock$|^\//.test(name)) {
    throw new GitOperationError(`refusing branch name ${JSON.stringify(name)}`);
  }
}
