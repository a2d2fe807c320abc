import { describe, expect, it } from 'vitest';
import { Evidence } from './class-evidence.js';
import { LineClassifier } from './line-kinds.js';

// One real-format example per rule, read through the classifier: this also proves the classifier's cheap
// pre-filters let every rule's lines through.
const EXAMPLES: readonly (readonly [keyof typeof Evidence, string])[] = [
  ['oom', 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'],
  ['oom', 'Killed'],
  ['oom', 'MemoryError'],
  ['oom', 'memory allocation of 8589934592 bytes failed'],
  ['oom', 'fatal error: runtime: out of memory'],
  ['oom', 'ERROR: process "/bin/sh -c npm run build" did not complete successfully: exit code: 137'],
  ['oom', 'signal: killed'],
  ['timeout', 'The job running on runner GitHub Actions 7 has exceeded the maximum execution time of 30 minutes.'],
  ['timeout', 'The job running on agent Hosted Agent ran longer than the maximum time of 60 minutes.'],
  ['timeout', 'The operation was canceled.'],
  ['timeout', 'error: timed out waiting for the condition'],
  ['timeout', 'panic: test timed out after 10m0s'],
  ['network', 'npm error network request to https://registry.npmjs.org/x failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org'],
  ['network', 'Error: connect ETIMEDOUT 104.16.27.34:443'],
  ['network', 'Error: socket hang up'],
  ['network', "fatal: unable to access 'https://github.com/o/r.git/': Could not resolve host: github.com"],
  ['network', 'dial tcp: lookup registry.internal on 10.0.0.2:53: no such host'],
  ['network', "ERROR: HTTPSConnectionPool(host='management.azure.com', port=443): Max retries exceeded with url: /x"],
  ['network', 'net/http: TLS handshake timeout'],
  ['network', 'Unable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout'],
  ['dependency', 'npm ERR! code ERESOLVE'],
  ['dependency', 'npm error 404 Not Found - GET https://registry.npmjs.org/lefft-pad - Not found'],
  ['dependency', ' ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile"'],
  ['dependency', 'error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`.'],
  ['dependency', '➤ YN0028: │ The lockfile would have been modified by this install, which is explicitly forbidden.'],
  ['dependency', 'npm error gyp ERR! find Python'],
  ['dependency', 'ERROR: No matching distribution found for fleetlib==9.9'],
  ['dependency', 'go: github.com/x/y@v1.2.3: missing go.sum entry for go.mod file'],
  ['dependency', 'error: failed to select a version for the requirement `serde = "^9"`'],
  ['configCause', 'failed to load config from /repo/vitest.config.ts'],
  ['configCause', "ESLint couldn't find an eslint.config.(js|mjs|cjs) file."],
  ['configCause', '[webpack-cli] Invalid configuration object. Webpack has been initialized using a configuration object'],
  ['configCause', "ERROR: Please run 'az login' to setup account."],
  ['configCause', "ERROR: (ResourceGroupNotFound) Resource group 'rg' could not be found."],
  ['configCause', 'The connection to the server localhost:8080 was refused - did you specify the right host or port?'],
  ['configCause', 'error: You must be logged in to the server (Unauthorized)'],
  ['configCause', 'Error from server (Forbidden): deployments.apps "api" is forbidden'],
  ['configCause', 'ERROR: failed to solve: dockerfile parse error on line 3: unknown instruction: RUNN'],
  ['lint', '  12:5  error  Unexpected console statement  no-console'],
  ['lint', "src/a.ts:4:10: 'x' is defined but never used [Error/no-unused-vars]"],
  ['lint', '✖ 3 problems (3 errors, 0 warnings)'],
  ['lint', 'F401 [*] `os` imported but unused'],
  ['lint', 'fleet/dispatch.py:1:8: F401 [*] `os` imported but unused'],
  ['format', '[warn] Code style issues found in 2 files. Run Prettier with --write to fix.'],
  ['format', 'Would reformat: fleet/dispatch.py'],
  ['format', '2 files would be reformatted, 12 files already formatted'],
  ['format', 'Oh no! 💥 💔 💥'],
  ['format', 'Diff in /repo/src/main.rs at line 3:'],
  ['typecheck', "src/a.ts(1,2): error TS2322: Type 'string' is not assignable to type 'number'."],
  ['typecheck', 'fleet/a.py:3: error: Incompatible types in assignment  [assignment]'],
  ['typecheck', 'Found 3 errors in 2 files (checked 14 source files)'],
  ['tscConfig', "tsconfig.json(3,5): error TS5023: Unknown compiler option 'strictt'."],
  ['build', '✘ [ERROR] Could not resolve "./x"'],
  ['build', 'ERROR in ./src/index.ts 3:0-25'],
  ['build', 'error during build:'],
  ['build', 'error[E0308]: mismatched types'],
  ['build', 'internal/dispatch/assign.go:41:2: undefined: nearestVehicle'],
  ['build', 'FAIL\tgithub.com/o/r [build failed]'],
  ['dockerStep', 'ERROR: failed to solve: process "/bin/sh -c make" did not complete successfully: exit code: 2'],
  ['test', ' FAIL  src/a.test.ts > adds'],
  ['test', 'AssertionError: expected 1 to be 2'],
  ['test', 'Tests:       1 failed, 7 passed, 8 total'],
  ['test', '# fail 1'],
  ['test', '  1 failing'],
  ['test', 'not ok 2 - rejects'],
  ['test', '  ● Cart › total'],
  ['test', 'FAILED tests/test_a.py::test_b - assert 1 == 2'],
  ['test', '--- FAIL: TestNightFare (0.00s)'],
  ['test', '    pricing_test.go:18: NightFare(10) = 21.75, want 21'],
  ['test', 'test result: FAILED. 0 passed; 1 failed; 0 ignored'],
  ['config', 'YAMLException: bad indentation of a mapping entry (3:8)'],
  ['config', 'SyntaxError: Unexpected token } in JSON at position 42'],
  ['config', 'error: error parsing k8s/d.yaml: error converting YAML to JSON: yaml: line 13: did not find expected key'],
  ['moduleNotFound', "Error: Cannot find module './missing'"],
];

describe('class evidence', () => {
  it.each(EXAMPLES)('%s: %s', (name, line) => {
    const info = new LineClassifier().classify(line);
    expect(info.kind).toBe('error');
    expect(info.evidence & Evidence[name]).not.toBe(0);
  });

  it.each([
    'Duration 412ms (transform 51ms, setup 0ms, collect 60ms, tests 15ms)',
    'npm warn deprecated inflight@1.0.6: This module leaks memory',
    '  12:5  warning  Unexpected any  @typescript-eslint/no-explicit-any',
    'warning: unused variable: `total`',
    ' ✓ src/a.test.ts (4 tests) 6ms',
    'E1121 09:31:07.118224    2817 memcache.go:265] trace',
  ])('gives no evidence for %j', (line) => {
    expect(new LineClassifier().classify(line).evidence).toBe(0);
  });
});
