import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2eScope } from '../helpers/e2e.js';
import type { TempRepo } from '../helpers/git.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { APPROVE, BROKEN_INDEX, FIX_DIFF, codexAnswer, llmAt, sampleConfig } from '../helpers/ts-project.js';

/** Stops: bad config, hard limits, the self-trigger guard, timeouts, signals, secrets — through the real CLI. */

const { fakeLlm, project, tempDir } = e2eScope();

function lastReport(repo: TempRepo): { outcome: string; reason: string; exitCode: number; iterations: unknown[] } {
  const logs = path.join(repo.dir, 'logs');
  const file = readdirSync(logs).find((name) => /^run-.*\.json$/.test(name));
  if (!file) throw new Error('no run report');
  return JSON.parse(readFileSync(path.join(logs, file), 'utf8')) as { outcome: string; reason: string; exitCode: number; iterations: unknown[] };
}

describe('help and version', () => {
  it('work without a config, a key or a network', async () => {
    const dir = tempDir();
    const help = await runCli(['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: fleet-orch');
    for (const command of ['run', 'gates', 'config', 'demo']) expect(help.stdout).toContain(command);
    const runHelp = await runCli(['run', '--help'], { cwd: dir });
    for (const flag of ['--config', '--environment', '--dry-run', '--max-iterations', '--log-dir', '--json', '--verbose', '--quiet']) {
      expect(runHelp.stdout).toContain(flag);
    }
    const version = await runCli(['--version'], { cwd: dir });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('a bad flag is a usage error, exit 2', async () => {
    const dir = tempDir();
    const run = await runCli(['--max-iterations', 'zero'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--max-iterations');
  });
});

describe('bad config files: one clear line each, exit 2', () => {
  const cases: [string, string, RegExp][] = [
    ['wrong types', 'quality_gates:\n  build: { command: "npm run build", timeout: "long" }\n', /config\.yaml:2:\d+: quality_gates\.build\.timeout: expected number, found "long"/],
    ['missing gates', 'agents:\n  orchestrator: { max_iterations: 3 }\n', /quality_gates: expected a mapping, found nothing \(the key is required\)/],
    ['bad YAML', 'quality_gates:\n  build: { command: "npm run build"\n', /config\.yaml:\d+:\d+: invalid YAML/],
    ['unknown key', 'quality_gates:\n  build: { command: "x" }\nsafety:\n  forbiden_commands: []\n', /config\.yaml:4:3: safety: unknown key "forbiden_commands"/],
    ['unknown environment', 'quality_gates:\n  build: { command: "x" }\n', /unknown environment "staging" \(no environments are defined/],
    ['missing file', '', /config file not found/],
  ];
  it.each(cases)('%s', async (name, source, expected) => {
    const repo = project({});
    if (name === 'missing file') repo.git('rm', '-q', 'config.yaml');
    else writeFileSync(path.join(repo.dir, 'config.yaml'), source);
    repo.commit('config');
    const run = await runCli(['-e', 'staging'], { cwd: repo.dir });
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^fleet-orch: config error: /);
    expect(lines[0]).toMatch(expected);
    expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('config validate says what is valid, and config schema prints draft-07', async () => {
    const repo = project({});
    const valid = await runCli(['config', 'validate'], { cwd: repo.dir });
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain('config.yaml is valid: 1 gate(s) (typecheck), 1 environment(s) (staging)');
    const schema = await runCli(['config', 'schema'], { cwd: repo.dir });
    expect(JSON.parse(schema.stdout)).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', required: ['quality_gates'] });
  });
});

describe('hard limits stop the run with exit 3 and name the limit', () => {
  const limits: [string, Record<string, unknown>, { usage?: { prompt: number; completion: number } }][] = [
    ['max_model_calls', { max_model_calls: 1 }, {}],
    ['max_tokens_total', { max_tokens_total: 500 }, { usage: { prompt: 400, completion: 200 } }],
    ['max_cost_usd', { max_cost_usd: 0.001 }, { usage: { prompt: 900, completion: 100 } }],
  ];
  it.each(limits)('%s', async (limit, orchestrator, answer) => {
    const llm = await fakeLlm({ codex: [{ ...codexAnswer(FIX_DIFF), ...answer }], jules: [{ ...APPROVE, ...answer }] });
    const repo = project(sampleConfig({ llm: llmAt(llm.baseUrl), agents: { orchestrator: { max_iterations: 3, ...orchestrator } } }));
    const start = repo.headSha();
    const run = await runCli([], { cwd: repo.dir });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(limit);
    const report = lastReport(repo);
    expect(report.outcome).toBe('budget_exceeded');
    expect(report.reason).toContain(limit);
    // Stopped before anything was committed: the tree is clean and back where it started.
    expect(repo.git('status', '--porcelain').trim()).toBe('');
    expect(repo.headSha()).toBe(start);
  });

  it('max_minutes', async () => {
    const repo = project(sampleConfig({ agents: { orchestrator: { max_minutes: 0.0001 } } }));
    const run = await runCli([], { cwd: repo.dir });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('max_minutes');
  });
});

describe('the self-trigger guard', () => {
  it('refuses when HEAD carries the Fleet-Orch-Run trailer, unless --force', async () => {
    const repo = project(sampleConfig());
    repo.commit('fix(typecheck): something\n\nFleet-Orch-Run: 20260101-000000-abcd', { 'NOTES.md': 'x\n' });
    const run = await runCli([], { cwd: repo.dir });
    expect(run.code).toBe(3);
    expect(run.stderr.trim().split('\n')).toEqual([
      "fleet-orch: HEAD is a fleet-orch commit (Fleet-Orch-Run: 20260101-000000-abcd); refusing to fix its own fix (use --force to override) (exit 3)",
    ]);
    const forced = await runCli(['--force'], { cwd: repo.dir });
    expect(forced.code).toBe(1);
    expect(forced.stderr).toContain('no model configured');
  });

  it('refuses on a fleet-orch/ branch, and on a CI build of one from a detached HEAD', async () => {
    const repo = project(sampleConfig());
    repo.git('checkout', '-q', '-b', 'fleet-orch/fix-earlier');
    const run = await runCli([], { cwd: repo.dir });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('fleet-orch/fix-earlier');
    repo.git('checkout', '-q', '--detach');
    const ci = await runCli([], { cwd: repo.dir, env: cleanEnv({ TF_BUILD: 'True', BUILD_SOURCEBRANCH: 'refs/heads/fleet-orch/fix-earlier' }) });
    expect(ci.code).toBe(3);
  });

  it('refuses a dirty tree unless --allow-dirty, and production without --approve-production', async () => {
    const repo = project(sampleConfig({ deployment: { environments: { production: {} } } }));
    writeFileSync(path.join(repo.dir, 'src', 'math.ts'), '// local edit\n');
    const dirty = await runCli([], { cwd: repo.dir });
    expect(dirty.code).toBe(3);
    expect(dirty.stderr).toContain('uncommitted changes (src/math.ts)');
    repo.git('checkout', '--', 'src/math.ts');
    const production = await runCli(['-e', 'production'], { cwd: repo.dir });
    expect(production.code).toBe(3);
    expect(production.stderr).toContain('--approve-production');
  });
});

describe('gates, timeouts and signals', () => {
  it('a gate that hangs past its timeout is killed and reported as timed out', async () => {
    const repo = project(
      sampleConfig({
        quality_gates: { hang: { command: `node -e "setInterval(() => {}, 1000)"`, timeout: 1, required: true } },
      }),
    );
    const started = Date.now();
    const run = await runCli(['gates', '--json'], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    const result = JSON.parse(run.stdout) as { green: boolean; gates: { name: string; status: string }[]; analyses: { failureClass: string }[] };
    expect(result.green).toBe(false);
    expect(result.gates[0]).toMatchObject({ name: 'hang', status: 'timed_out' });
    expect(result.analyses[0]?.failureClass).toBe('timeout');
  });

  it('SIGINT mid-gate stops the gate, leaves the tree as it started, writes the report, exits 130', async () => {
    const marker = path.join(tempDir(), 'gate-started');
    const slow = `node -e "require('fs').writeFileSync(process.argv[1], String(process.pid)); setInterval(() => {}, 1000)" ${JSON.stringify(marker)}`;
    const repo = project(sampleConfig({ quality_gates: { slow: { command: slow, timeout: 120, required: true } } }));
    const start = repo.headSha();
    let sent = false;
    const run = await runCli([], {
      cwd: repo.dir,
      timeoutMs: 30_000,
      onStderr: (child, stderr) => {
        if (!sent && stderr.includes('gate slow')) {
          sent = true;
          // Give the gate a moment to start its process, then interrupt like Ctrl-C.
          setTimeout(() => child.kill('SIGINT'), 500);
        }
      },
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('interrupted');
    const report = lastReport(repo);
    expect(report.outcome).toBe('interrupted');
    expect(repo.git('status', '--porcelain').trim()).toBe('');
    expect(repo.headSha()).toBe(start);
    expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
    const gatePid = Number(readFileSync(marker, 'utf8'));
    expect(() => process.kill(gatePid, 0)).toThrow();
  });
});

describe('secrets', () => {
  it('never reach the report, the log, the audit log or the model', async () => {
    const secret = `s3cr3t-${'q'.repeat(24)}`;
    const llm = await fakeLlm({ codex: [codexAnswer(FIX_DIFF)], jules: [APPROVE] });
    const leaky = `node -e "console.log('token=' + (process.env.DEPLOY_TOKEN ?? 'unset'), '${secret}')" && node ${JSON.stringify(
      path.resolve('node_modules/typescript/bin/tsc'),
    )} -p .`;
    const repo = project(sampleConfig({ llm: llmAt(llm.baseUrl), quality_gates: { typecheck: { command: leaky, timeout: 120 } } }));
    const run = await runCli(['--verbose'], { cwd: repo.dir, env: cleanEnv({ DEPLOY_TOKEN: secret }) });
    expect(run.code).toBe(0);
    const logs = path.join(repo.dir, 'logs');
    const everything = readdirSync(logs, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
      .join('\n');
    expect(everything).toContain('[REDACTED]');
    expect(everything).not.toContain(secret);
    expect(run.stdout + run.stderr).not.toContain(secret);
    for (const request of llm.chatRequests()) expect(request.prompt).not.toContain(secret);
    // The gate itself never saw the secret variable.
    expect(everything).toContain('token=unset');
    expect(repo.read('src/index.ts')).not.toBe(BROKEN_INDEX);
  });
});

