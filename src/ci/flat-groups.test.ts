import { describe, expect, it } from 'vitest';
import { AzureReporter } from './azure-reporter.js';
import { GithubReporter } from './github-reporter.js';

describe('log groups stay flat and balanced', () => {
  it('GitHub: an inner group closes the outer one, which re-opens after it', () => {
    const lines: string[] = [];
    const reporter = new GithubReporter({ write: (line) => lines.push(line), outputFile: null, summaryFile: null });
    reporter.group('fleet-orch iteration 1: typecheck');
    reporter.group('fleet-orch gates (iteration 1)');
    reporter.endGroup();
    reporter.endGroup();
    reporter.endGroup(); // one too many: ignored
    expect(lines).toEqual([
      '::group::fleet-orch iteration 1: typecheck',
      '::endgroup::',
      '::group::fleet-orch gates (iteration 1)',
      '::endgroup::',
      '::group::fleet-orch iteration 1: typecheck (continued)',
      '::endgroup::',
    ]);
  });

  it('Azure: the same shape with ##[group]', () => {
    const lines: string[] = [];
    const reporter = new AzureReporter((line) => lines.push(line));
    reporter.group('a');
    reporter.group('b');
    reporter.endGroup();
    reporter.endGroup();
    expect(lines).toEqual(['##[group]a', '##[endgroup]', '##[group]b', '##[endgroup]', '##[group]a (continued)', '##[endgroup]']);
  });
});
