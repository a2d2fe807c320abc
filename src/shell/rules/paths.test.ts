import { describe, expect, it } from 'vitest';
import { literalField } from '../fields.js';
import { globToRegExp, repoRelative, targetOf } from './paths.js';

const glob = (value: string) => ({ ...literalField(value), glob: true });

describe('targetOf', () => {
  it('resolves relative paths from the working directory and normalises', () => {
    expect(targetOf(literalField('a/../b'), '/repo')).toMatchObject({ kind: 'path', abs: '/repo/b', base: '/repo/b', pattern: false });
    expect(targetOf(literalField('//'), '/repo')).toMatchObject({ abs: '/' });
    expect(targetOf(literalField('x'), null)).toMatchObject({ kind: 'unknown' });
    expect(targetOf(literalField(''), '/repo')).toEqual({ kind: 'none' });
  });

  it('confines a pattern to the directory before its first glob', () => {
    expect(targetOf(glob('/*'), '/repo')).toMatchObject({ base: '/', pattern: true });
    expect(targetOf(glob('dist/*.js'), '/repo')).toMatchObject({ base: '/repo/dist', abs: '/repo/dist/*.js' });
    expect(targetOf(glob('dist/*/../..'), '/repo')).toMatchObject({ kind: 'unknown' });
  });

  it('gives the path relative to the repository, or null outside it', () => {
    const inside = targetOf(literalField('.github/workflows'), '/repo');
    const outside = targetOf(literalField('../other'), '/repo');
    expect(inside.kind === 'path' && repoRelative(inside, '/repo')).toBe('.github/workflows');
    expect(outside.kind === 'path' && repoRelative(outside, '/repo')).toBeNull();
  });
});

describe('globToRegExp', () => {
  it.each([
    ['*', 'azure-pipelines.yml', true],
    ['*', '.github', false],
    ['.*', '.github', true],
    ['**/*.tmp', 'a/b/c.tmp', true],
    ['dist/**', 'dist', true],
    ['[!a]*', 'build', true],
    ['?.txt', 'ab.txt', false],
  ])('%s ~ %s: %s', (pattern, path, expected) => {
    expect(globToRegExp(pattern).test(path)).toBe(expected);
  });

  it('matches dotfiles too when asked (dotglob)', () => {
    expect(globToRegExp('*', true).test('.git')).toBe(true);
  });
});
