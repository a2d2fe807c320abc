import { cleanLogLines } from './strip.js';
import type { FailureClass } from './types.js';

/**
 * Classifies a failed gate. Causes beat symptoms: a timeout, an out-of-memory kill, a network failure or a
 * broken install explain whatever else the log says, so they are decided first. Then the log's evidence
 * (tsc, eslint, prettier, test runners, bundlers, config parsers) decides; when several tools left evidence,
 * the gate's name and command break the tie, and they alone decide when the log is unreadable.
 */

export interface ClassifyInput {
  readonly gate: string;
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly log: string;
}

const OOM = [/JavaScript heap out of memory/, /Allocation failed/, /Reached heap limit/, /\bsignal SIGKILL\b/];
const NETWORK = [/\b(?:ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN)\b/, /\bgetaddrinfo\b/];
const DEPENDENCY = [
  /npm (?:ERR!|error) code (?:ERESOLVE|E404|ETARGET|ENOVERSIONS|EINTEGRITY)\b/,
  /npm (?:ERR!|error) 404\b/,
  /can only install packages when your package\.json and package-lock\.json (?:or npm-shrinkwrap\.json )?are\s+in sync/,
  /npm (?:ERR!|error) Missing: \S+ from lock file/,
  /\bERR_PNPM_(?:OUTDATED_LOCKFILE|NO_MATCHING_VERSION|FETCH_404|PEER_DEP_ISSUES)\b/,
  /Your lockfile needs to be updated/,
  /\bYN0028\b|The lockfile would have been modified/,
];
/** A tool that cannot load its own configuration: whatever else fails afterwards is a consequence. */
const CONFIG_CAUSES = [
  /failed to load config from/i, // vite, vitest
  /ESLint couldn't find (?:a|an|the) (?:config|configuration|eslint\.config)/,
  /Cannot read config file/, // eslint
  /Invalid configuration object/, // webpack
  /npm (?:ERR!|error) code EJSONPARSE\b/,
];
const MODULE_NOT_FOUND = /Cannot find (?:module|package)\b|\bMODULE_NOT_FOUND\b/;

type EvidenceClass = Exclude<FailureClass, 'timeout' | 'oom' | 'network' | 'dependency' | 'unknown'>;

const EVIDENCE: Readonly<Record<EvidenceClass, readonly RegExp[]>> = {
  typecheck: [/\berror TS\d+:/],
  lint: [
    /^\s+\d+:\d+\s+error\s+\S/m, // eslint stylish
    /^\S.*:\d+:\d+: .+ \[Error(?:\/[^\]]+)?\]$/m, // eslint unix
    /^\s*✖ \d+ problems? \(\d+ errors?/m,
  ],
  format: [/Code style issues found/, /Forgot to run Prettier\?/],
  test: [
    /^\s*FAIL\s+\S/m, // jest, vitest
    /^\s*(?:×|✗)\s+\S/m, // vitest, mocha-style reporters
    /\bAssertionError\b/,
    /^\s*Tests:\s+\d+ failed/m, // jest
    /^\s*(?:Test Files|Tests)\s+\d+ failed/m, // vitest
    /^\s*#\s*fail\s+[1-9]/m, // node:test TAP
    /^\s*ℹ fail [1-9]/m, // node:test spec
    /^\s*\d+ failing\b/m, // mocha
    /^\s*not ok \d+/m, // TAP
  ],
  build: [/✘ \[ERROR\]/, /^ERROR in /m, /\bBuild failed\b/, /error during build:/, /\bRollupError\b/],
  config: [
    /\bYAML(?:Exception|ParseError|SemanticError)\b/,
    /Unexpected token .* in JSON at position/,
    /is not valid JSON/,
    /Invalid options object/,
  ],
};

/** When evidence of several classes is present and no hint decides: the most specific first. */
const EVIDENCE_PRIORITY: readonly EvidenceClass[] = ['typecheck', 'lint', 'format', 'build', 'test', 'config'];

/** tsc errors about compiler options and tsconfig itself (TS5xxx, TS6046, TS18003) are configuration errors. */
const TSC_CODE = /\berror (TS\d+):/g;
const TSC_CONFIG_CODE = /^TS(?:5\d{3}|6046|18003)$/;

const NAME_HINTS: readonly (readonly [RegExp, FailureClass])[] = [
  [/\b(?:tsc|typecheck|type-check|types|check-types)\b/i, 'typecheck'],
  [/\b(?:prettier|format|fmt|formatting)\b/i, 'format'],
  [/\b(?:eslint|lint|linter)\b/i, 'lint'],
  [/\b(?:test|tests|vitest|jest|mocha|ava)\b|node --test\b/i, 'test'],
  [/\b(?:build|compile|webpack|vite|esbuild|rollup|tsup|bundle)\b/i, 'build'],
  [/\b(?:install|deps|dependencies)\b|\b(?:npm|pnpm|yarn) (?:ci|install|i)\b|^\s*yarn\s*$/i, 'dependency'],
];

/** Classes suggested by the gate name (first) and its command (second), without duplicates. */
export function hintedClasses(gate: string, command: string): FailureClass[] {
  const hints: FailureClass[] = [];
  for (const text of [gate, command]) {
    for (const [pattern, failureClass] of NAME_HINTS) {
      if (pattern.test(text) && !hints.includes(failureClass)) hints.push(failureClass);
    }
  }
  return hints;
}

function evidenceClasses(text: string): Set<EvidenceClass> {
  const found = new Set<EvidenceClass>();
  for (const failureClass of EVIDENCE_PRIORITY) {
    if (EVIDENCE[failureClass].some((pattern) => pattern.test(text))) found.add(failureClass);
  }
  if (found.has('typecheck')) {
    const codes = [...text.matchAll(TSC_CODE)].map((match) => match[1] ?? '');
    if (codes.length > 0 && codes.every((code) => TSC_CONFIG_CODE.test(code))) {
      found.delete('typecheck');
      found.add('config');
    }
  }
  return found;
}

export function classifyFailure(input: ClassifyInput): FailureClass {
  return classifyCleanLog(input, cleanLogLines(input.log));
}

/** Same as classifyFailure for a log already split by `cleanLogLines`. */
export function classifyCleanLog(input: Omit<ClassifyInput, 'log'>, lines: readonly string[]): FailureClass {
  if (input.timedOut) return 'timeout';
  const text = lines.join('\n');
  if (input.exitCode === 137 || input.signal === 'SIGKILL' || OOM.some((p) => p.test(text))) return 'oom';
  if (NETWORK.some((pattern) => pattern.test(text))) return 'network';
  const hints = hintedClasses(input.gate, input.command);
  if (DEPENDENCY.some((pattern) => pattern.test(text))) return 'dependency';
  if (hints.includes('dependency') && MODULE_NOT_FOUND.test(text)) return 'dependency';
  if (CONFIG_CAUSES.some((pattern) => pattern.test(text))) return 'config';

  const evidence = evidenceClasses(text);
  if (evidence.size === 1) return [...evidence][0]!;
  if (evidence.size === 0) return hints[0] ?? 'unknown';
  const hinted = hints.find((hint): hint is EvidenceClass => evidence.has(hint as EvidenceClass));
  return hinted ?? EVIDENCE_PRIORITY.find((failureClass) => evidence.has(failureClass)) ?? 'unknown';
}
