// analyzeGate on a 16 MB noisy CI log vs a plain split + /error/ filter.
import { dist, time } from './lib.mjs';

export default async function analysisBench() {
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
