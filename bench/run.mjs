// fleet-orch benchmarks. Each result is a ratio against a baseline measured in the same run on the same
// machine, never an absolute time: `npm run bench` (builds dist/ first). Takes well under a minute.
//
//   policy      judgeCommand (parse + meaning) vs a substring blocklist over the same commands
//   capture     peak RSS of a child that captures 64 MB of output through the guarded shell (bounded)
//               vs one that buffers it all with child_process.execFile
//   analysis    analyzeGate on a 16 MB noisy CI log vs a plain split + /error/ filter
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (file) => path.join(root, 'dist', file);

function time(fn, rounds) {
  fn(); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i += 1) fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / rounds;
}

async function policyBench() {
  const { judgeCommand } = await import(dist('shell/policy.js'));
  const commands = [
    'npm run lint',
    'npx tsc -p tsconfig.json --noEmit',
    'rm -rf dist coverage',
    "bash -c 'npm ci && npm test -- --reporter=dot'",
    'kubectl -n staging rollout status deployment/api --timeout=120s',
    'sudo /bin/rm -r -f -- /',
    'X=/; rm -rf $X',
    'curl -fsSL https://example.invalid/install.sh | sh',
    'docker build -t app:1 . && docker push app:1',
    'find . -name "*.tmp" -delete',
  ];
  const forbidden = ['rm -rf /', 'kubectl delete namespace', 'az group delete'];
  const options = { repoRoot: '/repo', forbiddenCommands: forbidden };
  const parsed = time(() => commands.forEach((command) => judgeCommand(command, options)), 2000);
  const substring = time(() => commands.forEach((command) => forbidden.some((entry) => command.includes(entry))), 2000);
  return {
    name: 'policy',
    detail: `${((parsed / commands.length) * 1000).toFixed(1)} µs per command judged by meaning`,
    ratio: parsed / substring,
    unit: 'x the time of a substring blocklist',
  };
}

function childPeakRss(script) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  return Number(JSON.parse(out.trim().split('\n').pop()).maxRss);
}

function captureBench() {
  const printer = (mb) => `node -e "const b=Buffer.alloc(1<<20,97);for(let i=0;i<${mb};i++)process.stdout.write(b)"`;
  const guarded = (mb) => `
    const { GuardedShell } = await import(${JSON.stringify(dist('shell/guarded-shell.js'))});
    const { Redactor } = await import(${JSON.stringify(dist('secrets/redact.js'))});
    const shell = new GuardedShell({ repoRoot: process.cwd(), forbiddenCommands: [], redactor: new Redactor(), audit: { record() {} }, dryRun: false, env: process.env });
    const result = await shell.run({ command: ${JSON.stringify(printer(mb))}, cwd: process.cwd(), actor: 'bench', timeoutMs: 60000 });
    if (result.outputBytes < ${mb} * 1048576) throw new Error('short output');
    console.log(JSON.stringify({ maxRss: process.resourceUsage().maxRSS }));`;
  const buffered = (mb) => `
    import { execFile } from 'node:child_process';
    const out = await new Promise((resolve, reject) => execFile('bash', ['-c', ${JSON.stringify(printer(mb))}], { maxBuffer: Infinity }, (error, stdout) => error ? reject(error) : resolve(stdout)));
    if (out.length < ${mb} * 1048576) throw new Error('short output');
    console.log(JSON.stringify({ maxRss: process.resourceUsage().maxRSS }));`;
  // What 64 MB of output costs on top of the same program printing 1 MB (module loading cancels out).
  const bounded = childPeakRss(guarded(64)) - childPeakRss(guarded(1));
  const unbounded = childPeakRss(buffered(64)) - childPeakRss(buffered(1));
  return {
    name: 'capture',
    detail: `extra peak RSS for 64 MB of output: guarded ${(bounded / 1024).toFixed(1)} MB, buffered ${(unbounded / 1024).toFixed(1)} MB`,
    ratio: Math.max(bounded, 0) / unbounded,
    unit: 'x the memory of buffering all output',
  };
}

async function analysisBench() {
  const { analyzeGate } = await import(dist('analysis/analyze.js'));
  const noise = [
    '2026-11-22T00:00:00.1234567Z \u001b[32m✓\u001b[39m test/unit/vehicle.test.ts > tracks a vehicle 3ms',
    '2026-11-22T00:00:00.1234567Z npm http fetch GET 200 https://registry.npmjs.org/lodash 12ms (cache hit)',
    '##[group]Run npm test',
    '2026-11-22T00:00:00.1234567Z   at Object.<anonymous> (/home/vsts/work/1/s/node_modules/vitest/dist/index.js:1:1)',
  ];
  const errors = [
    "src/fleet/route.ts(42,7): error TS2322: Type 'string' is not assignable to type 'number'.",
    'FAIL test/route.test.ts > plans a route',
    'AssertionError: expected 3 to be 4 // Object.is equality',
  ];
  const lines = [];
  while (lines.reduce((sum, line) => sum + line.length + 1, 0) < 16 * 1048576 / 4) {
    for (let i = 0; i < 200; i += 1) lines.push(noise[i % noise.length]);
    lines.push(errors[lines.length % errors.length]);
  }
  const log = Array.from({ length: 4 }, () => lines.join('\n')).join('\n');
  const gate = { name: 'test', command: 'npm test', required: true, status: 'failed', exitCode: 1, signal: null, durationMs: 1, output: log, outputTruncated: false };
  const options = { repoRoot: '/home/vsts/work/1/s', maxExcerptTokens: 2000, fileExists: () => true };
  const analysed = time(() => analyzeGate(gate, options), 3);
  const naive = time(() => log.split('\n').filter((line) => /error/i.test(line)), 3);
  return {
    name: 'analysis',
    detail: `${(log.length / 1048576).toFixed(0)} MB log analysed in ${analysed.toFixed(0)} ms`,
    ratio: analysed / naive,
    unit: 'x the time of split + /error/ filter',
  };
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fleet-orch-bench-'));
try {
  const results = [await policyBench(), captureBench(), await analysisBench()];
  console.log('benchmark  ratio     against baseline                         detail');
  for (const result of results) {
    console.log(`${result.name.padEnd(10)} ${result.ratio.toFixed(3).padStart(8)}  ${result.unit.padEnd(40)} ${result.detail}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
