import { describe, expect, it } from 'vitest';
import { LiteralScreen, requiredLiterals, screenFor } from './literal-screen.js';

describe('requiredLiterals', () => {
  it.each([
    ['timed out', false, ['timed out']],
    ['[Kk]illed', false, ['Killed', 'killed']],
    ['\\.pyi?:\\d+', false, ['.py']],
    ['(?:Error|Exception)\\b', false, ['Error', 'Exception']],
    ['\\berror\\b', false, ['error']],
    ['x.*yz', false, ['yz']],
    ['\\d+', false, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']],
    ['a?', false, null],
  ] as const)('%s → %j', (source, ignoreCase, expected) => {
    expect(requiredLiterals(source, ignoreCase)).toEqual(expected);
  });

  it('spells every case of a case-insensitive literal', () => {
    const spellings = requiredLiterals('fail', true) ?? [];
    expect(spellings).toHaveLength(16);
    expect(spellings).toEqual(expect.arrayContaining(['fail', 'FAIL', 'Fail', 'fAiL']));
  });
});

describe('LiteralScreen', () => {
  it('finds any of its literals anywhere, overlapping ones included, and nothing else', () => {
    const literals = ['he', 'she', 'his', 'hers', 'go.sum', '✖'];
    const screen = new LiteralScreen(literals);
    const alphabet = ['h', 'e', 's', 'r', 'i', 'x', 'go.', 'sum', '✖', ' '];
    let seed = 1;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let round = 0; round < 3000; round += 1) {
      const text = Array.from({ length: next() % 8 }, () => alphabet[next() % alphabet.length]).join('');
      expect(screen.test(text), text).toBe(literals.some((literal) => text.includes(literal)));
    }
  });
});

describe('screenFor', () => {
  it('searches for a few literals, uses an automaton for many, and gives up without selective literals', () => {
    expect(screenFor(['\\[Warning', 'DeprecationWarning'], '', false)?.test('a DeprecationWarning here')).toBe(true);
    expect(screenFor(['\\[Warning', 'DeprecationWarning'], '', false)?.test('nothing')).toBe(false);
    expect(screenFor(['alpha', 'beta', 'gamma', 'delta'], '', false)).toBeNull();
    expect(screenFor(['alpha', 'beta', 'gamma', 'delta'], '', true)).toBeInstanceOf(LiteralScreen);
    expect(screenFor(['\\d+x?'], '', true)).toBeNull(); // a digit alone is too common to screen on
  });
});
