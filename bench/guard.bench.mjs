// The guard's cost, two ways:
// 1. throughput: 10,000 commands (the guard corpus, cycled) judged by one `fleet-orch guard --jsonl` process;
// 2. overhead: the same `true` command lines run through GuardedShell.run (policy, scrubbed env, process group,
//    redaction, JSONL audit) vs a bare execa('bash', ['-c', line]) — the ratio and the milliseconds added per command.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { dist, root } from './lib.mjs';

const JUDGED = 10_000;
const EXECUTED = 300;
const TRUE_LINES = [
  'true',
  'true && true',
  "bash -c 'true'",
  'NODE_OPTIONS=--max-old-space-size=4096 true',
  'cd . && true',
  'X=dist; test -n "$X" && true',
  'true 2>&1 | cat > /dev/null',
  'if true; then true; fi',
  'timeout 5 true',
  'for f in a b; do true; done',
];

function corpusLines() {
  const read = (name) => readFileSync(path.join(root, 'test/fixtures/guard', `${name}.jsonl`), 'utf8').trim().split('\n').map((line) => JSON.parse(line).cmd);
  const commands = [...read('dangerous'), ...read('benign')];
  return Array.from({ length: JUDGED }, (_, index) => JSON.stringify({ id: index, cmd: commands[index % commands.length] }));
}

/** Wall time of one `guard --jsonl` process judging `lines`; resolves with the number of verdicts. */
function judgeThroughCli(lines, cwd) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [path.join(root, 'bin/fleet-orch.js'), 'guard', '--jsonl'], { cwd, stdio: ['pipe', 'pipe', 'inherit'], env: { PATH: process.env.PATH, HOME: cwd } });
    let verdicts = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk) => (verdicts += chunk.split('\n').length - 1));
    child.on('error', reject);
    child.on('close', () => resolve({ verdicts, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    child.stdin.end(`${lines.join('\n')}\n`);
  });
}

/** Mean milliseconds per command of each runner, interleaved so that machine noise hits both alike. */
async function interleavedMs(runners) {
  const totals = runners.map(() => 0);
  for (const run of runners) await run(TRUE_LINES[0]);
  for (let index = 0; index < EXECUTED; index += 1) {
    for (const [at, run] of runners.entries()) {
      const started = process.hrtime.bigint();
      await run(TRUE_LINES[index % TRUE_LINES.length]);
      totals[at] += Number(process.hrtime.bigint() - started) / 1e6;
    }
  }
  return totals.map((total) => total / EXECUTED);
}

export default async function guardBench() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-guard-bench-'));
  try {
    const lines = corpusLines();
    const startup = await judgeThroughCli(lines.slice(0, 1), dir);
    const full = await judgeThroughCli(lines, dir);
    if (full.verdicts !== JUDGED) throw new Error(`expected ${JUDGED} verdicts, got ${full.verdicts}`);
    const perSecond = JUDGED / (full.ms / 1000);
    const judgingOnly = JUDGED / ((full.ms - startup.ms) / 1000);

    const { GuardedShell } = await import(dist('shell/guarded-shell.js'));
    const { Redactor } = await import(dist('secrets/redact.js'));
    const { JsonlAuditLog } = await import(dist('shell/audit-log.js'));
    const env = { PATH: process.env.PATH, HOME: dir, LANG: 'C.UTF-8' };
    const shell = new GuardedShell({
      repoRoot: dir,
      forbiddenCommands: ['rm -rf /', 'kubectl delete namespace', 'az group delete'],
      redactor: Redactor.fromEnv(env),
      audit: new JsonlAuditLog(path.join(dir, 'logs', 'audit-bench.jsonl')),
      dryRun: false,
      env,
    });
    const [guarded, bare] = await interleavedMs([
      async (command) => {
        const result = await shell.run({ command, cwd: dir, actor: 'bench', timeoutMs: 10_000 });
        if (result.exitCode !== 0) throw new Error(`${command}: exit ${result.exitCode}`);
      },
      (command) => execa('bash', ['-c', command], { cwd: dir, env, extendEnv: false, stdin: 'ignore' }),
    ]);
    return {
      name: 'guard',
      ratio: guarded / bare,
      unit: 'x the time of a bare execa call',
      detail:
        `guard --jsonl: ${Math.round(perSecond)} commands/s for ${JUDGED} (${Math.round(judgingOnly)}/s without the ${startup.ms.toFixed(0)} ms start-up); ` +
        `true through the guarded shell ${guarded.toFixed(2)} ms vs bare execa ${bare.toFixed(2)} ms: +${(guarded - bare).toFixed(2)} ms per command`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
