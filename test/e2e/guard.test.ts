import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';
import { e2eScope } from '../helpers/e2e.js';
import { readCorpus } from '../helpers/guard-corpus.js';

/** `fleet-orch guard` and `guard --jsonl` through the real binary. */

const { tempDir } = e2eScope();

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI with `input` on stdin (runCli gives the child no stdin). */
function runWithInput(args: readonly string[], cwd: string, input: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

function repository(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir('fleet-guard-');
  return { dir, env: cleanEnv({ HOME: tempDir('fleet-guard-home-') }) };
}

describe('fleet-orch guard "<command>"', () => {
  it('prints the verdict with the rule and reason: exit 3 denied, exit 0 allowed', async () => {
    const { dir, env } = repository();
    const denied = await runCli(['guard', 'sudo /bin/rm -r -f -- /'], { cwd: dir, env });
    expect(denied.code).toBe(3);
    expect(denied.stdout).toBe('denied by builtin:wipe-root: rm deletes /\n');
    const allowed = await runCli(['guard', 'rm -rf node_modules dist'], { cwd: dir, env });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toBe('allowed: no rule forbids this command\n');
    expect(allowed.stderr).toBe('');
  });

  it("uses the repository's config.yaml: forbidden entries by meaning, and allow-list mode", async () => {
    const { dir, env } = repository();
    writeFileSync(
      path.join(dir, 'config.yaml'),
      'quality_gates:\n  test: { command: "npm test" }\nsafety:\n  forbidden_commands: ["terraform destroy"]\n  allowed_commands: ["kubectl rollout", "terraform"]\n',
    );
    const forbidden = await runCli(['guard', "bash -c 'terraform -chdir=infra destroy -auto-approve'"], { cwd: dir, env });
    expect([forbidden.code, forbidden.stdout]).toEqual([3, 'denied by forbidden:terraform destroy: matches forbidden command "terraform destroy"\n']);
    const listed = await runCli(['guard', 'kubectl -n staging rollout restart deploy/api'], { cwd: dir, env });
    expect(listed.code).toBe(0);
    const notListed = await runCli(['guard', 'npm test'], { cwd: dir, env });
    expect([notListed.code, notListed.stdout]).toEqual([3, 'denied by allowlist:not-listed: "npm test" is not in safety.allowed_commands\n']);
  });

  it('takes -c <file>, and refuses an entry it cannot parse as a config error (exit 2)', async () => {
    const { dir, env } = repository();
    mkdirSync(path.join(dir, 'ci'));
    writeFileSync(path.join(dir, 'ci', 'fleet.yaml'), 'quality_gates:\n  test: { command: "npm test" }\nsafety:\n  forbidden_commands: ["npm publish"]\n');
    const custom = await runCli(['guard', '-c', 'ci/fleet.yaml', 'npm publish --access public'], { cwd: dir, env });
    expect(custom.stdout).toBe('denied by forbidden:npm publish: matches forbidden command "npm publish"\n');
    writeFileSync(path.join(dir, 'config.yaml'), 'quality_gates:\n  test: { command: "npm test" }\nsafety:\n  forbidden_commands: ["rm -rf \\"/"]\n');
    const broken = await runCli(['guard', 'ls'], { cwd: dir, env });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('safety.forbidden_commands.0: expected a shell command line');
  });

  it('without a command or --jsonl is a usage error', async () => {
    const { dir, env } = repository();
    const run = await runCli(['guard'], { cwd: dir, env });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });
});

describe('fleet-orch guard --jsonl', () => {
  it('answers one line per input line, in order, ids echoed, malformed lines refused, nothing else on stdout', async () => {
    const { dir, env } = repository();
    const input = ['{"id": 1, "cmd": "rm -rf /"}', '{"cmd": "npm test"}', 'not json', '{"id": "x"}', '[1, 2]', '{"id": {"n": 2}, "cmd": "echo \\"rm -rf /\\""}', ''].join('\n');
    const run = await runWithInput(['guard', '--jsonl'], dir, input, env);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      { id: 1, allow: false, rule: 'builtin:wipe-root', reason: 'rm deletes /' },
      { allow: true, rule: null, reason: null },
      { allow: false, rule: 'input:malformed', reason: expect.stringMatching(/^line 3 is not JSON/) },
      { id: 'x', allow: false, rule: 'input:malformed', reason: 'line 4 has no "cmd" string' },
      { allow: false, rule: 'input:malformed', reason: 'line 5 is not a JSON object with a "cmd" string' },
      { id: { n: 2 }, allow: true, rule: null, reason: null },
    ]);
  });

  it('judges the whole corpus in one process: every dangerous command denied, no benign one', async () => {
    const { dir, env } = repository();
    const dangerous = readCorpus('dangerous');
    const benign = readCorpus('benign');
    const entries = [...dangerous.map((entry) => ({ ...entry, dangerous: true })), ...benign.map((entry) => ({ ...entry, dangerous: false }))];
    const input = entries.map((entry, index) => JSON.stringify({ id: index, cmd: entry.cmd })).join('\n');
    const run = await runWithInput(['guard', '--jsonl'], dir, `${input}\n`, env);
    const verdicts = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: number; allow: boolean; rule: string | null });
    expect(verdicts.map((verdict) => verdict.id)).toEqual(entries.map((_, index) => index));
    const wrong = verdicts.flatMap((verdict) => {
      const entry = entries[verdict.id]!;
      return verdict.allow === !entry.dangerous ? [] : [`${entry.dangerous ? 'dangerous' : 'benign'}.jsonl:${entry.line}: ${entry.cmd} → ${verdict.rule ?? 'allowed'}`];
    });
    expect(wrong).toEqual([]);
  });
});
