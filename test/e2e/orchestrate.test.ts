import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2eScope } from '../helpers/e2e.js';
import { detachedClone, fileHashes } from '../helpers/git.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import {
  APPROVE,
  BROKEN_INDEX,
  FIXED_INDEX,
  FIX_DIFF,
  codexAnswer,
  llmAt,
  sampleConfig,
} from '../helpers/ts-project.js';

/**
 * The whole loop through the real CLI (`bin/fleet-orch.js`, compiled dist/), on a real git repository with
 * a real tsc gate, against a scripted OpenAI-compatible server on 127.0.0.1.
 */

interface RunJson {
  runId: string;
  outcome: string;
  exitCode: number;
  reason: string;
  repository: { startCommit: string; backupBranch: string | null; workBranch: string | null; commits: { sha: string; subject: string }[] };
  iterations: {
    attempt: {
      tier: string;
      outcome: string;
      reasons: string[];
      review: { decision: string; findings: { rule: string }[] } | null;
      commit: string | null;
      apply: { applied: boolean; method: string | null; hunks: { file: string; stage: string; at: number }[] } | null;
    };
    verdict: string;
    gates: { name: string; status: string }[];
  }[];
  initial: { gates: { name: string; status: string }[]; analyses: { failureClass: string; excerpt: string }[] };
  final: { gates: { name: string; status: string }[] };
  usage: { totals: { calls: number; totalTokens: number } };
  dryRunDiff: string | null;
  patches: string[];
}

const { fakeLlm, project, tempDir, later } = e2eScope();

function readReport(logDir: string, stdout: string): RunJson {
  const summary = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { report: string };
  expect(summary.report.startsWith(logDir)).toBe(true);
  return JSON.parse(readFileSync(summary.report, 'utf8')) as RunJson;
}

describe('fleet-orch run, end to end', () => {
  it('fixes a failing tsc gate with the model: backup branch, one fix commit on the work branch, green', async () => {
    const llm = await fakeLlm({ codex: [codexAnswer(FIX_DIFF)], jules: [APPROVE] });
    const repo = project(sampleConfig({ llm: llmAt(llm.baseUrl) }));
    const start = repo.headSha();

    const run = await runCli(['--config', 'config.yaml', '--environment', 'staging', '--json'], { cwd: repo.dir });

    expect(run.stderr).toContain('fleet-orch: green');
    expect(run.code).toBe(0);
    const report = readReport(path.join(repo.dir, 'logs'), run.stdout);
    expect(report.outcome).toBe('green');
    expect(report.initial.gates[0]).toMatchObject({ name: 'typecheck', status: 'failed' });
    expect(report.initial.analyses[0]?.failureClass).toBe('typecheck');
    expect(report.initial.analyses[0]?.excerpt).toContain('TS2345');
    expect(report.iterations).toHaveLength(1);
    expect(report.iterations[0]?.attempt).toMatchObject({ tier: 'model', outcome: 'committed' });
    expect(report.iterations[0]?.attempt.review?.decision).toBe('approve');
    expect(report.iterations[0]?.attempt.apply).toMatchObject({ applied: true, method: 'exact', hunks: [{ file: 'src/index.ts', stage: 'exact', at: 1 }] });
    expect(report.final.gates[0]).toMatchObject({ name: 'typecheck', status: 'passed' });
    expect(report.usage.totals.calls).toBe(2);

    const backup = report.repository.backupBranch ?? '';
    expect(backup).toMatch(/^backup\/pre-orchestration-\d{8}_\d{6}$/);
    expect(repo.git('rev-parse', backup).trim()).toBe(start);
    const work = report.repository.workBranch ?? '';
    expect(work).toBe(`fleet-orch/fix-${report.runId}`);
    expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe(work);
    expect(repo.git('rev-list', '--count', `${start}..${work}`).trim()).toBe('1');
    const message = repo.git('log', '-1', '--format=%B', work);
    expect(message).toContain(`Fleet-Orch-Run: ${report.runId}`);
    expect(message).toContain('src/index.ts');
    expect(message).toContain('pass a number to add()');
    expect(repo.read('src/index.ts')).toBe(FIXED_INDEX);
    expect(repo.git('status', '--porcelain').trim()).toBe('');

    for (const file of ['orchestrator.log', `run-${report.runId}.md`, `audit-${report.runId}.jsonl`]) {
      expect(existsSync(path.join(repo.dir, 'logs', file))).toBe(true);
    }
    expect(report.patches.length).toBe(1);
    expect(readFileSync(report.patches[0] ?? '', 'utf8')).toContain('+export const total: number = add(1, 2);');
  });

  it('feeds a Jules rejection (a planted secret) back to Codex and accepts the second patch', async () => {
    const planted = `${FIX_DIFF.trimEnd()}\n+const apiKey = "sk-${'x'.repeat(40)}";\n`.replace('@@ -1,3 +1,3 @@', '@@ -1,3 +1,4 @@');
    const llm = await fakeLlm({ codex: [codexAnswer(planted), codexAnswer(FIX_DIFF)], jules: [APPROVE] });
    const repo = project(sampleConfig({ llm: llmAt(llm.baseUrl) }));

    const run = await runCli(['--json'], { cwd: repo.dir });

    expect(run.code).toBe(0);
    const report = readReport(path.join(repo.dir, 'logs'), run.stdout);
    expect(report.iterations.map((iteration) => iteration.attempt.outcome)).toEqual(['rejected', 'committed']);
    expect(report.iterations[0]?.attempt.review?.findings.map((finding) => finding.rule)).toContain('secret');
    // The rule hit rejected without asking the model; the second prompt carried the reason.
    expect(llm.requestsFor('jules')).toHaveLength(1);
    expect(llm.requestsFor('codex')[1]?.prompt.toLowerCase()).toContain('secret');
    expect(repo.git('log', '--format=%B', '-1')).not.toContain('sk-');
    expect(repo.read('src/index.ts')).toBe(FIXED_INDEX);
  });

  it('gives up with exit 1 after max_no_progress_iterations when the model never fixes it', async () => {
    const useless = [
      '--- a/src/math.ts',
      '+++ b/src/math.ts',
      '@@ -1,3 +1,4 @@',
      '+// adds two numbers',
      ' export function add(a: number, b: number): number {',
      '   return a + b;',
      ' }',
      '',
    ].join('\n');
    const swap = [
      '--- a/src/math.ts',
      '+++ b/src/math.ts',
      '@@ -2,3 +2,3 @@',
      ' export function add(a: number, b: number): number {',
      '-  return a + b;',
      '+  return b + a;',
      ' }',
      '',
    ].join('\n');
    const llm = await fakeLlm({
      codex: [codexAnswer(useless, 'document add'), codexAnswer(swap, 'swap operands'), codexAnswer(useless)],
      jules: [APPROVE, APPROVE, APPROVE],
    });
    const repo = project(sampleConfig({ llm: llmAt(llm.baseUrl) }));
    const start = repo.headSha();

    const run = await runCli(['--json'], { cwd: repo.dir });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/fleet-orch: gave_up: no progress in 2 iteration/);
    const report = readReport(path.join(repo.dir, 'logs'), run.stdout);
    expect(report.iterations.map((iteration) => iteration.verdict)).toEqual(['same', 'same']);
    // The commits that made no progress stay on the work branch for a person to look at.
    expect(report.repository.commits.length).toBe(2);
    expect(repo.git('rev-parse', report.repository.backupBranch ?? '').trim()).toBe(start);
  });

  it('undoes a commit that makes things worse, then keeps the good one', async () => {
    const worse = [
      '--- a/src/math.ts',
      '+++ b/src/math.ts',
      '@@ -1,3 +1,3 @@',
      '-export function add(a: number, b: number): number {',
      '+export function add(a: number, b: boolean): number {',
      '   return a + b;',
      ' }',
      '',
    ].join('\n');
    const llm = await fakeLlm({ codex: [codexAnswer(worse, 'loosen add'), codexAnswer(FIX_DIFF)], jules: [APPROVE, APPROVE] });
    const repo = project(sampleConfig({ llm: llmAt(llm.baseUrl) }));
    const start = repo.headSha();

    const run = await runCli(['--json'], { cwd: repo.dir });

    expect(run.code).toBe(0);
    const report = readReport(path.join(repo.dir, 'logs'), run.stdout);
    expect(report.iterations.map((iteration) => [iteration.attempt.outcome, iteration.verdict])).toEqual([
      ['regression_undone', 'regression'],
      ['committed', 'green'],
    ]);
    expect(repo.git('rev-list', '--count', `${start}..HEAD`).trim()).toBe('1');
    expect(repo.read('src/math.ts')).toContain('b: number');
  });

  it('records a malformed model answer as a failed attempt and goes on', async () => {
    const llm = await fakeLlm({ codex: [{ text: 'Sure! Here is the fix: change the 2.' }, codexAnswer(FIX_DIFF)], jules: [APPROVE] });
    const repo = project(sampleConfig({ llm: llmAt(llm.baseUrl) }));

    const run = await runCli(['--json'], { cwd: repo.dir });

    expect(run.code).toBe(0);
    const report = readReport(path.join(repo.dir, 'logs'), run.stdout);
    expect(report.iterations[0]?.attempt.outcome).toBe('model_error');
    expect(report.iterations[0]?.attempt.reasons[0]).toMatch(/json/i);
    expect(report.iterations[1]?.attempt.outcome).toBe('committed');
  });

  it('dry run: the repository stays byte-for-byte as it was, the diff is written to patches/', async () => {
    const llm = await fakeLlm({ codex: [codexAnswer(FIX_DIFF)], jules: [APPROVE] });
    const repo = project(sampleConfig({ llm: llmAt(llm.baseUrl) }));
    const logDir = tempDir('fleet-orch-logs-');
    // No identity anywhere (as on a CI agent): the dry run must still commit in its worktree, writing no config.
    repo.git('config', '--unset', 'user.name');
    repo.git('config', '--unset', 'user.email');
    const home = tempDir('fleet-orch-home-');
    const gitConfig = () => readFileSync(path.join(repo.dir, '.git', 'config'), 'utf8');
    const before = {
      config: gitConfig(),
      status: repo.git('status', '--porcelain', '--ignored'),
      head: repo.git('rev-parse', 'HEAD'),
      symbolic: repo.git('symbolic-ref', 'HEAD'),
      branches: repo.git('for-each-ref', '--format=%(refname) %(objectname)'),
      worktrees: repo.git('worktree', 'list', '--porcelain'),
      files: fileHashes(repo.dir),
    };

    const run = await runCli(['--dry-run', '--log-dir', logDir, '--json', '-e', 'staging'], {
      cwd: repo.dir,
      env: cleanEnv({ HOME: home }),
    });

    expect(run.code).toBe(0);
    const after = {
      config: gitConfig(),
      status: repo.git('status', '--porcelain', '--ignored'),
      head: repo.git('rev-parse', 'HEAD'),
      symbolic: repo.git('symbolic-ref', 'HEAD'),
      branches: repo.git('for-each-ref', '--format=%(refname) %(objectname)'),
      worktrees: repo.git('worktree', 'list', '--porcelain'),
      files: fileHashes(repo.dir),
    };
    expect(after).toEqual(before);
    expect(repo.read('src/index.ts')).toBe(BROKEN_INDEX);
    const report = readReport(logDir, run.stdout);
    expect(report.repository.backupBranch).toBeNull();
    expect(report.repository.workBranch).toBeNull();
    expect(report.dryRunDiff).not.toBeNull();
    const diff = readFileSync(report.dryRunDiff ?? '', 'utf8');
    expect(diff).toContain('+export const total: number = add(1, 2);');
  });

  it('remediates an out-of-memory gate with a larger Node heap (DevOps tier), no model needed', async () => {
    // The build script dies the way V8 does unless the heap limit node really applied is large enough.
    // Nothing allocates gigabytes: V8 reserves the limit, it does not commit it.
    const build = [
      "import v8 from 'node:v8';",
      'const limitMb = Math.round(v8.getHeapStatistics().heap_size_limit / 1048576);',
      'if (limitMb < 5000) {',
      "  console.error('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory');",
      '  process.exit(134);',
      '}',
      "console.log('built with ' + limitMb + ' MB');",
      '',
    ].join('\n');
    const repo = project(sampleConfig({ quality_gates: { build: { command: 'node tools/build.mjs', timeout: 60 } } }));
    repo.commit('a memory-hungry build', { 'tools/build.mjs': build });

    const run = await runCli(['--json'], { cwd: repo.dir });

    expect(run.code).toBe(0);
    const report = readReport(path.join(repo.dir, 'logs'), run.stdout) as RunJson & {
      actions: { id: string; ok: boolean; output: { succeededWithMb: number; attempts: { mb: number; status: string }[] } }[];
    };
    expect(report.initial.analyses[0]?.failureClass).toBe('oom');
    expect(report.iterations[0]?.attempt).toMatchObject({ tier: 'devops', outcome: 'remediated' });
    expect(report.actions[0]).toMatchObject({ id: 'raise-node-heap', ok: true, output: { succeededWithMb: 6144 } });
    expect(report.actions[0]?.output.attempts.map((attempt) => [attempt.mb, attempt.status])).toEqual([
      [4096, 'oom'],
      [6144, 'passed'],
    ]);
    expect(report.final.gates[0]).toMatchObject({ name: 'build', status: 'passed' });
    expect(report.repository.commits).toEqual([]);
  });

  it('works from a detached, shallow CI checkout: the work branch starts at the checked-out commit', async () => {
    const llm = await fakeLlm({ codex: [codexAnswer(FIX_DIFF)], jules: [APPROVE] });
    const origin = project(sampleConfig({ llm: llmAt(llm.baseUrl) }));
    const checkout = detachedClone(origin.dir, { depth: 1 });
    later(() => checkout.cleanup());
    const start = checkout.headSha();
    expect(checkout.git('branch', '--show-current').trim()).toBe('');

    const run = await runCli(['--json'], { cwd: checkout.dir, env: cleanEnv({ TF_BUILD: 'True', BUILD_SOURCEBRANCH: 'refs/heads/main' }) });

    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { workBranch: string; backupBranch: string };
    expect(checkout.git('branch', '--show-current').trim()).toBe(summary.workBranch);
    expect(checkout.git('rev-parse', summary.backupBranch).trim()).toBe(start);
    expect(checkout.git('rev-list', '--count', `${start}..HEAD`).trim()).toBe('1');
  });
});
