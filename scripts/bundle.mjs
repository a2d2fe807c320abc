// Bundles the CLI into dist/bin/ (entry main.js plus one chunk per lazily loaded command). Why: loading one
// pre-linked file per command is much cheaper than resolving hundreds of small ESM modules (zod alone is
// ~100 files), which kept `fleet-orch config validate` above 3x the start of `node -e 0`
// (`node bench/run.mjs cold-start`). dist/ (tsc, one file per module) stays for the benchmarks and tests.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bin`;

await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts'],
  outdir,
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
