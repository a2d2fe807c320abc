import { describe, expect, it } from 'vitest';
import { END_OF_TEXT, firstChars, firstNonBlankCode } from './first-chars.js';

/** The first characters as a sorted string, `$` standing for the end of the text, `*` for any character. */
function starts(source: string, flags = '', skipBlanks = false): string {
  const first = firstChars(source, flags, skipBlanks);
  if (first.set.isAny) return '*';
  const chars = first.set.units().sort((a, b) => a - b).map((unit) => String.fromCharCode(unit)).join('');
  return chars + (first.atEnd ? '$' : '');
}

describe('firstChars', () => {
  it.each([
    ['npm (?:http|timing)\\b', '', 'n'],
    ['(?:[-+]\\s+)?(?:Expected|Received)\\b', '', '+-ER'],
    ['\\d{1,3}%|\\[', '', '0123456789['],
    ['warn(?:ing)?', 'i', 'Ww'],
    ['(?!error)\\w+: ', '', '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz'], // lookaheads are ignored
    ['$', '', '$'],
    ['a*$', '', 'a$'],
    ['(?:x|)y', '', 'xy'],
    ['\\bE[A-Z]', '', 'E'],
    ['a?', '', '*'],
    ['.x', '', '*'],
    ['\\u2713 ', 'u', '*'],
  ])('%s /%s → %s', (source, flags, expected) => {
    expect(starts(source, flags)).toBe(expected);
  });

  it('skipping blanks, gives the first non-blank character a match can hold', () => {
    expect(starts('(?:npm|pnpm)? ?warn', 'i', true)).toBe('NPWnpw');
    expect(starts(' +\\d', '', true)).toBe('0123456789');
    expect(starts('\\s*$', '', true)).toBe('$');
    expect(starts('\\s*', '', true)).toBe('*');
  });
});

describe('firstNonBlankCode', () => {
  it('skips what \\s matches, and says when nothing is left', () => {
    expect(firstNonBlankCode('  \t x')).toBe('x'.charCodeAt(0));
    expect(firstNonBlankCode('\u00a0\u3000✓')).toBe('✓'.charCodeAt(0));
    expect(firstNonBlankCode(' \u2028 ')).toBe(END_OF_TEXT);
    expect(firstNonBlankCode('')).toBe(END_OF_TEXT);
  });
});
