import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeGate } from '../analysis/analyze.js';
import type { FailureAnalysis } from '../analysis/types.js';
import type { GateResult } from '../gates/types.js';
import { compareSignatures, failureSignature, type FailureSignature, type ProgressVerdict } from './signature.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/logs/${name}`, import.meta.url), 'utf8');

function gate(name: string, overrides: Partial<GateResult> = {}): GateResult {
  return {
    name,
    command: `npm run ${name}`,
    required: true,
    status: 'failed',
    exitCode: 1,
    signal: null,
    durationMs: 1000,
    output: '',
    outputTruncated: false,
    outputLogPath: null,
    ...overrides,
  };
}

function analysisOf(name: string, errorSignatures: string[]): FailureAnalysis {
  return { gate: name, failureClass: 'unknown', excerpt: '', errorSignatures, locations: [] };
}

const analyze = (result: GateResult, repoRoot: string) =>
  analyzeGate(result, { repoRoot, maxExcerptTokens: 2000, fileExists: () => true });

describe('failureSignature', () => {
  it('takes the failing required gates (sorted) and the union of their errors (sorted, unique)', () => {
    const gates = [
      gate('test'),
      gate('lint'),
      gate('audit', { required: false }),
      gate('build', { status: 'passed', exitCode: 0 }),
      gate('e2e', { status: 'timed_out', exitCode: null }),
    ];
    const analyses = [
      analysisOf('test', ['b', 'a']),
      analysisOf('lint', ['a', 'c']),
      analysisOf('audit', ['from an optional gate']),
      analysisOf('build', ['stale']),
    ];
    expect(failureSignature(gates, analyses)).toEqual({
      failingGates: ['e2e', 'lint', 'test'],
      errors: ['[gate lint: unknown]', '[gate test: unknown]', 'a', 'b', 'c'],
    });
  });

  it('counts a failing gate without readable errors, so a silent failure is not mistaken for progress', () => {
    const before = failureSignature([gate('test')], [analysisOf('test', ['a'])]);
    const silent = failureSignature([gate('test'), gate('lint')], [analysisOf('test', ['a']), analysisOf('lint', [])]);
    expect(silent.errors).toEqual(['[gate lint: unknown]', '[gate test: unknown]', 'a']);
    expect(compareSignatures(before, silent)).toBe('regression');
  });

  it('is empty when everything required is green', () => {
    expect(failureSignature([gate('lint', { status: 'passed', exitCode: 0 }), gate('audit', { required: false })], [])).toEqual({
      failingGates: [],
      errors: [],
    });
  });

  it('does not change when the same errors move to other lines, runners or timestamps', () => {
    const first = gate('typecheck', { output: fixture('tsc.log') });
    const moved = gate('typecheck', {
      output: fixture('tsc.log')
        .replace('src/user.ts(12,5)', '/home/vsts/work/1/s/src/user.ts(19,7)')
        .replace('src/index.ts(3,10)', 'src/index.ts(4,10)')
        .replace('src/user.ts(27,18)', 'src/user.ts(33,18)'),
    });
    const before = failureSignature([first], [analyze(first, '/repo')]);
    const after = failureSignature([moved], [analyze(moved, '/repo')]);
    expect(after).toEqual(before);
    expect(before.errors).toHaveLength(4);
    expect(compareSignatures(before, after)).toBe('same');

    const test = gate('test', { output: fixture('vitest-assertion.log') });
    const azure = gate('test', { output: fixture('azure-ansi.log') });
    const vitest = failureSignature([test], [analyze(test, '/repo')]);
    const azureVitest = failureSignature([azure], [analyze(azure, '/repo')]);
    expect(azureVitest.errors).toEqual(expect.arrayContaining(['assertionerror: expected -N to be -N // object.is equality']));
    expect(vitest.errors).toEqual(expect.arrayContaining(['assertionerror: expected -N to be -N // object.is equality']));
  });

  it('sees a fixed error as progress', () => {
    const before = gate('typecheck', { output: fixture('tsc.log') });
    const fixedOne = gate('typecheck', {
      output: fixture('tsc.log').replace(/^src\/index\.ts\(3,10\).*$/m, ''),
    });
    const verdict = compareSignatures(
      failureSignature([before], [analyze(before, '/repo')]),
      failureSignature([fixedOne], [analyze(fixedOne, '/repo')]),
    );
    expect(verdict).toBe('progress');
  });
});

describe('compareSignatures', () => {
  const sig = (failingGates: string[], errors: string[]): FailureSignature => ({ failingGates, errors });
  it.each<[string, FailureSignature, FailureSignature, ProgressVerdict]>([
    ['nothing fails any more', sig(['lint'], ['a']), sig([], []), 'green'],
    ['green stays green', sig([], []), sig([], []), 'green'],
    ['identical', sig(['lint'], ['a', 'b']), sig(['lint'], ['a', 'b']), 'same'],
    ['identical, other order', sig(['lint', 'test'], ['b', 'a']), sig(['test', 'lint'], ['a', 'b']), 'same'],
    ['fewer errors', sig(['lint'], ['a', 'b']), sig(['lint'], ['a']), 'progress'],
    ['fewer failing gates', sig(['lint', 'test'], ['a', 'b']), sig(['test'], ['b']), 'progress'],
    ['fewer gates but more errors', sig(['lint', 'test'], ['a']), sig(['test'], ['a', 'b']), 'regression'],
    ['as many errors but different ones', sig(['lint'], ['a', 'b']), sig(['lint'], ['a', 'c']), 'progress'],
    ['another gate fails now', sig(['lint'], ['a']), sig(['lint', 'test'], ['a']), 'regression'],
    ['more errors', sig(['lint'], ['a']), sig(['lint'], ['a', 'b']), 'regression'],
    ['a green build broke', sig([], []), sig(['lint'], []), 'regression'],
    ['a different single gate fails', sig(['lint'], ['a']), sig(['test'], ['a']), 'progress'],
  ])('%s', (_name, previous, next, expected) => {
    expect(compareSignatures(previous, next)).toBe(expected);
  });
});
