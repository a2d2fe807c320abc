// fleet-orch benchmarks: `npm run bench` (builds dist/ first), or `node bench/run.mjs [name …]`.
// Every bench/*.bench.mjs exports a function returning { name, ratio, unit, detail } (or a list of them): a ratio against a
// baseline measured in the same run on the same machine, never an absolute time.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './lib.mjs';

const only = new Set(process.argv.slice(2));
const files = readdirSync(path.join(root, 'bench'))
  .filter((file) => file.endsWith('.bench.mjs'))
  .filter((file) => only.size === 0 || only.has(file.replace('.bench.mjs', '')))
  .sort();

console.log('benchmark  ratio     against baseline                         detail');
for (const file of files) {
  const { default: bench } = await import(pathToFileURL(path.join(root, 'bench', file)).href);
  for (const result of [await bench()].flat()) {
    console.log(`${result.name.padEnd(10)} ${result.ratio.toFixed(3).padStart(8)}  ${result.unit.padEnd(40)} ${result.detail}`);
  }
}
