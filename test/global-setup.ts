import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * End-to-end tests spawn the real `bin/fleet-orch.js`, which runs the bundle in `dist/bin/`; benchmarks and a few
 * tests load `dist/` modules. Build both once, as `npm run build` does.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    // tsc still emits on type errors; `npm run typecheck` is where type errors fail the build.
    console.error('global-setup: tsc reported errors (see above); dist/ was emitted anyway');
  }
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: root, stdio: 'inherit' });
}
