// Bundles the CLI into dist/bin/ (entry main.js plus one chunk per lazily loaded command). Why: loading one
// pre-linked file per command is much cheaper than resolving hundreds of small ESM modules (zod alone is
// ~100 files), which kept `fleet-orch config validate` above 3x the start of `node -e 0`
// (`node bench/run.mjs cold-start`). dist/ (tsc, one file per module) stays for the benchmarks and tests.
import { build } from 'esbuild';
import { rename, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bin`;
// Build beside the live bundle and swap it in, so that a CLI started by a concurrent test run never sees a
// half-written or deleted dist/bin/.
const staging = `${outdir}.new-${process.pid}`;
const retired = `${outdir}.old-${process.pid}`;

await rm(staging, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // The analysis worker thread (src/analysis/analyze-threaded.ts) loads its own entry.
  entryPoints: ['src/main.ts', { in: 'src/analysis/cleaning-worker.ts', out: 'analysis-worker' }],
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  // Some dependencies are CommonJS and call require(); ESM output has no require of its own.
  banner: { js: "import { createRequire as __fleetOrchRequire } from 'node:module'; const require = __fleetOrchRequire(import.meta.url);" },
});
await rename(outdir, retired).catch((error) => {
  if (error.code !== 'ENOENT') throw error;
});
await rename(staging, outdir);
await rm(retired, { recursive: true, force: true });
