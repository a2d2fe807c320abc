import { describe, expect, it } from 'vitest';
import {
  assertOutputName,
  escapeAzureData,
  escapeAzureProperty,
  escapeGithubData,
  escapeGithubProperty,
  neutralizeLogLine,
  secretLines,
} from './escape.js';

describe('escaping (task-lib / actions-toolkit tables)', () => {
  it('azure data: % first, then CR and LF', () => {
    expect(escapeAzureData('100%\r\nnext')).toBe('100%AZP25%0D%0Anext');
    // An already-escaped-looking sequence is escaped again, so the agent decodes it back to itself.
    expect(escapeAzureData('%0A')).toBe('%AZP250A');
  });

  it('azure property: also ] and ;', () => {
    expect(escapeAzureProperty('a;b]c%\n')).toBe('a%3Bb%5Dc%AZP25%0A');
  });

  it('github data and property', () => {
    expect(escapeGithubData('50%\r\n::x')).toBe('50%25%0D%0A::x');
    expect(escapeGithubProperty('C:\\a,b.ts%')).toBe('C%3A\\a%2Cb.ts%25');
  });
});

/** What each runner would act on in a line (ECOSYSTEM §1.1/§2.2 and the runners' parsers). */
function azureActsOn(line: string): boolean {
  return line.includes('##vso[');
}
function githubActsOn(line: string): boolean {
  return line.replace(/^[\s\u0085]+/, '').startsWith('::') || line.includes('##[');
}
function runnerLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

describe('neutralizeLogLine', () => {
  const hostile = [
    '##vso[task.setvariable variable=x]pwned',
    'progress 50% ##vso[task.prependpath]/tmp/evil',
    '##[group]fake',
    '::set-output name=x::pwned',
    '   \t::add-mask::',
    '\u0085::error::nel is whitespace to .NET',
    'ok\r##vso[task.complete result=Succeeded;]',
    'ok\r::stop-commands::abc',
    'legacy ##[set-env name=X;]1',
  ];

  it.each(hostile)('azure: %j can no longer act as a command', (line) => {
    const safe = neutralizeLogLine(line, 'azure-pipelines');
    for (const out of runnerLines(safe)) expect(azureActsOn(out)).toBe(false);
  });

  it.each(hostile)('github: %j can no longer act as a command', (line) => {
    const safe = neutralizeLogLine(line, 'github-actions');
    for (const out of runnerLines(safe)) expect(githubActsOn(out)).toBe(false);
  });

  it('keeps the text readable and leaves ordinary lines alone', () => {
    expect(neutralizeLogLine('##vso[task.setvariable variable=x]1', 'azure-pipelines')).toBe(
      '##vso [task.setvariable variable=x]1',
    );
    expect(neutralizeLogLine('  ::error::x', 'github-actions')).toBe('  : :error::x');
    expect(neutralizeLogLine('src/a.ts(3,4): error TS2322: a::b', 'github-actions')).toBe(
      'src/a.ts(3,4): error TS2322: a::b',
    );
    expect(neutralizeLogLine('a\r\nb', 'azure-pipelines')).toBe('a\nb');
  });

  it('changes nothing for plain output', () => {
    expect(neutralizeLogLine('##vso[x]y', 'local')).toBe('##vso[x]y');
    expect(neutralizeLogLine('::x::y', 'gitlab')).toBe('::x::y');
  });
});

describe('helpers', () => {
  it('assertOutputName rejects names that could break out of a command or an output file', () => {
    expect(() => assertOutputName('pr_url')).not.toThrow();
    for (const bad of ['a=b', 'x\ny', 'a;b', '', '1x', 'a<<EOF']) expect(() => assertOutputName(bad)).toThrow(RangeError);
  });

  it('secretLines splits on every line break and drops blank lines', () => {
    expect(secretLines('line-one\r\n\nline-two\r  \n')).toEqual(['line-one', 'line-two']);
  });
});
