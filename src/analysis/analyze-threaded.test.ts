import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeLogFile, type StreamMeta } from './analyze-stream.js';
import { analyzeLogFileThreaded, cleaningWorkerScript, THREADED_MIN_BYTES, worthThreading } from './analyze-threaded.js';

/** The worker thread is the real one: dist/bin/analysis-worker.js, built from this source by the test run's global setup. */

const dir = mkdtempSync(path.join(tmpdir(), 'fleet-analyze-threaded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const logs = fileURLToPath(new URL('../../test/fixtures/logs/', import.meta.url));
const meta: StreamMeta = {
  gate: 'test',
  command: 'npm test',
  exitCode: 1,
  signal: null,
  timedOut: false,
  repoRoot: '/home/runner/work/fleet-app/fleet-app',
  maxExcerptTokens: 600,
  fileExists: (file) => !file.includes('node_modules'),
};
const script = cleaningWorkerScript();

/** A log with everything that crosses a line or chunk boundary badly: CRLF, redraws, ANSI, steps, characters of 2–4 bytes. */
function awkwardLog(lines: number): string {
  const out: string[] = [];
  for (let index = 0; index < lines; index += 1) {
    const ts = `2026-11-22T08:${String(index % 60).padStart(2, '0')}:00.1234567Z `;
    if (index % 997 === 0) out.push(`${ts}##[group]Run npm run step-${index}`);
    if (index % 1999 === 0) out.push(`${ts}##[error]Process completed with exit code 1.`);
    if (index % 7 === 0) out.push(`${ts}\u001b[31mError: read ECONNRESET ${index} – ü 漢字 😀\u001b[39m\r`);
    else if (index % 11 === 0) out.push(`${ts}[##   ] ${index}%\r[#####] 100%`);
    else if (index % 13 === 0)
      out.push(`src/app-${index % 5}.ts(${(index % 90) + 1},3): error TS2322: Type 'string' is not assignable to type 'number'.`);
    else out.push(`${ts}\u001b[32m✓\u001b[39m test/unit/vehicle-${index}.test.ts > tracks ${index} ${index % 13}ms`);
  }
  return out.join('\n'); // no final newline
}

describe('analyzeLogFileThreaded', () => {
  it('uses the worker the build made', () => {
    expect(script).toMatch(/dist[\\/]bin[\\/]analysis-worker\.js$/);
  });

  it('gives the one-thread analysis on every corpus log, read in chunks that cut lines and characters', async () => {
    const files = readdirSync(logs).filter((name) => name.endsWith('.log'));
    expect(files.length).toBeGreaterThan(30);
    for (const name of files) {
      const file = path.join(logs, name);
      const expected = await analyzeLogFile(file, { ...meta, threads: false });
      expect(await analyzeLogFileThreaded(file, meta, script!, 997), name).toEqual(expected);
    }
  });

  it('gives the one-thread analysis on a long log with CRLF, redraws, ANSI, failed steps and 4-byte characters', async () => {
    const file = path.join(dir, 'awkward.log');
    writeFileSync(file, awkwardLog(60_000));
    const expected = await analyzeLogFile(file, { ...meta, threads: false });
    expect(expected.stats?.lines).toBeGreaterThan(60_000);
    expect(expected.failedStep).toBe('npm run step-59820');
    for (const chunkBytes of [1 << 16, 4093]) {
      expect(await analyzeLogFileThreaded(file, meta, script!, chunkBytes)).toEqual(expected);
    }
  });

  it('rejects with the file error when the log cannot be read', async () => {
    await expect(analyzeLogFileThreaded(path.join(dir, 'missing.log'), meta, script!)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(analyzeLogFile(path.join(dir, 'missing.log'), { ...meta, threads: true })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('analyzeLogFile', () => {
  it('takes two threads for a big log when the machine has two cores', () => {
    expect(worthThreading(THREADED_MIN_BYTES)).toBe(availableParallelism() >= 2);
    expect(worthThreading(THREADED_MIN_BYTES - 1)).toBe(false);
  });
});
