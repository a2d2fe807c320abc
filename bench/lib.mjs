// Shared pieces of the benchmarks: where the compiled code is, and a plain timer.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const dist = (file) => path.join(root, 'dist', file);

/** Mean milliseconds per call of `fn` over `rounds` calls, after one warm-up call. */
export function time(fn, rounds) {
  fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i += 1) fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / rounds;
}
