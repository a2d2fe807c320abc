import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GateResult } from '../gates/types.js';
import { analyzeGate, describeGateOutcome } from './analyze.js';
import { estimateTokens } from './distill.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/logs/${name}`, import.meta.url), 'utf8');
const REPO = '/srv/checkout/fleet-app';
const existing = new Set(['src/user.ts', 'src/index.ts', 'src/server.ts', 'src/math.test.ts']);
const options = { repoRoot: REPO, maxExcerptTokens: 2000, fileExists: (file: string) => existing.has(file) };

function gate(overrides: Partial<GateResult>): GateResult {
  return {
    name: 'test',
    command: 'npm test',
    required: true,
    status: 'failed',
    exitCode: 1,
    signal: null,
    durationMs: 4200,
    output: '',
    outputTruncated: false,
    outputLogPath: null,
    ...overrides,
  };
}

describe('analyzeGate', () => {
  it('classifies, distils and locates a typecheck failure', () => {
    const analysis = analyzeGate(gate({ name: 'typecheck', command: 'npm run typecheck', exitCode: 2, output: fixture('tsc.log') }), options);
    expect(analysis.gate).toBe('typecheck');
    expect(analysis.failureClass).toBe('typecheck');
    expect(analysis.excerpt.split('\n')[0]).toBe('gate "typecheck" (npm run typecheck): exit code 2');
    expect(analysis.excerpt).toContain("src/user.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.");
    expect(analysis.errorSignatures).toHaveLength(3);
    expect(analysis.locations.map((l) => `${l.file}:${l.line}`)).toEqual(['src/user.ts:12', 'src/user.ts:27', 'src/index.ts:3']);
  });

  it('analyses an Azure log with ANSI codes like a plain one', () => {
    const analysis = analyzeGate(gate({ output: fixture('azure-ansi.log') }), options);
    expect(analysis.failureClass).toBe('test');
    expect(analysis.excerpt).not.toMatch(/\u001b|##\[|2024-05-01T|\/home\/vsts/);
    expect(analysis.excerpt).toContain('AssertionError: expected -1 to be -3 // Object.is equality');
    expect(analysis.errorSignatures).toContain('assertionerror: expected -N to be -N // object.is equality');
    expect(analysis.locations).toEqual([
      { file: 'src/math.test.ts', line: 9, column: 29, message: 'AssertionError: expected -1 to be -3 // Object.is equality' },
    ]);
  });

  it('says a timeout in the excerpt even when the log is empty', () => {
    const analysis = analyzeGate(
      gate({ status: 'timed_out', exitCode: null, signal: 'SIGKILL', durationMs: 600_000, output: '' }),
      options,
    );
    expect(analysis.failureClass).toBe('timeout');
    expect(analysis.excerpt).toBe('gate "test" (npm test): timed out after 600 s');
    expect(analysis.errorSignatures).toEqual([]);
    expect(analysis.locations).toEqual([]);
  });

  it('keeps the whole excerpt, header included, within the token budget', () => {
    const output = Array.from({ length: 2000 }, (_, i) => `src/user.ts(${i + 1},1): error TS2322: mismatch ${'q'.repeat(i % 50)}`).join('\n');
    for (const maxExcerptTokens of [1, 10, 50, 300, 2000]) {
      const analysis = analyzeGate(gate({ output, outputTruncated: true }), { ...options, maxExcerptTokens });
      expect(estimateTokens(analysis.excerpt)).toBeLessThanOrEqual(maxExcerptTokens);
    }
    const roomy = analyzeGate(gate({ output, outputTruncated: true }), { ...options, maxExcerptTokens: 300 });
    expect(roomy.excerpt.split('\n')[0]).toContain('(output truncated: head and tail kept)');
  });

  it('gives the same signatures for the same errors moved to other lines', () => {
    const before = analyzeGate(gate({ name: 'typecheck', output: fixture('tsc.log') }), options);
    const shifted = fixture('tsc.log').replace('(12,5)', '(14,5)').replace('(27,18)', '(31,2)').replace(':12', ':14');
    const after = analyzeGate(gate({ name: 'typecheck', output: shifted }), options);
    expect(after.errorSignatures).toEqual(before.errorSignatures);
    expect(after.locations[0]?.line).toBe(14);
  });

  it('costs no more on a hostile log of long lines than on a plain log of the same size (no regex blow-up)', () => {
    const nasty = [
      'a/'.repeat(2000),
      'x:1:'.repeat(1000),
      `${'/home/runner/work/'.repeat(200)}`,
      'src.ts'.repeat(600),
      `Error ${'.a'.repeat(2000)}`,
      ' '.repeat(3000) + 'error',
    ];
    const output = Array.from({ length: 250 }, (_, i) => nasty[i % nasty.length]).join('\n');
    const plain = Array.from({ length: output.length / 80 }, (_, i) => `step ${i} of the build finished ${'.'.repeat(50)}`).join('\n');
    const cost = (log: string) => {
      analyzeGate(gate({ output: log }), options); // warm-up
      const started = performance.now();
      for (let round = 0; round < 3; round += 1) analyzeGate(gate({ output: log }), options);
      return performance.now() - started;
    };
    // A quadratic pattern made this 30-100 times slower than the plain log; a ratio in the same run is load-proof.
    expect(cost(output) / cost(plain)).toBeLessThan(8);
    expect(estimateTokens(analyzeGate(gate({ output }), options).excerpt)).toBeLessThanOrEqual(2000);
  });
});

describe('describeGateOutcome', () => {
  it('names the exit code, the signal or the timeout', () => {
    expect(describeGateOutcome(gate({}))).toBe('gate "test" (npm test): exit code 1');
    expect(describeGateOutcome(gate({ exitCode: null, signal: 'SIGKILL' }))).toBe('gate "test" (npm test): killed by SIGKILL');
  });
});
