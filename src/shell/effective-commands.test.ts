import { describe, expect, it } from 'vitest';
import { analyzeCommandLine, type EffectiveCommand } from './effective-commands.js';
import { programSource } from './interpreters.js';

function commands(line: string): EffectiveCommand[] {
  const result = analyzeCommandLine(line);
  if (!result.ok) throw new Error(result.reason);
  return [...result.analysis.commands];
}

const programs = (line: string): string[] => commands(line).map((command) => `${command.program} ${command.args.join(' ')}`.trim());

describe('analyzeCommandLine', () => {
  it.each([
    ['sudo -u root env A=1 nice -n 5 timeout 10 /usr/bin/rm -rf x', ['rm -rf x']],
    ['FOO=1 BAR=2 make test', ['make test']],
    ['FOO=1', []],
    ['exec 2>&1', []],
    ['command -v node', []],
    ['xargs -n 1 -I {} echo {}', ['echo {}']],
    ["bash -o pipefail -c 'npm test | tee log'", ['bash -o pipefail -c npm test | tee log', 'npm test', 'tee log']],
    ['eval "ls -la"', ['eval ls -la', 'ls -la']],
    ['find . -name "*.tmp" -exec rm -f {} + -print', ['find . -name *.tmp -exec rm -f {} + -print', 'rm -f {}']],
    ['echo $(date)', ['echo $(date)', 'date']],
  ])('%j runs %j', (line, expected) => {
    expect(programs(line)).toEqual(expected);
  });

  it('marks a program word that holds an expansion as dynamic', () => {
    expect(commands('$TOOL run').map((command) => command.dynamicProgram)).toEqual([true]);
    expect(commands('"$(npm bin)/eslint" .')[0]!.dynamicProgram).toBe(true);
    expect(commands('eslint .')[0]!.dynamicProgram).toBe(false);
  });

  it('tells what a substitution feeds: the program, the script of an interpreter, or data', () => {
    const feeds = (line: string): (string | null)[] => commands(line).filter((command) => command.program === 'curl').map((command) => command.feeds);
    expect(feeds('$(curl x) arg')).toEqual(['program']);
    expect(feeds('bash -c "$(curl x)"')).toContain('script');
    expect(feeds('bash <(curl x)')).toEqual(['script']);
    expect(feeds('node app.js "$(curl x)"')).toEqual(['data']);
    expect(feeds('echo "$(curl x)"')).toEqual(['data']);
    expect(feeds('curl x')).toEqual([null]);
  });

  it('gives piped commands one pipeline key, in order', () => {
    const [curl, tee, sh, echo] = commands('curl x | tee f | sudo sh; echo done');
    expect(curl!.pipelineKey).toBe(tee!.pipelineKey);
    expect(sh!.pipelineKey).toBe(curl!.pipelineKey);
    expect([curl!.pipelinePosition, tee!.pipelinePosition, sh!.pipelinePosition]).toEqual([0, 1, 2]);
    expect(echo!.pipelineKey).not.toBe(curl!.pipelineKey);
  });

  it('fails on an embedded script it cannot parse', () => {
    expect(analyzeCommandLine(`bash -c 'echo "x'`)).toEqual({ ok: false, reason: 'unbalanced double quote' });
  });
});

describe('programSource', () => {
  it.each([
    ['bash', [], { kind: 'stdin' }],
    ['bash', ['-s', '--', '--yes'], { kind: 'stdin' }],
    ['bash', ['-c', 'echo hi'], { kind: 'inline', argIndex: 1 }],
    ['bash', ['-ec', 'echo hi'], { kind: 'inline', argIndex: 1 }],
    ['bash', ['-o', 'pipefail', 'script.sh'], { kind: 'file', argIndex: 2 }],
    ['python3', ['-m', 'json.tool'], { kind: 'file', argIndex: 1 }],
    ['python3', ['-'], { kind: 'stdin' }],
    ['python3', ['-u', '-c', 'print(1)'], { kind: 'inline', argIndex: 2 }],
    ['node', ['--eval=1+1'], { kind: 'inline', argIndex: 0 }],
    ['node', ['-r', 'ts-node/register', 'app.ts'], { kind: 'file', argIndex: 2 }],
    ['perl', ['-ne', 'print'], { kind: 'inline', argIndex: 1 }],
  ] as const)('%s %j → %j', (program, args, expected) => {
    expect(programSource(program, args)).toEqual(expected);
  });

  it('returns null for a program that is not an interpreter', () => {
    expect(programSource('jq', ['.'])).toBeNull();
  });
});
