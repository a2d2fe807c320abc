import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ContextFile, FailureAnalysis } from './types.js';

/**
 * The repository files a failure names, for the model: whole when small, otherwise windows of ±30 lines
 * around the error lines; for a failing test file also the modules under test (what it imports in JS/TS or
 * Python, its package sibling in Go). Files come in the
 * order of their first error, imported modules after all of them, and the total of the contents stays
 * within maxBytes (UTF-8); a file that fits in no form is left out and later, smaller ones may still fit.
 *
 * A windowed file's content is its windows' lines in order, with one `…` line between two windows; `windows`
 * gives each window's 1-based inclusive line range.
 */

export interface ContextFileOptions {
  readonly repoRoot: string;
  readonly maxBytes: number;
}

const WINDOW_RADIUS = 30;
const NARROW_WINDOW_RADIUS = 10;
/** Files up to this size are shown whole (budget permitting). */
const WHOLE_FILE_MAX_BYTES = 16_000;
/** Lines of an imported module shown when it is too large to show whole. */
const IMPORTED_HEAD_LINES = 60;
const WINDOW_SEPARATOR = '…';
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const TEST_FILE = /(?:^|\/)(?:__tests__|tests?)\/|[._-](?:test|spec)\.[cm]?[jt]sx?$|(?:^|\/)test_[^/]+\.py$|_test\.(?:py|go)$/;
/** `from fleet.pricing import fare`, `from .pricing import fare`, `import fleet.pricing`. */
const PYTHON_IMPORT = /^\s*(?:from\s+(\.*[\w.]*)\s+import\b|import\s+([\w.]+))/gm;
const RELATIVE_IMPORT =
  /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"\n]+)['"]/g;

type Window = { readonly start: number; readonly end: number };

interface RepoFile {
  readonly path: string;
  readonly text: string;
}

/** The file's text when it is a regular, non-binary file really inside the repository, else null. */
function readRepoFile(repoRoot: string, relPath: string): RepoFile | null {
  const normalised = path.posix.normalize(relPath.replace(/\\/g, '/'));
  const segments = normalised.split('/');
  if (path.posix.isAbsolute(normalised) || segments[0] === '..' || segments[0] === '.git') return null;
  if (segments.includes('node_modules')) return null;
  try {
    const root = realpathSync(repoRoot);
    const real = realpathSync(path.join(root, normalised));
    if (!real.startsWith(root + path.sep) || !statSync(real).isFile()) return null;
    const buffer = readFileSync(real);
    if (buffer.includes(0)) return null;
    return { path: normalised, text: buffer.toString('utf8') };
  } catch {
    return null;
  }
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Windows around the given lines, clamped to the file and merged when they overlap or touch. */
export function mergeWindows(lineNumbers: readonly number[], radius: number, lineCount: number): Window[] {
  const sorted = [...new Set(lineNumbers)].filter((line) => line >= 1).sort((a, b) => a - b);
  const windows: { start: number; end: number }[] = [];
  for (const line of sorted) {
    const start = Math.max(1, line - radius);
    const end = Math.min(lineCount, line + radius);
    if (start > end) continue;
    const last = windows[windows.length - 1];
    if (last && start <= last.end + 1) last.end = Math.max(last.end, end);
    else windows.push({ start, end });
  }
  return windows;
}

function renderWindows(lines: readonly string[], windows: readonly Window[]): string {
  return windows.map((window) => lines.slice(window.start - 1, window.end).join('\n')).join(`\n${WINDOW_SEPARATOR}\n`);
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The largest view of the file that fits: whole, ±30 lines, ±10 lines; null when nothing fits. */
function fitFile(file: RepoFile, focusLines: readonly number[], remaining: number): ContextFile | null {
  const size = byteLength(file.text);
  if (size <= WHOLE_FILE_MAX_BYTES && size <= remaining) return { path: file.path, content: file.text, windows: null };
  const lines = splitLines(file.text);
  const attempts: Window[][] =
    focusLines.length > 0
      ? [
          mergeWindows(focusLines, WINDOW_RADIUS, lines.length),
          mergeWindows(focusLines, NARROW_WINDOW_RADIUS, lines.length),
        ]
      : [[{ start: 1, end: Math.min(lines.length, IMPORTED_HEAD_LINES) }]];
  for (const windows of attempts) {
    if (windows.length === 0) continue;
    const content = renderWindows(lines, windows);
    if (byteLength(content) <= remaining) return { path: file.path, content, windows };
  }
  return null;
}

/** Repository modules a test file imports with relative specifiers (`./x.js` may be `./x.ts`). */
export function resolveRelativeImports(importer: string, text: string, repoRoot: string): string[] {
  const resolved: string[] = [];
  for (const match of text.matchAll(RELATIVE_IMPORT)) {
    const specifier = match[1]!;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(importer), specifier));
    const found = importCandidates(base).find((candidate) => readRepoFile(repoRoot, candidate) !== null);
    if (found && found !== importer && !resolved.includes(found)) resolved.push(found);
  }
  return resolved;
}

/** Repository modules a Python test imports: `a.b` is `a/b.py` or `a/b/__init__.py`, also under `src/`. */
export function resolvePythonImports(importer: string, text: string, repoRoot: string): string[] {
  const resolved: string[] = [];
  for (const match of text.matchAll(PYTHON_IMPORT)) {
    const module = match[1] ?? match[2] ?? '';
    const dots = /^\.*/.exec(module)![0].length;
    const dotted = module.slice(dots).replaceAll('.', '/');
    let bases: string[];
    if (dots > 0) {
      let dir = path.posix.dirname(importer);
      for (let level = 1; level < dots; level += 1) dir = path.posix.dirname(dir);
      bases = [path.posix.join(dir, dotted)];
    } else {
      bases = dotted === '' ? [] : [dotted, `src/${dotted}`];
    }
    const found = bases
      .flatMap((base) => [`${base}.py`, `${base}/__init__.py`])
      .find((candidate) => readRepoFile(repoRoot, candidate) !== null);
    if (found && found !== importer && !resolved.includes(found)) resolved.push(found);
  }
  return resolved;
}

/** The modules a failing test exercises: what it imports (JS/TS, Python), or its Go package sibling. */
export function modulesUnderTest(testFile: string, text: string, repoRoot: string): string[] {
  if (testFile.endsWith('.py')) return resolvePythonImports(testFile, text, repoRoot);
  if (testFile.endsWith('_test.go')) {
    const sibling = testFile.replace(/_test\.go$/, '.go');
    return readRepoFile(repoRoot, sibling) === null ? [] : [sibling];
  }
  return resolveRelativeImports(testFile, text, repoRoot);
}

function importCandidates(base: string): string[] {
  const extension = path.posix.extname(base);
  const stem = extension === '' ? base : base.slice(0, -extension.length);
  const candidates = [base];
  if (['.js', '.jsx', '.mjs', '.cjs'].includes(extension)) {
    const typed = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] }[extension] ?? [];
    candidates.push(...typed.map((ext) => stem + ext));
  }
  if (!SOURCE_EXTENSIONS.includes(extension)) {
    candidates.push(...SOURCE_EXTENSIONS.map((ext) => base + ext));
    candidates.push(...SOURCE_EXTENSIONS.map((ext) => `${base}/index${ext}`));
  }
  return candidates;
}

export function isTestFile(relPath: string): boolean {
  return TEST_FILE.test(relPath);
}

export function collectContextFiles(analysis: FailureAnalysis, options: ContextFileOptions): ContextFile[] {
  const focusByFile = new Map<string, number[]>();
  for (const location of analysis.locations) {
    const lines = focusByFile.get(location.file);
    if (lines) lines.push(location.line);
    else focusByFile.set(location.file, [location.line]);
  }

  const errorFiles: RepoFile[] = [];
  for (const relPath of focusByFile.keys()) {
    const file = readRepoFile(options.repoRoot, relPath);
    if (file) errorFiles.push(file);
  }
  const shown = new Set(errorFiles.map((file) => file.path));
  const importedFiles: RepoFile[] = [];
  for (const file of errorFiles.filter((candidate) => isTestFile(candidate.path))) {
    for (const imported of modulesUnderTest(file.path, file.text, options.repoRoot)) {
      if (shown.has(imported)) continue;
      const importedFile = readRepoFile(options.repoRoot, imported);
      if (!importedFile) continue;
      shown.add(imported);
      importedFiles.push(importedFile);
    }
  }

  const result: ContextFile[] = [];
  let remaining = Math.max(0, options.maxBytes);
  for (const file of [...errorFiles, ...importedFiles]) {
    const fitted = fitFile(file, focusByFile.get(file.path) ?? [], remaining);
    if (!fitted) continue;
    result.push(fitted);
    remaining -= byteLength(fitted.content);
  }
  return result;
}
