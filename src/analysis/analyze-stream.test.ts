import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeGate } from './analyze.js';
import { analyzeLogFile, analyzeLogStream, type StreamMeta } from './analyze-stream.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fleet-analyze-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LOG = [
  '2026-11-21T09:00:00.0000000Z \u001b[32m✓\u001b[39m src/ok.test.ts (3 tests) 4ms',
  ' FAIL  src/route.test.ts > plans a route – ✓ ✗ ü 漢字',
  'AssertionError: expected 42 to be 41 // Object.is equality',
  ' ❯ /home/runner/work/app/app/src/route.test.ts:33:17',
].join('\r\n');
const meta: StreamMeta = {
  gate: 'test',
  command: 'npm test',
  exitCode: 1,
  signal: null,
  timedOut: false,
  repoRoot: '/srv/app',
  maxExcerptTokens: 2000,
  fileExists: (file) => file === 'src/route.test.ts',
};
const inMemory = analyzeGate(
  { name: 'test', command: 'npm test', required: true, status: 'failed', exitCode: 1, signal: null, durationMs: 1, output: LOG, outputTruncated: false },
  meta,
);

describe('analyzeLogStream', () => {
  it('gives the in-memory analysis whatever byte boundaries the chunks have (multi-byte characters split)', async () => {
    const bytes = Buffer.from(LOG, 'utf8');
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: Buffer[] = [];
      for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size));
      const streamed = await analyzeLogStream(Readable.from(chunks), meta);
      expect(streamed).toEqual(inMemory);
    }
    expect(inMemory.excerpt).toContain('plans a route – ✓ ✗ ü 漢字');
    expect(inMemory.stats?.bytes).toBe(bytes.length);
  });

  it('reads async iterables of strings', async () => {
    async function* lines() {
      for (const line of LOG.split('\r\n')) yield `${line}\r\n`;
    }
    expect((await analyzeLogStream(lines(), meta)).excerpt).toBe(inMemory.excerpt);
  });
});

describe('analyzeLogFile', () => {
  it('analyses a log file', async () => {
    const file = path.join(dir, 'gate.log');
    writeFileSync(file, LOG);
    const analysis = await analyzeLogFile(file, meta);
    expect(analysis).toEqual(inMemory);
    expect(analysis.failureClass).toBe('test');
    expect(analysis.locations).toEqual([
      { file: 'src/route.test.ts', line: 33, column: 17, message: 'AssertionError: expected 42 to be 41 // Object.is equality' },
    ]);
  });

  it('rejects when the file cannot be read', async () => {
    await expect(analyzeLogFile(path.join(dir, 'missing.log'), meta)).rejects.toThrow(/ENOENT/);
  });
});
