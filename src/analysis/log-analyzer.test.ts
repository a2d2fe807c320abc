import { describe, expect, it } from 'vitest';
import { analysisJson } from './analysis-json.js';
import { estimateTokens } from './distill.js';
import { LogAnalyzer, type OutcomeDetails } from './log-analyzer.js';

const outcome: OutcomeDetails = { gate: 'test', command: 'npm test', exitCode: 1, signal: null, timedOut: false };

function analyze(log: string, maxExcerptTokens = 2000, files: readonly string[] = []) {
  const analyzer = new LogAnalyzer({ repoRoot: '/srv/app', maxExcerptTokens, fileExists: (file) => files.includes(file) });
  analyzer.pushText(log);
  return analyzer.finish(outcome);
}

const step = (title: string, lines: string[], failed: boolean) =>
  [`##[group]Run ${title}`, ...lines, ...(failed ? ['##[error]Process completed with exit code 1.'] : [])].join('\n');

describe('red herrings inside a step', () => {
  it('takes back an Error: line printed by a test that then passed, with its evidence and locations', () => {
    const log = [
      'Error: getaddrinfo ENOTFOUND cache.internal (expected in this test)',
      '    at retry (/srv/app/src/cache.js:4:9)',
      '  ✔ retries without the cache',
      '  1) adds',
      '  1 failing',
      '  AssertionError [ERR_ASSERTION]: 3 !== 4',
      '      at Context.<anonymous> (test/add.spec.js:5:10)',
    ].join('\n');
    const analysis = analyze(log, 2000, ['src/cache.js', 'test/add.spec.js']);
    expect(analysis.failureClass).toBe('test');
    expect(analysis.excerpt).not.toContain('ENOTFOUND');
    expect(analysis.errorSignatures.join('\n')).not.toContain('enotfound');
    expect(analysis.locations.map((location) => location.file)).toEqual(['test/add.spec.js']);
  });

  it('keeps an Error: line that no passing test follows', () => {
    const analysis = analyze('starting\nError: getaddrinfo ENOTFOUND cache.internal\nexiting');
    expect(analysis.failureClass).toBe('network');
    expect(analysis.excerpt).toContain('ENOTFOUND');
  });

  it('never counts warnings as errors', () => {
    const analysis = analyze('npm warn deprecated x@1: failed to maintain\nwarning: unused variable `error`\ndone');
    expect(analysis.errorSignatures).toEqual([]);
    expect(analysis.failureClass).toBe('test'); // from the gate name alone
  });
});

describe('CI steps', () => {
  const log = [
    step('npx tsc --noEmit', ["src/a.ts(1,1): error TS2322: Type 'string' is not assignable to type 'number'."], true),
    step('npm run lint', ['  3:1  warning  Unexpected any  no-explicit-any'], false),
    step('npm test', [' FAIL  src/a.test.ts > adds', 'AssertionError: expected 1 to be 2', ' ❯ src/a.test.ts:3:9'], true),
    step('actions/upload-artifact@v4', ['##[warning]No files were found with the provided path: coverage/.'], false),
  ].join('\n');

  it('follows the last step the CI marked as failed and only names earlier failed ones', () => {
    const analysis = analyze(log, 2000, ['src/a.ts', 'src/a.test.ts']);
    expect(analysis.failedStep).toBe('npm test');
    expect(analysis.failureClass).toBe('test');
    expect(analysis.excerpt).toContain('failed step: npm test');
    expect(analysis.excerpt).toContain('AssertionError: expected 1 to be 2');
    expect(analysis.excerpt).not.toContain('TS2322');
    expect(analysis.excerpt).toContain('earlier failed step "npx tsc --noEmit" did not fail the gate');
    expect(analysis.errorSignatures.some((signature) => signature.includes('tsN'))).toBe(false);
    expect(analysis.locations.map((location) => location.file)).toEqual(['src/a.test.ts']);
  });

  it('keeps the whole excerpt, header, step and note included, within any budget', () => {
    for (const budget of [0, 1, 5, 12, 20, 40, 80, 200]) {
      expect(estimateTokens(analyze(log, budget).excerpt)).toBeLessThanOrEqual(budget);
    }
  });
});

describe('bounded memory', () => {
  it('tracks a bounded number of distinct errors and still counts and budgets them all', () => {
    const analyzer = new LogAnalyzer({ repoRoot: '/srv/app', maxExcerptTokens: 500, fileExists: () => false });
    for (let chunk = 0; chunk < 20; chunk += 1) {
      const lines = Array.from({ length: 1000 }, (_, i) => `Error: distinct failure ${'abcdefghij'[chunk % 10]}${chunk * 1000 + i}x`);
      analyzer.pushText(`${lines.join('\n')}\n`);
    }
    const analysis = analyzer.finish(outcome);
    expect(analysis.stats?.lines).toBe(20_000);
    expect(analysis.errorSignatures.length).toBeLessThanOrEqual(5000);
    expect(analysis.excerpt).toMatch(/more distinct error lines not shown$/);
    expect(estimateTokens(analysis.excerpt)).toBeLessThanOrEqual(500);
  });
});

describe('error signatures', () => {
  it('stay the same across runners, line numbers, timestamps, durations, ids and temp dirs', () => {
    const run = (root: string, line: number, stamp: string, ms: number, id: string, tmp: string) =>
      analyze(
        [
          `${stamp} ${root}/src/a.ts(${line},5): error TS2322: Type 'string' is not assignable to type 'number'.`,
          ` × adds ${ms}ms`,
          `Error: request ${id} to ${tmp}/cache.json failed after ${ms}ms`,
        ].join('\n'),
      ).errorSignatures;
    const first = run('/home/runner/work/app/app', 12, '2026-11-21T09:00:01.123Z', 13, '5f2b9c1e7a', '/tmp/vitest-a1b2c3');
    const second = run('D:\\a\\1\\s', 48, '2026-11-22T17:45:09.987Z', 2041, '9c1e7a5f2b', '/tmp/vitest-zz9y8x');
    expect(second).toEqual(first);
    expect(first).toHaveLength(3);
  });
});

describe('analysisJson', () => {
  it('has exactly the fields of the analyze --json contract', () => {
    const analysis = analyze("src/a.ts(1,2): error TS2322: bad\nsrc/a.ts(3,4): error TS2322: worse", 2000, ['src/a.ts']);
    const json = analysisJson(analysis);
    expect(Object.keys(json)).toEqual(['class', 'excerpt', 'files', 'locations', 'stats']);
    expect(json.files).toEqual(['src/a.ts']);
    expect(json.locations[0]).toEqual({ path: 'src/a.ts', line: 1, column: 2, message: 'error TS2322: bad' });
    expect(json.stats).toEqual({ bytes: analysis.stats?.bytes, lines: 2, excerpt_tokens: estimateTokens(analysis.excerpt) });
  });
});
