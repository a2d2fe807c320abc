import { statSync } from 'node:fs';
import path from 'node:path';
import { detach } from './error-collector.js';
import type { ErrorLocation } from './types.js';

/**
 * Finds `file:line:col` references in a cleaned log (tsc, eslint stylish and unix, esbuild, webpack, prettier,
 * stack frames of vitest/jest/node:test) and turns them into repository-relative locations of files that exist.
 * Paths in CI logs are absolute on the runner, so the runner's workspace prefix is taken off first.
 */

export interface LocationOptions {
  readonly repoRoot: string;
  /** Whether a repository-relative path is an existing file. Default: a regular file under repoRoot. */
  readonly fileExists?: (relPath: string) => boolean;
}

const MAX_LOCATIONS = 200;

const SEPARATOR = '[\\\\/]';
const PATH_SEGMENT = '[^\\\\/\\s]+';

/** Workspace roots of hosted and self-hosted CI agents, written with `/` (they also match `\`). */
const CI_WORKSPACE_PREFIXES = [
  '(?:/home/vsts|/home/runner|/Users/runner)/work/\\d+/s/', // Azure Pipelines hosted (Linux, macOS)
  '[A-Za-z]:/a/\\d+/s/', // Azure Pipelines hosted Windows: D:\a\1\s\
  '(?:/home/runner|/Users/runner)/work/SEGMENT/SEGMENT/', // GitHub Actions hosted (Linux, macOS)
  '[A-Za-z]:/a/SEGMENT/SEGMENT/', // GitHub Actions hosted Windows: D:\a\repo\repo\
  '(?:[A-Za-z]:)?(?:/SEGMENT)*?/_work/\\d+/s/', // Azure Pipelines self-hosted agent
  '(?:[A-Za-z]:)?(?:/SEGMENT)*?/_work/SEGMENT/SEGMENT/', // GitHub Actions self-hosted runner
].map((source) => source.replaceAll('/', SEPARATOR).replaceAll('SEGMENT', PATH_SEGMENT));

const ANCHORED_CI_PREFIXES = CI_WORKSPACE_PREFIXES.map((source) => new RegExp(`^${source}`, 'i'));

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function forwardSlashes(text: string): string {
  return text.replace(/\\/g, '/');
}

function normalisedRoot(repoRoot: string): string {
  const windows = /^[A-Za-z]:[\\/]/.test(repoRoot);
  return forwardSlashes(windows ? repoRoot : path.resolve(repoRoot)).replace(/\/+$/, '');
}

function isAbsoluteLike(candidate: string): boolean {
  return candidate.startsWith('/') || /^[A-Za-z]:\//.test(candidate);
}

/**
 * A path as the repository knows it (`src/a.ts`), or null when it points outside the repository, into
 * node_modules or .git. Does not check that the file exists.
 */
export function toRepoRelative(rawPath: string, repoRoot: string): string | null {
  let candidate = forwardSlashes(rawPath.trim().replace(/^file:\/\//i, ''));
  if (/^\/[A-Za-z]:\//.test(candidate)) candidate = candidate.slice(1); // file:///D:/a/… → D:/a/…
  const root = normalisedRoot(repoRoot);
  const windowsRoot = /^[A-Za-z]:\//.test(root);
  const comparable = windowsRoot ? candidate.toLowerCase() : candidate;
  const rootPrefix = `${windowsRoot ? root.toLowerCase() : root}/`;

  if (comparable.startsWith(rootPrefix)) {
    candidate = candidate.slice(rootPrefix.length);
  } else {
    const ciPrefix = ANCHORED_CI_PREFIXES.map((pattern) => pattern.exec(candidate)).find((match) => match);
    if (ciPrefix) candidate = candidate.slice(ciPrefix[0].length);
  }
  if (candidate === '' || isAbsoluteLike(candidate)) return null;

  const relative = path.posix.normalize(candidate).replace(/^(?:\.\/)+/, '');
  if (relative === '.' || relative === '..' || relative.startsWith('../')) return null;
  const segments = relative.split('/');
  if (segments.includes('node_modules') || segments[0] === '.git') return null;
  return relative;
}

/** A workspace root inside text: followed by a separator (then stripped) or by the end of the path (then `.`). */
const ROOT_END = `(?:${SEPARATOR}|(?=$|[\\s'"\`),;:]))`;

function rootInText(sourceWithSeparator: string, flags: string): RegExp {
  return new RegExp(`(?:file:///?)?${sourceWithSeparator.slice(0, -SEPARATOR.length)}${ROOT_END}`, flags);
}

const CI_PREFIX_IN_TEXT = CI_WORKSPACE_PREFIXES.map((source) => rootInText(source, 'gi'));

function stripRoot(match: string): string {
  return /[\\/]$/.test(match) ? '' : '.';
}

/** A function that replaces the repository root and CI workspace prefixes inside free text. */
export function pathRelativiser(repoRoot: string): (text: string) => string {
  const root = normalisedRoot(repoRoot);
  const patterns = [...CI_PREFIX_IN_TEXT];
  if (root.length > 1) {
    const rootSource = escapeRegExp(root).replaceAll('/', SEPARATOR);
    const flags = /^[A-Za-z]:\//.test(root) ? 'gi' : 'g';
    patterns.unshift(rootInText(`${rootSource}${SEPARATOR}`, flags));
  }
  return (text) => {
    if (!text.includes('/') && !text.includes('\\')) return text;
    // The self-hosted patterns search backwards for a `_work` segment: skip them when there is none.
    const applicable = text.includes('_work') ? patterns : patterns.filter((pattern) => !pattern.source.includes('_work'));
    return applicable.reduce((result, pattern) => result.replace(pattern, stripRoot), text);
  };
}

/** Replaces the repository root and CI workspace prefixes inside free text (for excerpts and signatures). */
export function relativisePathsInText(text: string, repoRoot: string): string {
  return pathRelativiser(repoRoot)(text);
}

export function defaultFileExists(repoRoot: string): (relPath: string) => boolean {
  return (relPath) => {
    try {
      return statSync(path.join(repoRoot, relPath)).isFile();
    } catch {
      return false;
    }
  };
}

interface Candidate {
  readonly path: string;
  readonly line: number;
  readonly column: number | null;
  readonly message: string;
}

const TSC = /^(\S.*?)\((\d+),(\d+)\): (error TS\d+: .*)$/;
const TSC_PRETTY = /^(\S.*?):(\d+):(\d+) - (error TS\d+: .*)$/;
const ESLINT_UNIX = /^(\S[^:]*?|[A-Za-z]:[^:]*?):(\d+):(\d+): (.*\[(?:Error|Warning)[^\]]*\])$/;
const STYLISH_FILE = /^(?:[A-Za-z]:)?[\w./\\@+-]*[\w-]\.[A-Za-z][\w]*$/;
const STYLISH_ENTRY = /^\s+(\d+):(\d+)\s+error\s+(.+?)\s*$/;
const ESBUILD_LOCATION = /^\s+(\S.*?):(\d+):(\d+):\s*$/;
const WEBPACK = /^ERROR in (\S+?)\s+(\d+):(\d+)/;
const PRETTIER_FILE = /^\[warn\] (\S.*\.[A-Za-z]\w*)$/;
/** tsc's "Errors  Files" summary (`     2  src/user.ts:12`) repeats locations with the wrong message. */
const TSC_SUMMARY = /^\s+\d+\s+\S+:\d+\s*$/;
/** `path.ext:line[:col]` starting at a token boundary (bounded, so a long token cannot make it quadratic). */
const GENERIC =
  /(?<![\w./\\@+-])(?:file:\/\/(?:\/(?=[A-Za-z]:))?)?((?:[A-Za-z]:)?[\w./\\@+-]{0,300}?[\w-]\.[A-Za-z]\w{0,15}):(\d+)(?::(\d+))?/g;

/** Python frames, Dockerfile lines in docker's error frame, and YAML parse errors (kubectl, yaml tools). */
const PYTHON_FRAME = /^\s*File "([^"]+)", line (\d+)/;
const DOCKERFILE = /^((?:[\w.-]+\/)*Dockerfile(?:\.[\w-]+)?):(\d+)$/;
const YAML_LINE = /([^\s:]{1,300}\.ya?ml): .{0,500}?\byaml: line (\d+):/;

function candidatesOf(line: string, stylishFile: string | null, message: string): Candidate[] {
  const tsc = TSC.exec(line) ?? TSC_PRETTY.exec(line);
  if (tsc) return [{ path: tsc[1]!, line: Number(tsc[2]), column: Number(tsc[3]), message: tsc[4]! }];

  const unix = ESLINT_UNIX.exec(line);
  if (unix) return [{ path: unix[1]!, line: Number(unix[2]), column: Number(unix[3]), message: unix[4]! }];

  const stylish = STYLISH_ENTRY.exec(line);
  if (stylish && stylishFile) {
    const entry = stylish[3]!.replace(/\s{2,}(\S+)$/, ' ($1)');
    return [{ path: stylishFile, line: Number(stylish[1]), column: Number(stylish[2]), message: entry }];
  }

  const esbuild = ESBUILD_LOCATION.exec(line);
  if (esbuild) return [{ path: esbuild[1]!, line: Number(esbuild[2]), column: Number(esbuild[3]), message }];

  const webpack = WEBPACK.exec(line);
  // webpack columns are 0-based
  if (webpack) return [{ path: webpack[1]!, line: Number(webpack[2]), column: Number(webpack[3]) + 1, message: line }];

  const prettier = PRETTIER_FILE.exec(line);
  if (prettier && !/\s/.test(prettier[1]!)) {
    // prettier --check names files without a line: the whole file is misformatted, so point at its start.
    return [{ path: prettier[1]!, line: 1, column: null, message: 'code style issues found by prettier --check' }];
  }

  const special =
    PYTHON_FRAME.exec(line) ?? DOCKERFILE.exec(line) ?? (line.includes('yaml: line') ? YAML_LINE.exec(line) : null);
  if (special) return [{ path: special[1]!, line: Number(special[2]), column: null, message }];

  if (TSC_SUMMARY.test(line)) return [];
  return [...line.matchAll(GENERIC)].map((match) => ({
    path: match[1]!,
    line: Number(match[2]),
    column: match[3] === undefined ? null : Number(match[3]),
    message,
  }));
}

/**
 * Collects error locations while the log streams past: from error lines, and from the lines that follow an
 * error (stack frames, code frame headers) with that error as their message. One per file:line:column, only
 * for existing repository files, at most MAX_LOCATIONS.
 */
export class LocationCollector {
  private readonly found: ErrorLocation[] = [];
  private readonly seen = new Set<string>();
  private readonly existence = new Map<string, boolean>();
  private readonly fileExists: (relPath: string) => boolean;
  private stylishFile: string | null = null;

  constructor(private readonly options: LocationOptions) {
    this.fileExists = options.fileExists ?? defaultFileExists(options.repoRoot);
  }

  get locations(): readonly ErrorLocation[] {
    return this.found;
  }

  /**
   * A non-blank line: `isError` when it states an error itself, `owner` the error it belongs to (null when
   * none: before any error, or after a warning).
   */
  observe(line: string, isError: boolean, owner: string | null): void {
    const stylishFile = this.stylishFile;
    this.stylishFile = null;
    if (!isError && line.length < 500 && STYLISH_FILE.test(line)) {
      this.stylishFile = line;
      return;
    }
    const message = isError ? line.trim() : owner;
    if (message === null) {
      if (stylishFile !== null && STYLISH_WARNING.test(line)) this.stylishFile = stylishFile;
      return;
    }
    if (stylishFile !== null && STYLISH_ANY.test(line)) this.stylishFile = stylishFile;
    if (this.found.length >= MAX_LOCATIONS) return;
    for (const candidate of candidatesOf(line, stylishFile, message)) this.add(candidate);
  }

  /** A point to roll back to, when the errors after it turn out to belong to a test that passed. */
  mark(): number {
    return this.found.length;
  }

  rollback(mark: number): void {
    for (const location of this.found.splice(mark)) {
      this.seen.delete(`${location.file}:${location.line}:${location.column ?? ''}`);
    }
  }

  private add(candidate: Candidate): void {
    const file = toRepoRelative(candidate.path, this.options.repoRoot);
    if (file === null || candidate.line < 1 || this.found.length >= MAX_LOCATIONS) return;
    let exists = this.existence.get(file);
    if (exists === undefined) {
      exists = this.fileExists(file);
      this.existence.set(file, exists);
    }
    const key = `${file}:${candidate.line}:${candidate.column ?? ''}`;
    if (!exists || this.seen.has(key)) return;
    this.seen.add(key);
    this.found.push({ file: detach(file), line: candidate.line, column: candidate.column, message: detach(candidate.message.trim()) });
  }
}

const STYLISH_WARNING = /^\s+\d+:\d+\s+warning\s/;
const STYLISH_ANY = /^\s+\d+:\d+\s+(?:error|warning)\s/;
