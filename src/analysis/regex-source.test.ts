import { describe, expect, it } from 'vitest';
import { atomsOf, CharSet, splitAlternatives } from './regex-source.js';

const units = (set: CharSet) => set.units().sort((a, b) => a - b).map((unit) => String.fromCharCode(unit)).join('');

describe('splitAlternatives', () => {
  it('splits only on top-level bars', () => {
    expect(splitAlternatives('^a|(b|c)|[|]|d\\|e|[\\]|]x')).toEqual(['^a', '(b|c)', '[|]', 'd\\|e', '[\\]|]x']);
  });
});

describe('atomsOf', () => {
  it('reads characters, classes, escapes, groups, quantifiers and assertions', () => {
    const atoms = atomsOf('^\\s*(?:a|bc)?[x-z]+\\.\\u2713{2,}$');
    expect(atoms.map((atom) => atom.kind)).toEqual(['assertion', 'char', 'group', 'char', 'char', 'char', 'assertion']);
    const [, blanks, group, range, dot, check, end] = atoms;
    expect(blanks).toMatchObject({ kind: 'char', min: 0, repeats: true });
    expect(group).toMatchObject({ kind: 'group', alternatives: ['a', 'bc'], min: 0 });
    expect(range?.kind === 'char' && units(range.set)).toBe('xyz');
    expect(dot?.kind === 'char' && units(dot.set)).toBe('.');
    expect(check).toMatchObject({ kind: 'char', min: 2, repeats: true });
    expect(end).toEqual({ kind: 'assertion', end: true });
  });

  it('reads what it does not understand as any character', () => {
    expect(atomsOf('[^a]')[0]).toMatchObject({ kind: 'char', set: { isAny: true } });
    expect(atomsOf('\\S')[0]).toMatchObject({ kind: 'char', set: { isAny: true } });
    expect(atomsOf('(a)\\1')[1]).toMatchObject({ kind: 'char', set: { isAny: true } });
  });
});

describe('CharSet', () => {
  it('adds the other case of letters, and gives a bit set for fast tests', () => {
    const set = new CharSet();
    set.add('a'.charCodeAt(0));
    set.add('✓'.charCodeAt(0));
    expect(units(set.withBothCases())).toBe('Aa✓');
    const bits = set.toBits();
    const has = (char: string) => (bits[char.charCodeAt(0) >>> 5]! & (1 << (char.charCodeAt(0) & 31))) !== 0;
    expect([has('a'), has('✓'), has('b')]).toEqual([true, true, false]);
  });
});
