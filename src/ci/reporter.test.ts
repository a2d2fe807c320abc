import { describe, expect, it } from 'vitest';
import { AzureReporter } from './azure-reporter.js';
import { detectCi } from './detect.js';
import { GithubReporter } from './github-reporter.js';
import { PlainReporter } from './plain-reporter.js';
import { createReporter } from './reporter.js';

function reporterFor(env: NodeJS.ProcessEnv) {
  const lines: string[] = [];
  const reporter = createReporter(detectCi(env), { env, write: (line) => lines.push(line) });
  return { reporter, lines };
}

describe('createReporter', () => {
  it('picks the adapter from the detected CI', () => {
    expect(reporterFor({ TF_BUILD: 'True' }).reporter).toBeInstanceOf(AzureReporter);
    expect(reporterFor({ GITHUB_ACTIONS: 'true' }).reporter).toBeInstanceOf(GithubReporter);
    expect(reporterFor({ GITLAB_CI: 'true' }).reporter).toBeInstanceOf(PlainReporter);
    expect(reporterFor({}).reporter).toBeInstanceOf(PlainReporter);
  });

  it('each adapter speaks its own language for the same call', () => {
    const message = { file: 'src/a.ts', line: 3, column: 9, message: 'Type mismatch' };
    const outputs = [{ TF_BUILD: 'True' }, { GITHUB_ACTIONS: 'true' }, {}].map((env) => {
      const { reporter, lines } = reporterFor(env);
      reporter.error(message);
      return lines;
    });
    expect(outputs).toEqual([
      ['##vso[task.logissue type=error;sourcepath=src/a.ts;linenumber=3;columnnumber=9;]Type mismatch'],
      ['::error file=src/a.ts,line=3,col=9::Type mismatch'],
      ['src/a.ts:3:9: error: Type mismatch'],
    ]);
  });
});

describe('PlainReporter', () => {
  it('prints human lines and keeps CI state calls silent', () => {
    const { reporter, lines } = reporterFor({});
    reporter.group('gates\n(2)');
    reporter.warning('optional gate audit failed\nsee log');
    reporter.mask('sk-' + 'a'.repeat(40));
    reporter.setOutput('outcome', 'green');
    reporter.publishSummary('/nonexistent/run.md');
    reporter.complete('Failed');
    reporter.endGroup();
    reporter.echoUntrusted('##vso[task.setvariable variable=x]kept as is locally');
    reporter.error({ file: 'b.ts', line: 1, column: null, message: 'x' });
    expect(lines).toEqual([
      '== gates (2)',
      'warning: optional gate audit failed',
      'see log',
      '##vso[task.setvariable variable=x]kept as is locally',
      'b.ts:1: error: x',
    ]);
  });
});
