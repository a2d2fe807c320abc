import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anyOf, StartScreen } from './any-of.js';

describe('anyOf', () => {
  it('matches exactly what one of its patterns matches, flags included', () => {
    const matcher = anyOf([/^foo|bar$/, /\berror\b/i, /^\s*✓\s/, /^\s*(?:[-+]\s+)?Expected\b/]);
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
      ['  - Expected', true],
      ['', false],
    ] as const) {
      expect(matcher.test(text)).toBe(expected);
    }
  });

  it('still runs an anchored alternation that can start with a blank after ^\\s*', () => {
    expect(anyOf([/^\s*\s{2}x/]).test('   x')).toBe(true);
    expect(anyOf([/^\s*$/]).test('   ')).toBe(true);
    expect(anyOf([/^\s*$/]).test('  a')).toBe(false);
  });
});

describe('anyOf on real log lines', () => {
  // Patterns of the shapes the classifier uses: indented and anchored alternatives, case-insensitive ones,
  // lookaheads, end anchors, long alternations of words (screened by literals).
  const patterns = [
    /^\s*$/,
    /^\s*(?:\[[#=>.\- ]{10,}\]|[#=>-]{10,})(?: \d{1,3}%)?$/,
    /^\s*(?:Downloading|Resolving|Fetching|Progress|Compiling)\b/i,
    /^npm (?:http|timing|sill|verb)\b|^\s*(?:npm|pnpm|yarn)? ?warn(?:ing)?\b/i,
    /^\s*(?:at .*|\d+: .*)(?:node_modules[\\/]|node:internal|<anonymous>\)?$)/,
    /^\s+(?!(?:error|message|\w*Error):)[\w$]+: /,
    /\[Warning(?:\/[^\]]+)?\]$|\bDeprecationWarning\b/,
    /\berror\b|\bfail(?:ed|ing|ures?)?\b/i,
    /[Rr]eformat|Oh no|^[A-Z]{1,3}\d{3,4} |fixable|canceled|maximum|timed out|hang up|such host|go\.sum|go\.mod|checksum|[Kk]illed|JSON|\bE[A-Z]{4,}|\.pyi?:\d+:\d+: [A-Z]|Found \d+ errors?/,
  ];
  const dir = new URL('../../test/fixtures/logs/', import.meta.url);
  const lines = readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .flatMap((name) => readFileSync(new URL(name, dir), 'utf8').split('\n'))
    .flatMap((line) => [line, `  ${line}`, line.trimStart(), line.toUpperCase(), `\t${line.slice(3)}`]);

  it('gives the answer its patterns give, line by line', () => {
    expect(lines.length).toBeGreaterThan(5000);
    const differences: string[] = [];
    for (const pattern of patterns) {
      const matcher = anyOf([pattern]);
      for (const line of lines) if (matcher.test(line) !== pattern.test(line)) differences.push(`${pattern} on ${JSON.stringify(line)}`);
    }
    const all = anyOf(patterns);
    for (const line of lines) if (all.test(line) !== patterns.some((pattern) => pattern.test(line))) differences.push(`all on ${line}`);
    expect(differences).toEqual([]);
    expect(lines.filter((line) => all.test(line)).length).toBeGreaterThan(1000);
  });
});

describe('StartScreen', () => {
  it('leaves out exactly the matchers a line cannot start as, never one that matches', () => {
    const marker = anyOf([/^\s*(?:[✓✔√]\s|ok \d)/]);
    const npm = anyOf([/^npm (?:http|warn)\b/]);
    const words = anyOf([/\berror\b/i]);
    const screen = new StartScreen([marker, npm, words]);
    expect(screen.candidates('  ✓ passes')).toBe(0b101);
    expect(screen.candidates('npm http fetch')).toBe(0b110);
    expect(screen.candidates('  npm http fetch')).toBe(0b100); // `^npm` needs it at the very start
    expect(screen.candidates('')).toBe(0b100);
    const lines = ['ok 1 - fine', ' ok 2', 'npm warn old', 'an error', 'x', '', '\t✓ y'];
    for (const line of lines) {
      [marker, npm, words].forEach((matcher, index) => {
        if (matcher.test(line)) expect(screen.candidates(line) & (1 << index)).not.toBe(0);
      });
    }
  });
});
