import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { e2eScope } from '../helpers/e2e.js';
import { cleanEnv, REPO_ROOT, runCli } from '../helpers/cli.js';
import { runGit } from '../helpers/git.js';
import { APPROVE, codexAnswer } from '../helpers/ts-project.js';

/**
 * `fleet-orch demo` copies examples/demo-app (TypeScript, red format and lint gates) to a temp repository
 * and repairs it with the built-in fixers: real prettier, ESLint and tsc from this installation.
 */

const { fakeLlm, later } = e2eScope();

function demoDir(stderr: string): string {
  const dir = /sample project copied to (\S+)/.exec(stderr)?.[1];
  if (!dir) throw new Error(`no demo folder in: ${stderr}`);
  later(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('fleet-orch demo', () => {
  it('repairs the sample project with the built-in fixers, no key and no network needed', async () => {
    const run = await runCli(['demo', '--json'], { cwd: REPO_ROOT, env: cleanEnv(), timeoutMs: 120_000 });
    const dir = demoDir(run.stderr);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.trim()) as { outcome: string; commits: { subject: string }[]; workBranch: string; backupBranch: string };
    expect(summary.outcome).toBe('green');
    expect(summary.commits.map((commit) => commit.subject.replace(/ in .*/, ''))).toEqual([
      'fix(format): make gate "format" pass',
      'fix(lint): make gate "lint" pass',
    ]);
    expect(run.stderr).toContain('no model configured');
    expect(run.stderr).toContain('running the built-in format fixer');
    expect(run.stderr).toContain('running the built-in lint fixer');
    const branches = runGit(dir, ['branch', '--format=%(refname:short)']).split('\n').filter(Boolean);
    expect(branches).toEqual(expect.arrayContaining(['main', summary.workBranch, summary.backupBranch]));
  }, 120_000);

  it('with a model configured, a second round shows the model tier fixing a type error', async () => {
    const fix = [
      '--- a/src/fleet.ts',
      '+++ b/src/fleet.ts',
      '@@ -19,3 +19,3 @@',
      ' export function summary(vehicles: Vehicle[]): { count: number; capacityKg: number } {',
      '-  const count = `${vehicles.length}`;',
      '+  const count = vehicles.length;',
      '   const capacityKg = totalCapacity(vehicles);',
      '',
    ].join('\n');
    // Jules reviews every patch with the model when there is one: the two fixer patches and the model's.
    const llm = await fakeLlm({ codex: [codexAnswer(fix, 'count vehicles as a number')], jules: [APPROVE, APPROVE, APPROVE] });
    const run = await runCli(['demo', '--json'], { cwd: REPO_ROOT, env: cleanEnv({ OPENAI_BASE_URL: llm.baseUrl }), timeoutMs: 150_000 });
    const dir = demoDir(run.stderr);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('round two adds a type error');
    const rounds = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { outcome: string; commits: { subject: string }[] });
    expect(rounds).toHaveLength(2);
    expect(rounds[1]?.outcome).toBe('green');
    expect(rounds[1]?.commits.map((commit) => commit.subject)).toEqual(['fix(typecheck): make gate "typecheck" pass in src/fleet.ts']);
    expect(llm.requestsFor('codex')).toHaveLength(1);
    expect(runGit(dir, ['show', 'HEAD:src/fleet.ts'])).toContain('const count = vehicles.length;');
  }, 150_000);
});
