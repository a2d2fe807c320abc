import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { distillLog, estimateTokens, isErrorLine } from './distill.js';
import { normaliseErrorSignature } from './error-signature.js';
import { LineClassifier } from './line-kinds.js';

const classifyLines = (lines: string[]) => {
  const classifier = new LineClassifier();
  return lines.map((line) => classifier.classify(line).kind);
};

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/logs/${name}`, import.meta.url), 'utf8');
const REPO = '/srv/checkout/fleet-app';

describe('estimateTokens', () => {
  it('is ceil(characters / 4)', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
  });
});

describe('classifyLines', () => {
  it('tells errors, evidence, context and noise apart', () => {
    const lines = [
      'npm http fetch GET 200 https://registry.npmjs.org/vitest 12ms',
      ' ✓ src/user.test.ts (4 tests) 6ms',
      ' FAIL  src/math.test.ts > add',
      'AssertionError: expected 1 to be 2',
      '- Expected',
      '+ Received',
      '',
      '- 2',
      '+ 1',
      ' ❯ src/math.test.ts:9:29',
      '    at Object.run (node_modules/vitest/dist/index.js:1:1)',
      '      9|     expect(add(1, 0)).toBe(2);',
      'Duration 412ms',
      '# fail 0',
    ];
    expect(classifyLines(lines)).toEqual([
      'noise',
      'noise',
      'error',
      'error',
      'detail',
      'detail',
      'noise',
      'detail',
      'detail',
      'detail',
      'noise',
      'detail',
      'context',
      'noise',
    ]);
  });

  it.each([
    ['error TS2322: bad', true],
    ['npm ERR! code E404', true],
    ['Tests:       1 failed, 7 passed, 8 total', true],
    ['not ok 2 - rejects an empty plate', true],
    ['[warn] src/a.ts', true],
    ['TypeError: x is not a function', true],
    ['# fail 0', false],
    ['Found 0 errors. Watching for file changes.', false],
    ['compiled successfully in 120 ms', false],
    ['errorHandler registered', false],
  ])('isErrorLine(%j) = %s', (line, expected) => {
    expect(isErrorLine(line)).toBe(expected);
  });
});

describe('normaliseErrorSignature', () => {
  it('makes the same error on another line, run and runner the same signature', () => {
    const variants = [
      "/home/runner/work/app/app/src/user.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.",
      "/home/vsts/work/1/s/src/user.ts(48,9): error TS2322: Type 'string' is not assignable to type 'number'.",
      `${REPO}/src/user.ts(7,1): error TS2322: Type 'string' is not assignable to type 'number'.`,
      "D:\\a\\1\\s\\src\\user.ts(3,3): error TS2322: Type 'string' is not assignable to type 'number'.",
      "src/user.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'. (×3)",
    ];
    const signatures = new Set(variants.map((line) => normaliseErrorSignature(line, REPO)));
    expect([...signatures]).toEqual(["src/user.ts(N,N): error tsN: type 'string' is not assignable to type 'number'."]);
  });

  it('removes timestamps, durations and hex ids', () => {
    expect(normaliseErrorSignature('2024-05-01T10:00:00.123Z Error: request 5f2b9c1e failed after 1234ms', REPO)).toBe(
      'error: request failed after',
    );
    expect(normaliseErrorSignature('[12:01:02] FAIL src/a.test.ts (5.2 s)', REPO)).toBe('[ ] fail src/a.test.ts');
    expect(normaliseErrorSignature('Segfault at 0x7ffd5e8c id 550e8400-e29b-41d4-a716-446655440000', REPO)).toBe(
      'segfault at id',
    );
  });

  it('keeps different errors apart', () => {
    const a = normaliseErrorSignature("src/a.ts(1,1): error TS2322: Type 'string' is not assignable", REPO);
    const b = normaliseErrorSignature("src/b.ts(1,1): error TS2322: Type 'string' is not assignable", REPO);
    const c = normaliseErrorSignature("src/a.ts(1,1): error TS2339: Property 'x' does not exist", REPO);
    expect(new Set([a, b, c]).size).toBe(3);
  });
});

describe('distillLog', () => {
  it('deduplicates identical error lines with a count and keeps distinct ones', () => {
    const repeated = Array.from({ length: 500 }, () => 'Error: connect to cache failed').join('\n');
    const log = `starting\n${repeated}\nsrc/a.ts(1,1): error TS2322: Type mismatch.\ndone`;
    const result = distillLog(log, { maxTokens: 2000, repoRoot: REPO });
    expect(result.excerpt.match(/Error: connect to cache failed/g)).toHaveLength(1);
    expect(result.excerpt).toContain('Error: connect to cache failed (×500)');
    expect(result.excerpt).toContain('src/a.ts(1,1): error TS2322: Type mismatch.');
    expect(result.errors).toEqual([
      { line: 'Error: connect to cache failed', count: 500 },
      { line: 'src/a.ts(1,1): error TS2322: Type mismatch.', count: 1 },
    ]);
  });

  it('drops progress noise and passing tests', () => {
    const log = [
      '⠋ Installing dependencies',
      'npm http fetch GET 200 https://registry.npmjs.org/left-pad 10ms',
      'added 312 packages, and audited 313 packages in 9s',
      ' ✓ src/ok.test.ts (12 tests) 30ms',
      ' FAIL  src/math.test.ts > add',
      'AssertionError: expected 5 to be 4',
    ].join('\n');
    const { excerpt } = distillLog(log, { maxTokens: 2000, repoRoot: REPO });
    expect(excerpt).toBe(' FAIL  src/math.test.ts > add\nAssertionError: expected 5 to be 4');
  });

  it('keeps an assertion diff and the code frame of a vitest failure', () => {
    const { excerpt } = distillLog(fixture('vitest-assertion.log'), { maxTokens: 2000, repoRoot: REPO });
    for (const expected of ['- Expected', '+ Received', '- -3', '+ -1', ' ❯ src/math.test.ts:9:29', '9|     expect(add(-1, -2)).toBe(-3);']) {
      expect(excerpt).toContain(expected);
    }
    expect(excerpt).not.toContain('✓ multiply');
  });

  it('keeps every distinct error before any context when the budget is tight', () => {
    const blocks = Array.from({ length: 20 }, (_, i) =>
      [`context before ${i} ${'x'.repeat(60)}`, `src/f${i}.ts(1,1): error TS2322: problem number ${i}`, `context after ${i} ${'y'.repeat(60)}`].join('\n'),
    );
    const log = blocks.join('\n');
    const errorsOnlyChars = blocks.length * 60;
    const result = distillLog(log, { maxTokens: Math.ceil((errorsOnlyChars + 200) / 4), repoRoot: REPO });
    for (let i = 0; i < 20; i += 1) expect(result.excerpt).toContain(`problem number ${i}`);
    expect(result.excerpt).not.toContain('context after 19');
    expect(result.omittedErrors).toBe(0);

    const roomy = distillLog(log, { maxTokens: 5000, repoRoot: REPO });
    expect(roomy.excerpt).toContain('context after 19');
    expect(roomy.excerpt).toContain('context before 0');
  });

  it('stays within the budget and says how many distinct errors it had to leave out', () => {
    const word = (i: number) => [...String(i)].map((digit) => 'abcdefghij'[Number(digit)]).join('');
    const log = Array.from({ length: 300 }, (_, i) => `src/f.ts(${i + 1},1): error TS2322: problem ${word(i)}`).join('\n');
    for (const maxTokens of [0, 5, 20, 100, 500, 1000]) {
      const result = distillLog(log, { maxTokens, repoRoot: REPO });
      expect(estimateTokens(result.excerpt)).toBeLessThanOrEqual(maxTokens);
      expect(result.signatures).toHaveLength(300);
    }
    const cut = distillLog(log, { maxTokens: 500, repoRoot: REPO });
    expect(cut.excerpt).toContain('src/f.ts(1,1): error TS2322: problem a');
    expect(cut.omittedErrors).toBeGreaterThan(0);
    expect(cut.excerpt).toMatch(new RegExp(`… ${cut.omittedErrors} more distinct error lines not shown$`));
  });

  it('shortens very long lines', () => {
    const { excerpt } = distillLog(`Error: ${'z'.repeat(5000)}`, { maxTokens: 2000, repoRoot: REPO });
    expect(excerpt.length).toBeLessThanOrEqual(400);
    expect(excerpt.endsWith('…')).toBe(true);
  });

  it('falls back to the end of the log when nothing looks like an error', () => {
    const log = Array.from({ length: 1000 }, (_, i) => `step ${i} done`).join('\n');
    const { excerpt, signatures } = distillLog(log, { maxTokens: 25, repoRoot: REPO });
    expect(excerpt.split('\n').at(-1)).toBe('step 999 done');
    expect(excerpt).not.toContain('step 1 done');
    expect(estimateTokens(excerpt)).toBeLessThanOrEqual(25);
    expect(signatures).toEqual([]);
  });

  it('makes paths repository-relative in the excerpt', () => {
    const { excerpt } = distillLog(fixture('eslint-unix.log'), { maxTokens: 2000, repoRoot: REPO });
    expect(excerpt).toContain('src/server.ts:4:10:');
    expect(excerpt).not.toContain('/home/vsts/work');
  });

  it('finds the one error in a large log of noise', () => {
    const noise = Array.from({ length: 100_000 }, (_, i) => `npm http fetch GET 200 https://r.test/p${i} ${i}ms`);
    noise.splice(50_000, 0, 'src/a.ts(3,4): error TS2322: Type mismatch.');
    const result = distillLog(noise.join('\n'), { maxTokens: 2000, repoRoot: REPO });
    expect(result.excerpt).toBe('src/a.ts(3,4): error TS2322: Type mismatch.');
  });
});
