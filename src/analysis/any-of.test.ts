import { describe, expect, it } from 'vitest';
import { anyOf, topLevelAlternatives } from './any-of.js';

describe('topLevelAlternatives', () => {
  it('splits only on top-level bars', () => {
    expect(topLevelAlternatives('^a|(b|c)|[|]|d\\|e')).toEqual(['^a', '(b|c)', '[|]', 'd\\|e']);
  });
});

describe('anyOf', () => {
  it('matches exactly what one of its patterns matches, flags included', () => {
    const matcher = anyOf([/^foo|bar$/, /\berror\b/i, /^\s*✓\s/]);
    for (const [text, expected] of [
      ['foo at the start', true],
      ['not foo at the start', false],
      ['ends with bar', true],
      ['bar not at the end', false],
      ['An ERROR here', true],
      ['errors are not error-free', true],
      ['terrorist', false],
      ['  ✓ passes', true],
      ['x ✓ passes', false],
    ] as const) {
      expect(matcher.test(text)).toBe(expected);
    }
  });
});
