import { anyOf, StartScreen } from './any-of.js';
import { END_OF_TEXT, firstNonBlankCode } from './first-chars.js';
import { Evidence, EVIDENCE_WITHOUT_ERROR_WORDS, lineEvidence, TOOL_EVIDENCE } from './class-evidence.js';

/**
 * What each clean log line is, decided in one pass with a little state (an assertion diff, a code frame, a
 * test's captured console output, a pytest warnings section, a Python traceback run over several lines):
 * - `error`: states a failure; `strong` when it is a tool's own failure report (tsc, eslint, a test runner…),
 *   weak when it only looks like one (`Error: …` printed by a program);
 * - `detail`: evidence of the error above it (assertion diffs, code frames, stack frames); `traceback` details
 *   (Python frames) belong to the error below them instead;
 * - `warning`: a warning, never an error, and it ends the evidence of the error before it;
 * - `context`: anything else a tool printed;
 * - `noise`: progress, blank lines, passing tests, frames outside the project, output a passing test printed.
 */
export type LineKind = 'error' | 'detail' | 'warning' | 'context' | 'noise';

export interface LineInfo {
  readonly kind: LineKind;
  readonly strong: boolean;
  /** `Evidence` bits (0 unless kind is error). */
  readonly evidence: number;
  /** A test result marker: a passing test (`✓ name`, `ok 3`) or a failing one (`✖ name`, `not ok 3`). */
  readonly marker: 'pass' | 'fail' | null;
  /** A Python traceback frame, which explains the error that follows it. */
  readonly traceback: boolean;
}

const WEAK_ERROR = anyOf([
  /\berror\b|\bfail(?:ed|ing|ures?)?\b/i, // error TS2322, npm error, ERROR in, eslint "12:5  error  …", failed
  /ERR!|ERR_[A-Z]|(?:Error|Exception)\b|FATAL|panicked at|Cannot find (?:module|package)\b/, // npm, AssertionError
  /^\s*(?:✘|✖|×|✗|❌|●)\s/, // failure markers of esbuild, eslint, node:test, vitest, mocha, jest
  /^\s*not ok\b|^\[warn\]|^fatal:|^Killed\b|^panic: /,
  /^E {2,}\S/, // pytest's explanation lines
]);
/**
 * Lines that are a tool's own report although no rule gives them evidence. Each alternative implies an error
 * word (WEAK_ERROR) or a test marker (`1) name` is a FAIL_MARKER): a line with neither is never strong.
 */
const STRONG_EXTRA = /^\[warn\] \S|^E {2,}\S|\bpanicked at\b|^panic: |^\s*\d+\) \S/;

const NOT_ERROR = anyOf([
  /^\s*#\s*fail\s+0\s*$/,
  /^\s*(?:ℹ\s*)?fail\s+0\s*$/,
  /^\s*Found 0 errors\b/i,
  /A complete log of this run can be found in|^npm (?:ERR!|error) (?:For a full report see:|\/\S+\.txt$)/,
  // Wrappers that only repeat that the command above failed: npm, pnpm, yarn, make, cargo, Azure, GitHub.
  /^npm (?:ERR!|error) (?:code [1-9]\d*$|errno [1-9]\d*$|path |command |workspace |location |Lifecycle script )/,
  /^\s*ELIFECYCLE\b|ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL|^error Command failed with exit code \d+\.$|^make(?:\[\d+\])?: \*\*\* /,
  /^failures:$|^error: test failed, to rerun pass |^Process completed with exit code \d+\.$|exited with code '?\d+'?\.?$/,
]);

const WARNING = anyOf([
  /^\s*(?:npm|pnpm|yarn)? ?warn(?:ing)?\b/i, // npm warn, WARN, warning: (rustc, cargo, yarn, go)
  /^\s+\d+:\d+\s+warning\s/, // eslint stylish
  /\[Warning(?:\/[^\]]+)?\]$/, // eslint unix
  /^WARNING in |^\s*▲ \[WARNING\]|\bDeprecationWarning\b|^\(node:\d+\) \w*Warning:|^\s*\S+Warning: /,
]);
const PRETTIER_REPORT = /^\[warn\] /;
const NPM_REPORT_DETAIL = /^npm (?:ERR!|error) (?!code )/;
const NPM_USAGE_START = /^npm (?:ERR!|error) Usage:$/;
const NPM_USAGE_END = /^(?!npm (?:ERR!|error)\b)|^npm (?:ERR!|error) (?:A complete log|Run "npm help )/;
/** An indented `key: value` of an object or YAML dump: an error only when the key says so (TAP's `error:`). */
const PROPERTY_DUMP = anyOf([/^\s+(?!(?:error|message|reason|stderr|\w*Error|\w*Exception|FATAL|fatal|panic):)[\w$]+: /]);

const NOISE = anyOf([
  /^\s*$/,
  /^\s*[⠁-⣿]\s/, // braille spinners
  /^\s*(?:\[[#=>.\- ]{10,}\]|[#=>-]{10,})(?: \d{1,3}%)?$/, // text progress bars and rulers
  /^\s*(?:\[\s*)?\d{1,3}(?:\.\d+)?%\]?\s/, // "45% building modules", "[45%] building"
  /^\s*(?:Downloading|Downloaded|Resolving|Fetching|Progress|Receiving objects|Resolving deltas|Compiling|Unpacking)\b/i,
  /^npm (?:http|timing|sill|verb)\b/,
  /^(?:added|removed|changed|audited) \d+ packages?\b|^up to date\b|^\d+ packages? (?:are|is) looking for funding|^\s*run `npm fund`/,
  /^\s*[✓✔√]\s/, // passing tests
  /^\s*ok \d+\b|^\s*(?:--- )?PASS(?:ED)?:? |^ok {2}\S|^test \S+ \.\.\. ok$/, // TAP, go, cargo passing tests
  /^\s*(?:at |\d+: ).*?(?:node_modules[\\/]|node:internal|\(node:\w+:\d+:\d+\)|\(native\)|<anonymous>\)?$|\/rustc\/[0-9a-f]+\/)/,
  /^\s*File "(?:[^"]*[\\/](?:site-packages|dist-packages|lib[\\/]python\d[.\d]*)[\\/]|<frozen )/, // library frames
  /^\s*⎯+.*⎯+$|^_(?: _)+\s*$/, // vitest and pytest separators
  /^\s*npm (?:ERR!|error)\s*$/,
  /^\s*(?:[#ℹ]\s*)?fail\s+0$/, // passing summaries of TAP and node:test
]);

/** Either marker below, tested first: most lines are neither. */
const ANY_MARKER = anyOf([/^\s*(?:[✓✔√✖×✗]\s|(?:not )?ok \d|--- (?:PASS|FAIL): |\d+\) \S)|^test \S+ \.\.\. /]);
const PASS_MARKER = /^\s*[✓✔√]\s|^\s*ok \d+\b|^\s*--- PASS: |^test \S+ \.\.\. ok$|\sPASSED(?:\s|$)/;
const FAIL_MARKER = /^\s*(?:✖|×|✗)\s|^\s*not ok \d+\b|^\s*--- FAIL: |^test \S+ \.\.\. FAILED$|\sFAILED(?:\s|$)|^\s*\d+\) \S/;

const ASSERTION_HEADER = anyOf([
  /^\s*(?:[-+]\s+)?(?:Expected|Received)\b|^\s*\+ (?:expected|actual) - (?:actual|expected)$|^\s*Expected values to be|^\s*(?:left|right): /,
]);
const DIFF_LINE = /^\s*[-+]\s*\S|^\s{2,}\S/;
const CODE_FRAME = /^\s*(?:>\s*)?\d+\s*[|│]|^\s*[|│╵]\s*[\^~-]|^\s*[\^~]+\s*$|^\s*[│╭╰├┬─]|^\s*-->\s|^\s*\|\s*$|^\s*= (?:note|help):|^>\s{2,}\S/;
const STACK_FRAME = /^\s*(?:at |❯ |→ )|^\s*\d+: \S+|^\s+at \S+:\d+/;
const RELATED_LOCATION = /^\s+\S+\.\w+:\d+:\d+$/;
const DETAIL = anyOf([STACK_FRAME, CODE_FRAME, RELATED_LOCATION]);
/** tsc --pretty prints a code line as `12 code` after the error, then an underline of `~`. */
const TSC_CODE_LINE = /^\s*\d+ \S/;
const TRACEBACK_START = anyOf([/^Traceback \(most recent call last\):$/]);
const PYTHON_FRAME = /^\s+File ".*", line \d+/;

const VITEST_CONSOLE = /^(?:stdout|stderr) \| \S/;
/** Any of the three quote openers below, tested first: most lines are none. */
const ANY_QUOTE = anyOf([/^(?:stdout|stderr) \| \S|^\s*(?:console\.\w+|● Console)$|^=+ warnings summary =+$/]);
const JEST_CONSOLE = /^(\s*)(?:console\.(?:log|error|warn|info|debug|trace)|● Console)$/;
const PYTEST_WARNINGS = /^=+ warnings summary =+$/;
const PYTEST_SECTION = /^=+ .* =+$/;

/** The start-anchored checks of `classify`, skipped without a call when a line cannot start as they need. */
const Can = { quote: 1, assertion: 2, marker: 4, noise: 8, traceback: 16, detail: 32, property: 64 } as const;
const STARTS = new StartScreen([ANY_QUOTE, ASSERTION_HEADER, ANY_MARKER, NOISE, TRACEBACK_START, DETAIL, PROPERTY_DUMP]);

const NOISE_INFO: LineInfo = { kind: 'noise', strong: false, evidence: 0, marker: null, traceback: false };

const PLAIN_INFO: Readonly<Record<LineKind, LineInfo>> = {
  error: { kind: 'error', strong: false, evidence: 0, marker: null, traceback: false },
  detail: { kind: 'detail', strong: false, evidence: 0, marker: null, traceback: false },
  warning: { kind: 'warning', strong: false, evidence: 0, marker: null, traceback: false },
  context: { kind: 'context', strong: false, evidence: 0, marker: null, traceback: false },
  noise: NOISE_INFO,
};

const TRACEBACK_INFO: LineInfo = { ...PLAIN_INFO.detail, traceback: true };

function info(kind: LineKind, marker: LineInfo['marker'] = null): LineInfo {
  return marker === null ? PLAIN_INFO[kind] : { kind, strong: false, evidence: 0, marker, traceback: false };
}

function markerOf(line: string, canStartAsMarker: boolean): LineInfo['marker'] {
  const maybeWord = line.includes('ED') && (line.includes('PASSED') || line.includes('FAILED'));
  if (!maybeWord && !(canStartAsMarker && ANY_MARKER.test(line))) return null;
  return PASS_MARKER.test(line) ? 'pass' : FAIL_MARKER.test(line) ? 'fail' : null;
}

function isBlank(line: string): boolean {
  return firstNonBlankCode(line) === END_OF_TEXT;
}

function indentation(line: string): number {
  return line.length - line.trimStart().length;
}

export function isErrorText(line: string): boolean {
  return WEAK_ERROR.test(line) && !NOT_ERROR.test(line);
}

export function isWarningText(line: string): boolean {
  return WARNING.test(line) && !PRETTIER_REPORT.test(line);
}

export class LineClassifier {
  private inAssertionDiff = false;
  private quote: 'vitest' | 'jest' | 'pytest-warnings' | null = null;
  private quoteIndent = 0;
  private codeLineExpected = false;
  private inTraceback = false;
  private inNpmUsage = false;

  /** Starts afresh, e.g. at a CI step boundary. */
  reset(): void {
    this.inAssertionDiff = false;
    this.quote = null;
    this.codeLineExpected = false;
    this.inTraceback = false;
    this.inNpmUsage = false;
  }

  classify(line: string): LineInfo {
    const can = STARTS.candidates(line);
    if (this.quoted(line, (can & Can.quote) !== 0)) return NOISE_INFO;
    if (isBlank(line)) return NOISE_INFO; // blank lines end no diff, frame or traceback
    if ((this.inNpmUsage || line.startsWith('npm ')) && this.npmUsage(line)) return NOISE_INFO;
    if ((can & Can.assertion) !== 0 && ASSERTION_HEADER.test(line)) {
      this.inAssertionDiff = true;
      return info('detail');
    }
    const marker = markerOf(line, (can & Can.marker) !== 0);
    if ((can & Can.noise) !== 0 && NOISE.test(line)) return marker === null ? NOISE_INFO : info('noise', marker);
    if (this.inAssertionDiff && DIFF_LINE.test(line)) return info('detail');
    this.inAssertionDiff = false;

    if (this.codeLineExpected && (TSC_CODE_LINE.test(line) || /^\s*~+\s*$/.test(line))) return info('detail');
    this.codeLineExpected = false;

    if ((can & Can.traceback) !== 0 && TRACEBACK_START.test(line)) {
      this.inTraceback = true;
      return info('context');
    }
    if (this.inTraceback && PYTHON_FRAME.test(line)) return TRACEBACK_INFO;

    if ((can & Can.detail) !== 0 && DETAIL.test(line)) {
      if (RELATED_LOCATION.test(line)) this.codeLineExpected = true;
      return info('detail', marker);
    }
    if (isWarningText(line)) return info('warning', marker);
    if ((can & Can.property) !== 0 && PROPERTY_DUMP.test(line)) return info('context', marker);
    return this.classifyErrors(line, marker);
  }

  /** A line that is none of the above: an error, or context. */
  private classifyErrors(line: string, marker: LineInfo['marker']): LineInfo {
    const errorWords = WEAK_ERROR.test(line);
    const evidence = errorWords || EVIDENCE_WITHOUT_ERROR_WORDS.test(line) ? lineEvidence(line) : 0;
    if (!errorWords && evidence === 0 && marker === null) return PLAIN_INFO.context; // never STRONG_EXTRA
    const strong = (evidence & TOOL_EVIDENCE) !== 0 || marker === 'fail' || STRONG_EXTRA.test(line);
    if (strong || evidence !== 0 || errorWords) {
      if (NOT_ERROR.test(line)) return info('context', marker);
      // The lines of an npm error report after its code explain it, unless they carry evidence themselves.
      if (evidence === 0 && NPM_REPORT_DETAIL.test(line)) return info('detail');
      if (this.inTraceback && !/^\s/.test(line)) this.inTraceback = false;
      this.codeLineExpected = (evidence & (Evidence.typecheck | Evidence.tscConfig)) !== 0;
      return { kind: 'error', strong, evidence, marker, traceback: false };
    }
    return info('context', marker);
  }

  /** npm's usage text after a usage error (`npm ci` with a lockfile out of sync) only repeats the manual. */
  private npmUsage(line: string): boolean {
    if (this.inNpmUsage && NPM_USAGE_END.test(line)) this.inNpmUsage = false;
    else if (!this.inNpmUsage && NPM_USAGE_START.test(line)) this.inNpmUsage = true;
    return this.inNpmUsage;
  }

  /** Output a test printed on purpose (vitest `stderr | …`, jest `console.error`) or pytest's warnings section. */
  private quoted(line: string, canStartQuote: boolean): boolean {
    if (this.quote === 'vitest' && isBlank(line)) this.quote = null;
    else if (this.quote === 'jest' && !isBlank(line) && indentation(line) <= this.quoteIndent) this.quote = null;
    else if (this.quote === 'pytest-warnings' && PYTEST_SECTION.test(line)) this.quote = null;
    if (this.quote !== null) return true;
    if (!canStartQuote || !ANY_QUOTE.test(line)) return false;
    if (VITEST_CONSOLE.test(line)) this.quote = 'vitest';
    else if (JEST_CONSOLE.test(line)) {
      this.quote = 'jest';
      this.quoteIndent = indentation(line);
    }
    else if (PYTEST_WARNINGS.test(line)) this.quote = 'pytest-warnings';
    return this.quote !== null;
  }
}
