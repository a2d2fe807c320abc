import { describe, expect, it } from 'vitest';
import { expandBraces } from './brace-expansion.js';
import { expandWord, expandWords, MAX_ALTERNATIVES, type ExpandContext } from './expand.js';
import { parseShell } from './parse.js';
import type { ShWord } from './shell-ast.js';
import { ShellState } from './shell-state.js';

function wordsOf(source: string): ShWord[] {
  const outcome = parseShell(source);
  if (!outcome.ok || outcome.script.body.type !== 'list') throw new Error('parse');
  const node = outcome.script.body.items[0]!.node;
  if (node.type !== 'command') throw new Error('not a command');
  return [...node.words];
}

function context(setup: (state: ShellState) => void = () => undefined): ExpandContext {
  const state = new ShellState({ cwd: '/repo', home: '/home/ci' });
  setup(state);
  return { state, substitution: () => ({ tainted: false, remote: false }) };
}

const values = (source: string, ctx = context()): (string | null)[][] =>
  expandWords(wordsOf(source), ctx).map((fields) => fields.map((field) => field.value));

describe('expandWords', () => {
  it('removes quotes and escapes, keeps unknown values unknown', () => {
    expect(values(`r"m" '-rf' \\/ $'\\x2f' "$UNSET"`)).toEqual([['rm', '-rf', '/', '/', null]]);
  });

  it('splits unquoted expansions on IFS, not quoted ones', () => {
    const ctx = context((state) => state.set('X', { values: ['rm -rf /'], tainted: false, remote: false }));
    expect(values('$X', ctx)).toEqual([['rm', '-rf', '/']]);
    expect(values('"$X"', ctx)).toEqual([['rm -rf /']]);
    const commas = context((state) => {
      state.set('IFS', { values: [','], tainted: false, remote: false });
      state.set('X', { values: ['a,b'], tainted: false, remote: false });
    });
    expect(values('$X', commas)).toEqual([['a', 'b']]);
  });

  it('expands braces into separate words and ~ into the home directory', () => {
    expect(values('{rm,-rf,/}')).toEqual([['rm', '-rf', '/']]);
    expect(values('~/x ~other/y')).toEqual([['/home/ci/x', null]]);
  });

  it('applies ${X:-w}, ${X:+w} and ${#X}-like operations on known values only', () => {
    const ctx = context((state) => state.set('E', { values: [''], tainted: false, remote: false }));
    // `${E-/}`: an empty E may be set (empty, no word) or unset (/): both readings.
    expect(values('${E:-/} ${E:+x} ${E-/}', ctx)).toEqual([['/'], ['/', '/']]);
    expect(values('${UNSET:-/} ${#E}', ctx)).toEqual([[null, null]]);
  });

  it('gives one alternative per possible value, and marks globs from unquoted expansions', () => {
    const ctx = context((state) => state.set('D', { values: ['dist', '/'], tainted: false, remote: false }));
    expect(values('rm -rf $D', ctx)).toEqual([['rm', '-rf', 'dist'], ['rm', '-rf', '/']]);
    const glob = context((state) => state.set('P', { values: ['*'], tainted: false, remote: false }));
    expect(expandWord(wordsOf('/$P')[0]!, glob)[0]![0]).toMatchObject({ value: '/*', glob: true });
    expect(expandWord(wordsOf('"/$P"')[0]!, glob)[0]![0]).toMatchObject({ value: '/*', glob: false });
  });

  it('collapses an explosion of alternatives into one unknown word', () => {
    const ctx = context((state) => state.set('V', { values: ['a', 'b', 'c', 'd', 'e'], tainted: false, remote: false }));
    const alternatives = expandWords(wordsOf('x $V $V $V'), ctx);
    expect(alternatives.length).toBeLessThanOrEqual(MAX_ALTERNATIVES);
    expect(alternatives.flat().some((field) => field.value === null)).toBe(true);
  });

  it('marks values from secret-named variables as tainted', () => {
    expect(expandWord(wordsOf('"$GITHUB_TOKEN"')[0]!, context())[0]![0]).toMatchObject({ value: null, tainted: true });
  });
});

describe('expandBraces', () => {
  it.each([
    ['{a,b}', ['a', 'b']],
    ['x{1..3}', ['x1', 'x2', 'x3']],
    ['{a,{b,c}}d', ['ad', 'bd', 'cd']],
    ['/{,etc}', ['/', '/etc']],
    ['{a}', ['{a}']],
    ['{5..1..2}', ['5', '3', '1']],
  ])('%s', (text, expected) => {
    expect(expandBraces(text)).toEqual(expected);
  });

  it('gives up (null) on expansions too large to judge', () => {
    expect(expandBraces('{1..1000}')).toBeNull();
    expect(expandBraces('{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}')).toBeNull();
  });
});
