import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { AzureReporter } from './azure-reporter.js';

/**
 * A transcription of the Azure Pipelines agent's parser (`Command.TryParse` + `CommandStringConvertor`):
 * lines split on CR, LF or CRLF; the first `##vso[` anywhere in a line; properties split on `;` then the first
 * `=`; `%3B %0D %0A %5D` unescaped before `%AZP25`.
 */
interface AgentCommand {
  name: string;
  properties: Record<string, string>;
  data: string;
}
function agentUnescape(text: string): string {
  return text
    .replaceAll('%3B', ';')
    .replaceAll('%0D', '\r')
    .replaceAll('%0A', '\n')
    .replaceAll('%5D', ']')
    .replaceAll('%AZP25', '%');
}
function agentParse(line: string): AgentCommand | null {
  const start = line.indexOf('##vso[');
  if (start < 0) return null;
  const end = line.indexOf(']', start);
  if (end < 0) return null;
  const info = line.slice(start + '##vso['.length, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info.slice(space + 1).split(';').filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = agentUnescape(pair.slice(eq + 1));
    }
  }
  return { name, properties, data: agentUnescape(line.slice(end + 1)) };
}

function capture(): { reporter: AzureReporter; lines: () => string[]; commands: () => AgentCommand[] } {
  const written: string[] = [];
  const reporter = new AzureReporter((line) => written.push(line));
  // What the agent sees: everything joined as stdout, re-split the way the agent splits.
  const lines = () => written.join('\n').split(/\r\n|\r|\n/);
  const commands = () => lines().flatMap((line) => agentParse(line) ?? []);
  return { reporter, lines, commands };
}

const INJECTION = 'type error\n##vso[task.setvariable variable=x]pwned\r##vso[task.complete result=Succeeded;]';

describe('AzureReporter', () => {
  it('an annotation message cannot start a second logging command', () => {
    const { reporter, lines, commands } = capture();
    reporter.error({ file: 'src/we;ird].ts', line: 12, column: 3, message: INJECTION });
    expect(lines()).toHaveLength(1);
    expect(commands()).toEqual([
      {
        name: 'task.logissue',
        properties: { type: 'error', sourcepath: 'src/we;ird].ts', linenumber: '12', columnnumber: '3' },
        data: INJECTION,
      },
    ]);
  });

  it('omits the column when unknown and writes warnings as logissue type=warning', () => {
    const { reporter, lines, commands } = capture();
    reporter.error({ file: 'a.ts', line: 1, column: null, message: '100% broken' });
    reporter.warning(`careful${INJECTION}`);
    expect(lines()[0]).toBe('##vso[task.logissue type=error;sourcepath=a.ts;linenumber=1;]100%AZP25 broken');
    expect(commands().map((command) => [command.name, command.properties, command.data])).toEqual([
      ['task.logissue', { type: 'error', sourcepath: 'a.ts', linenumber: '1' }, '100% broken'],
      ['task.logissue', { type: 'warning' }, `careful${INJECTION}`],
    ]);
  });

  it('setOutput keeps a hostile value inside one setvariable command', () => {
    const { reporter, lines, commands } = capture();
    reporter.setOutput('prUrl', 'https://x/pr/1\n##vso[task.setvariable variable=x]pwned');
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toBe(
      '##vso[task.setvariable variable=prUrl;isOutput=true;]https://x/pr/1%0A##vso[task.setvariable variable=x]pwned',
    );
    expect(commands()).toEqual([
      {
        name: 'task.setvariable',
        properties: { variable: 'prUrl', isOutput: 'true' },
        data: 'https://x/pr/1\n##vso[task.setvariable variable=x]pwned',
      },
    ]);
    expect(() => reporter.setOutput('x;isreadonly=false', 'v')).toThrow(RangeError);
  });

  it('group titles stay on one line and cannot carry a command anywhere in the line', () => {
    const { reporter, lines, commands } = capture();
    reporter.group(`gate lint ${INJECTION}`);
    reporter.endGroup();
    expect(lines()).toEqual([
      '##[group]gate lint type error ##vso [task.setvariable variable=x]pwned ##vso [task.complete result=Succeeded;]',
      '##[endgroup]',
    ]);
    expect(commands()).toEqual([]);
  });

  it('masks a multi-line secret whole and line by line, one command per line', () => {
    const { reporter, lines, commands } = capture();
    const secret = `-----BEGIN KEY-----\n${'k'.repeat(32)}\n-----END KEY-----`;
    reporter.mask(secret);
    reporter.mask('   ');
    expect(lines()).toHaveLength(4);
    expect(commands().map((command) => [command.name, command.data])).toEqual([
      ['task.setsecret', secret],
      ['task.setsecret', '-----BEGIN KEY-----'],
      ['task.setsecret', 'k'.repeat(32)],
      ['task.setsecret', '-----END KEY-----'],
    ]);
  });

  it('uploads the summary by absolute path and completes the step', () => {
    const { reporter, lines } = capture();
    reporter.publishSummary('logs/run-1.md');
    reporter.complete('SucceededWithIssues');
    expect(lines()).toEqual([
      `##vso[task.uploadsummary]${resolve('logs/run-1.md')}`,
      '##vso[task.complete result=SucceededWithIssues;]DONE',
    ]);
  });

  it('echoUntrusted prints gate output line by line with no command left in it', () => {
    const { reporter, lines, commands } = capture();
    reporter.echoUntrusted(`npm ERR! build failed\n${INJECTION}\n##[error]fake`);
    expect(lines()).toHaveLength(5);
    expect(lines()[0]).toBe('npm ERR! build failed');
    expect(commands()).toEqual([]);
    expect(lines().some((line) => line.startsWith('##['))).toBe(false);
  });
});
