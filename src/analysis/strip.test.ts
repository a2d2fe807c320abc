import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanLogLines, stripAnsi, stripCiPrefix } from './strip.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/logs/${name}`, import.meta.url), 'utf8');

describe('stripAnsi', () => {
  it('removes colours, cursor moves and OSC hyperlinks but keeps the text', () => {
    const text = '\u001b[1m\u001b[31merror\u001b[39m\u001b[22m \u001b[2K\u001b[1Gdone \u001b]8;;https://x.test\u0007link\u001b]8;;\u0007';
    expect(stripAnsi(text)).toBe('error done link');
  });
});

describe('stripAnsi, read by hand', () => {
  // The pattern it must agree with: CSI, OSC (BEL or ST terminated) and two-character escapes; 8-bit CSI.
  const REFERENCE = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[@-Z\\-_]|\u009B[0-?]*[ -/]*[@-~]/g;

  it('removes what the escape pattern matches, unterminated and unknown sequences included', () => {
    const pieces = ['\u001b', '[', ']', '1', ';', '3', '2', 'm', ' ', '\u0007', '\\', 'a', 'K', '~', '?', '\u009b', 'é'];
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let round = 0; round < 20_000; round += 1) {
      const text = Array.from({ length: next() % 10 }, () => pieces[next() % pieces.length]).join('');
      expect(stripAnsi(text), JSON.stringify(text)).toBe(text.replace(REFERENCE, ''));
    }
  });
});

describe('stripCiPrefix', () => {
  it.each([
    ['2024-05-01T10:00:00.1234567Z npm test', 'npm test'],
    ['2024-05-01T10:00:00Z plain', 'plain'],
    ['2024-05-01T10:00:00.1234567Z ##[group]Run npm ci', 'Run npm ci'],
    ['##[error]Bash exited with code 1.', 'Bash exited with code 1.'],
    ['##[section]Starting: npm test', 'Starting: npm test'],
    ['##vso[task.logissue type=error;sourcepath=src/a.ts]bad thing', 'bad thing'],
    ['::group::Run npm test', 'Run npm test'],
    ['::error file=D:\\a\\app\\app\\src\\a.ts,line=3::broken', 'broken'],
    ['::warning title=x::careful', 'careful'],
    ['  indented tool output', '  indented tool output'],
    ['src/a.ts:1:2: not a command', 'src/a.ts:1:2: not a command'],
  ])('%j → %j', (line, expected) => {
    expect(stripCiPrefix(line)).toBe(expected);
  });

  it.each([
    '##[endgroup]',
    '2024-05-01T10:00:00.1234567Z ##[endgroup]',
    '##[debug]Evaluating condition',
    '::endgroup::',
    '::add-mask::value',
    '::stop-commands::abc123',
    '::abc123::',
    '##vso[task.setvariable variable=x]1',
  ])('drops CI bookkeeping %j', (line) => {
    expect(stripCiPrefix(line)).toBeNull();
  });
});

describe('cleanLogLines', () => {
  it('keeps only the last redraw of a carriage-return progress line', () => {
    expect(cleanLogLines('step 1\n[##   ] 10%\r[#####] 100%\r\nnext\r\n\n\n')).toEqual(['step 1', '[#####] 100%', 'next']);
  });

  it('turns an Azure log with timestamps and ANSI codes into plain tool output', () => {
    const lines = cleanLogLines(fixture('azure-ansi.log'));
    expect(lines.join('\n')).not.toMatch(/\u001b|##\[|2024-05-01T/);
    expect(lines).toContain(' FAIL  src/math.test.ts > add > adds negative numbers');
    expect(lines).toContain('AssertionError: expected -1 to be -3 // Object.is equality');
    expect(lines).toContain(' ❯ /home/vsts/work/1/s/src/math.test.ts:9:29');
    expect(lines).toContain('Starting: npm test');
  });

  it('turns a GitHub log with groups and workflow commands into plain tool output', () => {
    const lines = cleanLogLines(fixture('github-group.log'));
    expect(lines.join('\n')).not.toMatch(/\u001b|::group::|::endgroup::|##\[|add-mask|not-a-real-secret/);
    expect(lines[0]).toBe('Run npm run lint');
    expect(lines).toContain('/home/runner/work/fleet-app/fleet-app/src/server.ts');
    expect(lines).toContain("'readFile' is defined but never used");
  });
});
