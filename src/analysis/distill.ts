import { pathRelativiser } from './locations.js';
import { cleanLogLines } from './strip.js';

/**
 * Distils a gate's log of any size into the lines that explain the failure, under a token budget:
 * every distinct error line first (identical ones counted, `(×500)`), then the evidence that belongs to them
 * (assertion diffs, code frames, repository stack frames), then two lines of context around each error.
 * Progress output, blank lines, passing tests and frames in node_modules are dropped.
 *
 * Tokens are estimated as ceil(characters / 4), the usual rule of thumb for OpenAI tokenizers on English and
 * code; it needs no tokenizer and logs (paths, punctuation) tend to have fewer characters per token, so the real
 * count can be somewhat higher; the budget is a soft size limit, not a billing figure.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * - `error`: states a failure (kept first, deduplicated, one signature each);
 * - `detail`: evidence of the error above it (assertion diffs, code frames, repository stack frames);
 * - `context`: anything else a tool printed;
 * - `noise`: progress, blank lines, passing tests, frames inside node_modules or node itself.
 */
export type LineKind = 'error' | 'detail' | 'context' | 'noise';

const ERROR_PATTERNS: readonly RegExp[] = [
  /\berror\b/i, // error TS2322, npm error, ERROR in, ✘ [ERROR], eslint "12:5  error  …"
  /\bERR!/, // npm 6-9
  /\bERR_[A-Z_]+\b/, // ERR_PNPM_OUTDATED_LOCKFILE, ERR_MODULE_NOT_FOUND
  /^\s*(?:✘|✖|×|✗|❌|●)\s/, // failure markers of esbuild, eslint, node:test, vitest, mocha, jest
  /\bfail(?:ed|ing|ures?)?\b/i,
  /\b[A-Z]\w*(?:Error|Exception)\b/, // AssertionError, TypeError, YAMLException
  /^\s*not ok\b/, // TAP
  /^\s*#\s*fail\s+[1-9]/, // TAP summary
  /^\[warn\]/, // prettier --check names each misformatted file this way
  /\bFATAL\b/,
  /^Killed\b/,
  /\bCannot find (?:module|package)\b/,
];

const NOT_ERROR_PATTERNS: readonly RegExp[] = [
  /^\s*#\s*fail\s+0\s*$/,
  /^\s*(?:ℹ\s*)?fail\s+0\s*$/,
  /^\s*Found 0 errors\b/i,
  /A complete log of this run can be found in/,
  /^\s*npm (?:ERR!|error)\s*$/,
];

const NOISE_PATTERNS: readonly RegExp[] = [
  /^\s*$/,
  /^\s*[⠁-⣿]\s/, // braille spinners
  /^\s*(?:\[[#=>.\- ]{10,}\]|[#=>-]{10,})(?: \d{1,3}%)?$/, // text progress bars and rulers
  /^\s*\d{1,3}(?:\.\d+)?%\s/, // "45% building modules"
  /^\s*(?:Downloading|Downloaded|Resolving|Fetching|Progress|Receiving objects|Resolving deltas)\b/i,
  /^npm (?:http|timing|sill|verb)\b/,
  /^(?:added|removed|changed|audited) \d+ packages?\b/,
  /^up to date\b/,
  /^\d+ packages? (?:are|is) looking for funding/,
  /^\s*run `npm fund`/,
  /^\s*[✓✔√]\s/, // passing tests
  /^\s*ok \d+\b/, // passing TAP tests
  /^\s*at .*(?:node_modules[\\/]|node:internal|\(native\)|<anonymous>\)?$)/, // frames outside the repository
];

const ASSERTION_HEADER = /^\s*(?:[-+]\s+)?(?:Expected|Received)\b/;
const DIFF_LINE = /^\s*[-+]\s/;
const CODE_FRAME = /^\s*(?:>\s*)?\d+\s*[|│]|^\s*[|│╵]\s*\^+|^\s*\^+\s*$/;
const STACK_FRAME = /^\s*(?:at |❯ |→ )/;

export function isErrorLine(line: string): boolean {
  return ERROR_PATTERNS.some((pattern) => pattern.test(line)) && !NOT_ERROR_PATTERNS.some((p) => p.test(line));
}

function isNoise(line: string): boolean {
  return NOISE_PATTERNS.some((pattern) => pattern.test(line)) || NOT_ERROR_PATTERNS.some((p) => p.test(line));
}

/** Kinds of consecutive lines; a diff after `Expected`/`Received` is detail until a line leaves it. */
export function classifyLines(lines: readonly string[]): LineKind[] {
  let inAssertionDiff = false;
  return lines.map((line): LineKind => {
    if (ASSERTION_HEADER.test(line)) {
      inAssertionDiff = true;
      return 'detail';
    }
    const blank = line.trim() === '';
    if (inAssertionDiff && (blank || DIFF_LINE.test(line))) return blank ? 'noise' : 'detail';
    inAssertionDiff = false;
    if (isNoise(line)) return 'noise';
    if (STACK_FRAME.test(line) || CODE_FRAME.test(line)) return 'detail';
    return isErrorLine(line) ? 'error' : 'context';
  });
}

const ISO_TIMESTAMP = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/gi;
const CLOCK_TIME = /\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX_ID = /\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi;
const DURATION = /\(\s*\d+(?:\.\d+)?\s*(?:ms|s|sec|m|min)\s*\)|\b\d+(?:\.\d+)?\s?(?:ms|sec|secs|seconds?|minutes?)\b|\b\d+(?:\.\d+)?(?:s|m)\b/gi;
const COUNT_SUFFIX = /\s*\(×\d+\)\s*$/;
const MAX_SIGNATURE_CHARS = 300;

/**
 * A stable form of an error line for progress detection: the same error on another line, in another run,
 * on another runner, is the same signature.
 */
export function normaliseErrorSignature(line: string, repoRoot: string): string {
  return signatureOf(line, pathRelativiser(repoRoot));
}

function signatureOf(line: string, relativise: (text: string) => string): string {
  return relativise(line)
    .replace(/\\/g, '/')
    .replace(COUNT_SUFFIX, '')
    .replace(ISO_TIMESTAMP, ' ')
    .replace(CLOCK_TIME, ' ')
    .replace(UUID, ' ')
    .replace(HEX_ID, ' ')
    .replace(DURATION, ' ')
    .toLowerCase()
    .replace(/\d+/g, 'N')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_SIGNATURE_CHARS);
}

export interface DistillOptions {
  readonly maxTokens: number;
  readonly repoRoot: string;
}

export interface DistilledLog {
  readonly excerpt: string;
  /** Distinct error lines (paths made repository-relative) in order of first appearance, with counts. */
  readonly errors: readonly { readonly line: string; readonly count: number }[];
  /** Normalised, unique signatures of all distinct error lines, including those cut from the excerpt. */
  readonly signatures: readonly string[];
  /** Distinct error lines that did not fit the budget. */
  readonly omittedErrors: number;
}

export function distillLog(log: string, options: DistillOptions): DistilledLog {
  return distillLines(cleanLogLines(log), options);
}

const CONTEXT_RADIUS = 2;
const MAX_EXCERPT_LINE_CHARS = 400;
const DETAILS_PER_ERROR_FIRST = 8;
const GAP = '…';

interface Entry {
  readonly text: string;
  readonly kind: LineKind;
  /** Index of the error line this one follows (its owner for details), -1 before the first error. */
  readonly owner: number;
}

function toEntries(lines: readonly string[], relativise: (text: string) => string): Entry[] {
  const relative = lines.map(relativise);
  const kinds = classifyLines(relative);
  const entries: Entry[] = [];
  let owner = -1;
  relative.forEach((text, index) => {
    const kind = kinds[index] ?? 'context';
    if (kind === 'noise') return;
    if (kind === 'error') owner = entries.length;
    entries.push({ text, kind, owner });
  });
  return entries;
}

function shorten(text: string): string {
  return text.length > MAX_EXCERPT_LINE_CHARS ? `${text.slice(0, MAX_EXCERPT_LINE_CHARS - 1)}…` : text;
}

/** Lines already cleaned by `cleanLogLines`. */
export function distillLines(lines: readonly string[], options: DistillOptions): DistilledLog {
  const relativise = pathRelativiser(options.repoRoot);
  const entries = toEntries(lines, relativise);
  const counts = new Map<string, number>();
  const firstErrors: number[] = [];
  entries.forEach((entry, index) => {
    if (entry.kind !== 'error') return;
    const key = entry.text.trim();
    if (!counts.has(key)) firstErrors.push(index);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });

  const display = (index: number): string => {
    const entry = entries[index]!;
    const count = entry.kind === 'error' ? (counts.get(entry.text.trim()) ?? 1) : 1;
    return count > 1 ? `${shorten(entry.text)} (×${count})` : shorten(entry.text);
  };
  // Each line may need a gap marker before it; charging for it up front keeps the rendering within budget.
  const cost = (index: number): number => display(index).length + 1 + GAP.length + 1;

  const budget = Math.max(0, Math.floor(options.maxTokens) * 4);
  const selected = new Set<number>();
  let used = 0;
  const take = (index: number): boolean => {
    if (selected.has(index)) return true;
    if (used + cost(index) > budget) return false;
    selected.add(index);
    used += cost(index);
    return true;
  };

  let keptErrors = 0;
  while (keptErrors < firstErrors.length && take(firstErrors[keptErrors]!)) keptErrors += 1;
  const omissionNote = (omitted: number): string =>
    `${GAP} ${omitted} more distinct error line${omitted === 1 ? '' : 's'} not shown`;
  let note = '';
  if (keptErrors < firstErrors.length) {
    while (keptErrors > 0 && used + omissionNote(firstErrors.length - keptErrors).length + 1 > budget) {
      keptErrors -= 1;
      const dropped = firstErrors[keptErrors]!;
      selected.delete(dropped);
      used -= cost(dropped);
    }
    const candidate = omissionNote(firstErrors.length - keptErrors);
    if (used + candidate.length + 1 <= budget) {
      note = candidate;
      used += candidate.length + 1;
    }
  }

  const keptErrorIndexes = firstErrors.slice(0, keptErrors);
  if (firstErrors.length === 0) {
    takeTail(entries.length, take);
  } else {
    addEvidence(entries, new Set(keptErrorIndexes), keptErrorIndexes, take);
  }

  const errors = firstErrors.map((index) => {
    const line = entries[index]!.text.trim();
    return { line, count: counts.get(line) ?? 1 };
  });
  const signatures = [...new Set(errors.map((error) => signatureOf(error.line, relativise)))];
  return {
    excerpt: render(selected, display, note),
    errors,
    signatures: signatures.filter((signature) => signature !== ''),
    omittedErrors: firstErrors.length - keptErrors,
  };
}

/** Details of kept errors (a few each, then the rest), then context nearest first. */
function addEvidence(
  entries: readonly Entry[],
  keptErrors: ReadonlySet<number>,
  keptErrorIndexes: readonly number[],
  take: (index: number) => boolean,
): void {
  const ownedDetails = new Map<number, number[]>();
  entries.forEach((entry, index) => {
    if (entry.kind !== 'detail' || !keptErrors.has(entry.owner)) return;
    const owned = ownedDetails.get(entry.owner);
    if (owned) owned.push(index);
    else ownedDetails.set(entry.owner, [index]);
  });
  for (const errorIndex of keptErrorIndexes) {
    for (const index of (ownedDetails.get(errorIndex) ?? []).slice(0, DETAILS_PER_ERROR_FIRST)) take(index);
  }
  for (let radius = 1; radius <= CONTEXT_RADIUS; radius += 1) {
    for (const errorIndex of keptErrorIndexes) {
      for (const index of [errorIndex - radius, errorIndex + radius]) {
        const entry = entries[index];
        if (entry && entry.kind !== 'error') take(index);
      }
    }
  }
  for (const errorIndex of keptErrorIndexes) {
    for (const index of (ownedDetails.get(errorIndex) ?? []).slice(DETAILS_PER_ERROR_FIRST)) take(index);
  }
}

/** Without any recognisable error line the end of the log is the best evidence. */
function takeTail(length: number, take: (index: number) => boolean): void {
  for (let index = length - 1; index >= 0; index -= 1) {
    if (!take(index)) return;
  }
}

function render(selected: ReadonlySet<number>, display: (index: number) => string, note: string): string {
  const ordered = [...selected].sort((a, b) => a - b);
  const out: string[] = [];
  let previous = -1;
  for (const index of ordered) {
    if (index > previous + 1) out.push(GAP);
    out.push(display(index));
    previous = index;
  }
  if (note !== '') out.push(note);
  return out.join('\n');
}
