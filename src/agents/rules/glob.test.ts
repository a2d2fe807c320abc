import { describe, expect, it } from 'vitest';
import { matchesGlob } from './glob.js';

describe('matchesGlob', () => {
  it.each([
    ['.git/**', '.git/config', true],
    ['.git/**', '.git/hooks/pre-commit', true],
    ['.git/**', '.git', true],
    ['.git/**', '.github/x', false],
    ['.github/workflows/**', '.github/workflows/ci.yml', true],
    ['.github/workflows/**', '.GitHub/Workflows/ci.yml', true],
    ['.github/workflows/**', '.github/dependabot.yml', false],
    ['config.yaml', 'config.yaml', true],
    ['config.yaml', './config.yaml', true],
    ['config.yaml', 'sub/config.yaml', false],
    ['**/config.yaml', 'sub/deep/config.yaml', true],
    ['**/config.yaml', 'config.yaml', true],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/a/b.ts', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/a/b/c.ts', true],
    ['file?.txt', 'file1.txt', true],
    ['file?.txt', 'file12.txt', false],
    ['a.b', 'axb', false],
    ['**', 'anything/at/all', true],
  ])('%s vs %s -> %s', (pattern, path, expected) => {
    expect(matchesGlob(path, pattern)).toBe(expected);
  });
});
