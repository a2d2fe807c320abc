import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fitSummary, formatOutputEntry, GithubReporter, STEP_SUMMARY_LIMIT_BYTES } from './github-reporter.js';

/**
 * A transcription of the GitHub runner's parser (`ActionCommand.TryParseV2`): a line that starts with `::`
 * after leading whitespace, command info up to the next `::`, properties split on `,` then the first `=`.
 */
interface RunnerCommand {
  name: string;
  properties: Record<string, string>;
  data: string;
}
const unescapeData = (text: string) => text.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');
const unescapeProperty = (text: string) =>
  text.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%3A', ':').replaceAll('%2C', ',').replaceAll('%25', '%');
function runnerParse(raw: string): RunnerCommand | null {
  const line = raw.trimStart();
  if (!line.startsWith('::')) return null;
  const end = line.indexOf('::', 2);
  if (end < 0) return null;
  const info = line.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info.slice(space + 1).trim().split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { name, properties, data: unescapeData(line.slice(end + 2)) };
}

/** The runner's reading of `$GITHUB_OUTPUT` (`name=value` or `name<<DELIM` … `DELIM`). */
function parseOutputFile(text: string): Record<string, string> {
  const lines = text.split('\n');
  const outputs: Record<string, string> = {};
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      outputs[line.slice(0, eq)] = line.slice(eq + 1);
      continue;
    }
    const name = line.slice(0, heredoc);
    const delimiter = line.slice(heredoc + 2);
    const value: string[] = [];
    for (index += 1; lines[index] !== delimiter; index += 1) {
      if (index >= lines.length) throw new Error('unterminated heredoc');
      value.push(lines[index] ?? '');
    }
    outputs[name] = value.join('\n');
  }
  return outputs;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleet-gh-reporter-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function capture(files: { outputFile?: string | null; summaryFile?: string | null } = {}) {
  const written: string[] = [];
  const reporter = new GithubReporter({
    write: (line) => written.push(line),
    outputFile: files.outputFile ?? null,
    summaryFile: files.summaryFile ?? null,
  });
  const lines = () => written.join('\n').split(/\r\n|\r|\n/);
  const commands = () => lines().flatMap((line) => runnerParse(line) ?? []);
  return { reporter, lines, commands };
}

const INJECTION = 'boom\n::set-output name=x::pwned\r  ::add-mask::\n##[set-env name=A;]b';

describe('GithubReporter', () => {
  it('an annotation message or file name cannot start a second workflow command', () => {
    const { reporter, lines, commands } = capture();
    reporter.error({ file: 'src/a,b::c.ts', line: 7, column: 2, message: INJECTION });
    reporter.error({ file: 'x.ts', line: 1, column: null, message: '50%' });
    expect(lines()).toHaveLength(2);
    expect(lines()[1]).toBe('::error file=x.ts,line=1::50%25');
    expect(commands()).toEqual([
      { name: 'error', properties: { file: 'src/a,b::c.ts', line: '7', col: '2' }, data: INJECTION },
      { name: 'error', properties: { file: 'x.ts', line: '1' }, data: '50%' },
    ]);
  });

  it('groups, warnings and masks: one line per command, data round-trips', () => {
    const { reporter, lines, commands } = capture();
    reporter.group(`lint ${INJECTION}`);
    reporter.warning(INJECTION);
    reporter.endGroup();
    reporter.mask(`first-line-secret\n\nsecond-line-secret`);
    expect(lines()).toHaveLength(5);
    expect(commands()).toEqual([
      { name: 'group', properties: {}, data: `lint ${INJECTION}` },
      { name: 'warning', properties: {}, data: INJECTION },
      { name: 'endgroup', properties: {}, data: '' },
      { name: 'add-mask', properties: {}, data: 'first-line-secret' },
      { name: 'add-mask', properties: {}, data: 'second-line-secret' },
    ]);
  });

  it('setOutput appends name=value, and a heredoc with a random delimiter for multi-line values', () => {
    const outputFile = join(dir, 'output');
    writeFileSync(outputFile, 'earlier=1\n');
    const { reporter, lines } = capture({ outputFile });
    reporter.setOutput('outcome', 'green');
    const hostile = 'line one\nEOF\nbranch=pwned\nghadelimiter_\n';
    reporter.setOutput('summary', hostile);
    expect(lines()).toEqual(['']); // nothing on stdout: no deprecated ::set-output
    const text = readFileSync(outputFile, 'utf8');
    expect(text).toMatch(/^earlier=1\noutcome=green\nsummary<<ghadelimiter_[0-9a-f-]{36}\n/);
    expect(parseOutputFile(text)).toEqual({ earlier: '1', outcome: 'green', summary: hostile });
  });

  it('a value holding the chosen delimiter is refused rather than written', () => {
    expect(() => formatOutputEntry('x', 'a\nDELIM\nb', 'DELIM')).toThrow(RangeError);
    expect(() => formatOutputEntry('bad=name', 'v')).toThrow(RangeError);
  });

  it('without $GITHUB_OUTPUT it warns instead of failing', () => {
    const { reporter, commands } = capture();
    reporter.setOutput('outcome', 'green');
    expect(commands()).toEqual([
      {
        name: 'warning',
        properties: {},
        data: 'fleet-orch: GITHUB_OUTPUT is not set, so the step output "outcome" was not written',
      },
    ]);
  });

  it('appends the summary to $GITHUB_STEP_SUMMARY', () => {
    const summaryFile = join(dir, 'summary.md');
    const markdown = join(dir, 'run.md');
    writeFileSync(markdown, '# fleet-orch\n\n| gate | result |\n|---|---|\n| lint | ✅ |\n');
    const { reporter } = capture({ summaryFile });
    reporter.publishSummary(markdown);
    reporter.complete('Failed'); // no GitHub equivalent: nothing happens
    expect(readFileSync(summaryFile, 'utf8')).toBe(readFileSync(markdown, 'utf8'));
  });

  it('caps the step summary at 1 MiB including what the step already wrote, cutting on a UTF-8 boundary', () => {
    const summaryFile = join(dir, 'summary.md');
    writeFileSync(summaryFile, 'x'.repeat(1000));
    const markdown = join(dir, 'big.md');
    writeFileSync(markdown, '€'.repeat(600_000)); // 3 bytes each: 1.8 MB
    const { reporter } = capture({ summaryFile });
    reporter.publishSummary(markdown);
    const bytes = readFileSync(summaryFile);
    expect(bytes.length).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT_BYTES);
    expect(bytes.length).toBeGreaterThan(STEP_SUMMARY_LIMIT_BYTES - 200);
    const text = bytes.toString('utf8');
    expect(text).not.toContain('\uFFFD');
    expect(Buffer.from(text, 'utf8').equals(bytes)).toBe(true);
    expect(text).toContain('cut to fit the 1 MiB step-summary limit');
  });

  it('fitSummary leaves small content alone and gives up when not even the notice fits', () => {
    const small = Buffer.from('hello');
    expect(fitSummary(small, 10)).toBe(small);
    expect(fitSummary(Buffer.from('x'.repeat(500)), 20)).toBeNull();
  });

  it('echoUntrusted leaves no line a runner would act on', () => {
    const { reporter, lines, commands } = capture();
    reporter.echoUntrusted(`compiling\n${INJECTION}`);
    expect(lines()).toHaveLength(5);
    expect(commands()).toEqual([]);
    expect(lines().some((line) => line.includes('##['))).toBe(false);
  });
});
