// Failure analysis of a 100 MB CI log (a real failure buried in realistic noise, generated on the fly into a
// temp file), each measurement in its own child process for a clean peak RSS:
// - streamed: analyzeLogFile, the way the loop and `fleet-orch analyze` read a log file (a log this big: on two
//   threads, one reading and cleaning, one analysing); five runs, the median counts (the machine is shared: one
//   run can be slowed by others, and a VM's speed drifts: the 10 MB segments of one run have measured anywhere
//   between 33 and 89 MB/s here);
// - one thread: the same with `threads: false`, five runs interleaved with the others;
// - grep: `grep -c -i error` over the same file, for scale, five runs interleaved with the streamed ones;
// - baseline: the same analysis after reading the whole file into memory (readFileSync + analyzeGate);
// - streamed again over a 300 MB log: peak memory must not grow with the log.
// ratio = streamed throughput (median) / baseline throughput (MB/s).
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { dist, root } from './lib.mjs';

const BIG_MB = 100;
const HUGE_MB = 300;
const ROUNDS = 5;
const MAX_EXCERPT_TOKENS = 2000;
const REPO = '/home/vsts/work/1/s';

const ts = (i) => `2026-11-21T09:${String(Math.floor(i / 60000) % 60).padStart(2, '0')}:${String(Math.floor(i / 1000) % 60).padStart(2, '0')}.${String(i % 10000000).padStart(7, '0')}Z `;
const NOISE = [
  (i) => `\u001b[32m✓\u001b[39m test/unit/vehicle-${i % 997}.test.ts > tracks vehicle ${i} \u001b[2m${i % 13}ms\u001b[22m`,
  (i) => `npm http fetch GET 200 https://registry.npmjs.org/pkg-${i % 4001} ${i % 91}ms (cache hit)`,
  (i) => `    at Object.<anonymous> (${REPO}/node_modules/vitest/dist/chunk-${i % 37}.js:${i % 900}:17)`,
  (i) => `npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory (${i % 5})`,
  (i) => `[${i % 100}%] building modules ${i % 3000}/3000 chunk-${i % 61}.js`,
  (i) => `  \u001b[2mDuration\u001b[22m ${i % 900}ms (transform ${i % 50}ms, setup 0ms, collect ${i % 70}ms, tests ${i % 40}ms)`,
  (i) => `stderr | test/unit/sync-${i % 31}.test.ts > retries when the upstream drops\nError: read ECONNRESET (mocked, retry ${i % 7})\n    at retry (${REPO}/src/sync.ts:${i % 80}:9)\n`,
  (i) => `##[group]Installing dependencies ${i % 3}\n##[endgroup]`,
];
const FAILURE = [
  `##[section]Starting: npm test`,
  `> fleet-app@1.0.0 test`,
  ` \u001b[41m\u001b[1m FAIL \u001b[22m\u001b[49m src/fleet/route.test.ts > plans a route`,
  `\u001b[31mAssertionError\u001b[39m: expected 42 to be 41 // Object.is equality`,
  `\u001b[32m- Expected\u001b[39m`,
  `\u001b[31m+ Received\u001b[39m`,
  ``,
  `\u001b[32m- 41\u001b[39m`,
  `\u001b[31m+ 42\u001b[39m`,
  ` ❯ ${REPO}/src/fleet/route.test.ts:33:17`,
  `${REPO}/src/fleet/route.ts(48,22): error TS2345: Argument of type 'string | undefined' is not assignable to parameter of type 'string'.`,
];

/** Writes about `mb` MB of noise with the failure in the middle and again at the end (repeated errors dedupe). */
async function writeLog(file, mb) {
  const out = createWriteStream(file);
  const target = mb * 1048576;
  let written = 0;
  let i = 0;
  let failures = 0;
  while (written < target) {
    const lines = [];
    for (let k = 0; k < 2000; k += 1, i += 1) lines.push(ts(i) + NOISE[i % NOISE.length](i));
    if ((failures === 0 && written > target / 2) || (failures === 1 && written > target * 0.98)) {
      lines.push(...FAILURE.map((line) => ts(i) + line));
      failures += 1;
    }
    const chunk = `${lines.join('\n')}\n`;
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
  }
  out.write(`${ts(i)}##[error]Bash exited with code '1'.\n`);
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return statSync(file).size;
}

const meta = { gate: 'test', command: 'npm test', exitCode: 1, signal: null, timedOut: false, repoRoot: REPO, maxExcerptTokens: MAX_EXCERPT_TOKENS, fileExists: () => true };

function child(script) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop());
}

const report = (expr) => `
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const analysis = await ${expr};
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, failureClass: analysis.failureClass,
    tokens: analysis.stats.excerptTokens, excerpt: analysis.excerpt }));`;

const streamed = (file, threads) => `
  const { analyzeLogFile } = await import(${JSON.stringify(dist('analysis/analyze-stream.js'))});
  const meta = { ...${JSON.stringify(meta)}, threads: ${JSON.stringify(threads)}, fileExists: () => true };
  ${report(`analyzeLogFile(${JSON.stringify(file)}, meta)`)}`;

const wholeFile = (file) => `
  const { readFileSync } = await import('node:fs');
  const { analyzeGate } = await import(${JSON.stringify(dist('analysis/analyze.js'))});
  const options = { repoRoot: ${JSON.stringify(REPO)}, maxExcerptTokens: ${MAX_EXCERPT_TOKENS}, fileExists: () => true };
  ${report(`Promise.resolve(analyzeGate({ name: 'test', command: 'npm test', required: true, status: 'failed', exitCode: 1,
    signal: null, durationMs: 1, output: readFileSync(${JSON.stringify(file)}, 'utf8'), outputTruncated: false }, options))`)}`;

function grepMs(file) {
  const started = process.hrtime.bigint();
  const count = execFileSync('grep', ['-c', '-i', 'error', file], { encoding: 'utf8' }).trim();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, count };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export default async function analysisBench() {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleet-analysis-bench-'));
  try {
    const big = path.join(dir, 'big.log');
    const bigMb = (await writeLog(big, BIG_MB)) / 1048576;
    const mbps = (ms, mb = bigMb) => mb / (ms / 1000);
    const streams = [];
    const singles = [];
    const greps = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      streams.push(child(streamed(big, true)));
      singles.push(child(streamed(big, false)));
      greps.push(grepMs(big));
    }
    const whole = child(wholeFile(big));
    for (const run of [...streams, ...singles, whole]) {
      if (run.failureClass !== 'test' || !run.excerpt.includes('AssertionError: expected 42 to be 41')) {
        throw new Error(`the buried failure was not found:\n${run.excerpt}`);
      }
      if (run.tokens > MAX_EXCERPT_TOKENS) throw new Error(`excerpt over budget: ${run.tokens} tokens`);
    }
    rmSync(big);
    const huge = path.join(dir, 'huge.log');
    const hugeMb = (await writeLog(huge, HUGE_MB)) / 1048576;
    const streamHuge = child(streamed(huge, true));

    const medianRun = (runs) => runs.find((run) => run.ms === median(runs.map((each) => each.ms)));
    const stream = medianRun(streams);
    const single = medianRun(singles);
    const grepMedian = median(greps.map((run) => run.ms));
    const runs = streams.map((run) => mbps(run.ms).toFixed(0)).join(', ');
    const singleRuns = singles.map((run) => mbps(run.ms).toFixed(0)).join(', ');
    const peak = (list) => Math.max(...list.map((run) => run.maxRssMb)).toFixed(0);
    const grepRuns = greps.map((run) => mbps(run.ms).toFixed(0)).join(', ');
    return {
      name: 'analysis',
      ratio: mbps(stream.ms) / mbps(whole.ms),
      unit: 'x the MB/s of reading the log whole',
      detail:
        `${bigMb.toFixed(0)} MB log: streamed ${mbps(stream.ms).toFixed(0)} MB/s (median of ${runs}; ${mbps(stream.cpuMs).toFixed(0)} per CPU s), ` +
        `peak RSS ${peak(streams)} MB; on one thread ${mbps(single.ms).toFixed(0)} MB/s (median of ${singleRuns}), peak RSS ${peak(singles)} MB ` +
        `(${hugeMb.toFixed(0)} MB log: ${mbps(streamHuge.ms, hugeMb).toFixed(0)} MB/s, peak RSS ${streamHuge.maxRssMb.toFixed(0)} MB); ` +
        `grep -c -i error ${mbps(grepMedian).toFixed(0)} MB/s (median of ${grepRuns}; ${greps[0].count} lines); ` +
        `read whole ${mbps(whole.ms).toFixed(0)} MB/s, peak RSS ${whole.maxRssMb.toFixed(0)} MB; ` +
        `excerpt ${stream.tokens}/${MAX_EXCERPT_TOKENS} tokens, class ${stream.failureClass}; load average ${loadavg()[0].toFixed(1)}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
