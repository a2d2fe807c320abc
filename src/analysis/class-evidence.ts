import { anyOf } from './any-of.js';

/**
 * What one clean log line says about the cause of a failure, as a bit mask: evidence of a tool's failure
 * (tsc, eslint, prettier, test runners, bundlers, compilers, config parsers) and of causes that explain
 * everything else (out of memory, timeout, network, dependency resolution, a tool that cannot load its config).
 * Lines are tested one at a time so that a log can be classified while it streams past.
 */

export const Evidence = {
  typecheck: 1 << 0,
  lint: 1 << 1,
  format: 1 << 2,
  build: 1 << 3,
  test: 1 << 4,
  config: 1 << 5,
  oom: 1 << 6,
  timeout: 1 << 7,
  network: 1 << 8,
  dependency: 1 << 9,
  /** A tool that cannot load its own configuration: whatever fails afterwards is a consequence. */
  configCause: 1 << 10,
  /** tsc errors about compiler options and tsconfig itself (TS5xxx, TS6046, TS18003). */
  tscConfig: 1 << 11,
  /** `Cannot find module`: a dependency problem in an install gate, a test or build problem elsewhere. */
  moduleNotFound: 1 << 12,
  /** `docker build` failed: the class of the step's own output wins, `build` when there is none. */
  dockerStep: 1 << 13,
} as const;

/** Evidence that the line is a tool's own report of a failure (as opposed to a program's message). */
export const TOOL_EVIDENCE =
  Evidence.typecheck |
  Evidence.lint |
  Evidence.format |
  Evidence.build |
  Evidence.test |
  Evidence.config |
  Evidence.dependency |
  Evidence.configCause |
  Evidence.tscConfig |
  Evidence.oom |
  Evidence.dockerStep;

type Rule = readonly [number, RegExp];

const TSC_ERROR = /\berror TS(\d+):/;
const TSC_CONFIG_CODE = /^(?:5\d{3}|6046|18003)$/;

const RULES: readonly Rule[] = [
  // out of memory: node/V8, the kernel's OOM killer, python, rust, go, java, docker
  [Evidence.oom, /JavaScript heap out of memory|Reached heap limit|Allocation failed - |^Killed\b|^MemoryError\b/],
  [Evidence.oom, /memory allocation of \d+ bytes failed|runtime: out of memory|OutOfMemoryError|exit code: 137\b|signal: killed$/],
  // timeouts: the job's own limit, kubectl waits, go's test binary
  [Evidence.timeout, /has exceeded the maximum execution time|ran longer than the maximum time|^The operation was canceled\.$/],
  [Evidence.timeout, /timed out waiting for the condition|^panic: test timed out after /],
  // network, whoever reports it
  [Evidence.network, /\b(?:ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ERR_SOCKET_TIMEOUT)\b|\bgetaddrinfo\b/],
  [Evidence.network, /network timeout at:|socket hang up|Temporary failure in name resolution|Could not resolve host|no such host\b/],
  [Evidence.network, /Max retries exceeded with url|Failed to establish a new connection|NameResolutionError|TLS handshake timeout/],
  [Evidence.network, /\bi\/o timeout\b|Unable to connect to the server:|ERR_PNPM_META_FETCH_FAIL/],
  // dependency resolution and installs: npm, pnpm, yarn 1 and berry, node-gyp, pip, cargo, go modules
  [Evidence.dependency, /npm (?:ERR!|error) code (?:ERESOLVE|E404|ETARGET|ENOVERSIONS|EINTEGRITY)\b|npm (?:ERR!|error) 404 Not Found/],
  [Evidence.dependency, /are\s+in sync\. Please update your lock file|npm (?:ERR!|error) (?:Missing: \S+ from lock file|Invalid: lock file's)/],
  [Evidence.dependency, /\bERR_PNPM_(?:OUTDATED_LOCKFILE|NO_MATCHING_VERSION|FETCH_404|PEER_DEP_ISSUES|LOCKFILE_CONFIG_MISMATCH)\b/],
  [Evidence.dependency, /Your lockfile needs to be updated|\bYN00(?:28|35)\b|error Couldn't find package|\bgyp ERR! (?:find Python|find VS|stack|configure error|build error)/],
  [Evidence.dependency, /No matching distribution found for|Could not find a version that satisfies|failed to select a version for/],
  [Evidence.dependency, /missing go\.sum entry|updates to go\.mod needed|checksum mismatch|no matching package named/],
  // configuration a tool could not load, or deployment configuration a CLI rejected (az, kubectl, docker)
  [Evidence.configCause, /failed to load config from|ESLint couldn't find (?:a|an|the) (?:config|configuration|eslint\.config)/i],
  [Evidence.configCause, /Cannot read config file|Invalid configuration object|npm (?:ERR!|error) code EJSONPARSE\b/],
  [Evidence.configCause, /dockerfile parse error|Please run 'az login'|^az: error: |\bAADSTS\d+|^ERROR: \(\w+\) /i],
  [Evidence.configCause, /was refused - did you specify the right host or port\?|You must be logged in to the server|^Error from server \(/],
  [Evidence.configCause, /^error: (?:error (?:validating|parsing) |unable to recognize |resource mapping not found|the server doesn't have)/],
  // tools' own failure reports
  [Evidence.lint, /^\s+\d+:\d+\s+error\s+\S|^\S.*:\d+:\d+: .+ \[Error(?:\/[^\]]+)?\]$|^\s*✖ \d+ problems? \(\d+ errors?/],
  [Evidence.lint, /^[A-Z]{1,3}\d{3,4} (?:\[\*\] )?[A-Za-z`]/], // ruff's full output format: `F401 [*] `os` imported but unused`
  [Evidence.lint, /^\S+\.pyi?:\d+:\d+: [A-Z]{1,3}\d{3,4} |^Found \d+ errors?\.$|fixable with the `--fix` option|rust-clippy|\bclippy::/],
  [Evidence.format, /Code style issues found|Forgot to run Prettier\?|^Would reformat: |^\d+ files? would be reformatted|^would reformat /],
  [Evidence.format, /^Oh no! 💥|^Diff in \S+ at line \d+:/],
  [Evidence.typecheck, /^\S+\.pyi?:\d+(?::\d+)?: error: |^Found \d+ errors? in \d+ files? \(checked |^\s+\S+\.pyi?:\d+:\d+ - error: /],
  [Evidence.build, /✘ \[ERROR\]|^ERROR in |\bBuild failed\b|error during build:|\bRollupError\b|\[UNRESOLVED_IMPORT\]/],
  [Evidence.build, /compiled with \d+ errors?|^error\[E\d{4}\]: |^error: could not compile |^\.{0,2}\/?[\w./-]+\.go:\d+:\d+: |\[build failed\]$/],
  [Evidence.dockerStep, /^ERROR: failed to solve: |did not complete successfully: exit code: \d+/],
  [Evidence.test, /^\s*FAIL\s+\S|^\s*(?:×|✗)\s+\S|\bAssertionError\b|^\s*Tests:\s+\d+ failed|^\s*(?:Test Files|Tests)\s+\d+ failed/],
  [Evidence.test, /^\s*#\s*fail\s+[1-9]|^\s*ℹ fail [1-9]|^\s*\d+ failing\b|^\s*not ok \d+|^\s*● /],
  [Evidence.test, /^FAILED \S+::|^=+ FAILURES =+$|^=+ (?:\d+ \w+, )*\d+ failed|^--- FAIL: |^\s+\w+_test\.go:\d+: |^FAIL\t|^test result: FAILED\.|^test \S+ \.\.\. FAILED$/],
  [Evidence.config, /\bYAML(?:Exception|ParseError|SemanticError)\b|Unexpected token .* in JSON at position|is not valid JSON/],
  [Evidence.config, /Invalid options object|error converting YAML to JSON/],
  [Evidence.moduleNotFound, /Cannot find (?:module|package)\b|\bMODULE_NOT_FOUND\b/],
];

/**
 * A cheap, case-sensitive pre-filter: a line with none of these words cannot match any rule above and skips
 * them all. It must stay a superset of the rules (class-evidence.test.ts checks an example of every rule).
 */
const MAYBE = new RegExp(
  [
    '^[A-Z]{1,3}\\d{3,4} |[Ee]rr|ERR|[Ff]ail|FAIL|[Hh]eap|[Kk]illed|[Mm]emory|exit code|maximum|canceled|timed out',
    '\\bE[A-Z]{4,}|getaddrinfo|timeout|socket hang|resolve host|such host|retries|Resolution|Unable to connect',
    'lockfile|YN00|distribution|Could not find|go\\.sum|go\\.mod|checksum|matching package|ESLint|config|parse',
    'az login|AADSTS|refused|logged in|✖|✘|×|✗|●|\\.pyi?:|Found|fixable|clippy|Code style|Prettier|[Ww]ould reformat',
    'reformatted|Oh no|Diff in|UNRESOLVED|compiled with|\\.go:|complete successfully|not ok|YAML|JSON|Invalid options',
    'Cannot find|MODULE_NOT',
  ].join('|'),
);

/**
 * The rules a line can match without any error word (`error`, `fail`, `Error`, `ERR!`…) in it: the classifier
 * looks for evidence only in lines with an error word or one of these, which skips most log lines quickly.
 */
export const EVIDENCE_WITHOUT_ERROR_WORDS = anyOf([
  /[Rr]eformat|Oh no|Diff in|^[A-Z]{1,3}\d{3,4} |fixable|canceled|maximum|timed out|hang up|such host|Unable to connect|i\/o timeout|go\.sum|go\.mod|checksum|YN00|[Kk]illed|ESLint|Invalid|refused|JSON|YAML|_test\.go:|\bE[A-Z]{4,}|getaddrinfo|Prettier|Code style|Max retries|Resolution|[Mm]emory|heap|exit code|complete successfully|resolve host|logged in|az login|AADSTS|in sync|lockfile|distribution|matching package|\.go:\d|\.pyi?:\d+:\d+: [A-Z]|handshake timeout|config file|Found \d+ errors?|clippy|MODULE_NOT_FOUND/,
]);

/** The evidence a clean log line carries, as a mask of `Evidence` bits (0 for most lines). */
export function lineEvidence(line: string): number {
  if (!MAYBE.test(line)) return 0;
  let mask = 0;
  for (const [bits, pattern] of RULES) {
    if ((mask & bits) === 0 && pattern.test(line)) mask |= bits;
  }
  const tsc = TSC_ERROR.exec(line);
  if (tsc) mask |= TSC_CONFIG_CODE.test(tsc[1] ?? '') ? Evidence.tscConfig : Evidence.typecheck;
  return mask;
}
