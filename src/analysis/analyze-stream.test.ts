import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeGate } from './analyze.js';
import { analyzeFailedGate, analyzeLogFile, analyzeLogStream, type StreamMeta } from './analyze-stream.js';
import type { GateResult } from '../gates/types.js';

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
  { name: 'test', command: 'npm test', required: true, status: 'failed', exitCode: 1, signal: null, durationMs: 1, output: LOG, outputTruncated: false, outputLogPath: null },
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

  it('reads a file bigger than its read buffer, characters cut at the buffer edges included', async () => {
    const file = path.join(dir, 'big.log');
    const noise = Array.from({ length: 6000 }, (_, index) => `✓ src/unit-${index}.test.ts (1 test) 1ms – ü 漢字`).join('\r\n');
    writeFileSync(file, `${noise}\r\n${LOG}`);
    const analysis = await analyzeLogFile(file, meta);
    expect(analysis).toEqual(analyzeGate(failedGate(`${noise}\r\n${LOG}`), meta));
    expect(analysis.excerpt).toContain('AssertionError: expected 42 to be 41');
  });

  it('rejects when the file cannot be read', async () => {
    await expect(analyzeLogFile(path.join(dir, 'missing.log'), meta)).rejects.toThrow(/ENOENT/);
  });
});

function failedGate(output: string, extra: Partial<GateResult> = {}): GateResult {
  return { name: 'test', command: 'npm test', required: true, status: 'failed', exitCode: 1, signal: null, durationMs: 1, output, outputTruncated: false, outputLogPath: null, ...extra };
}

describe('analyzeFailedGate', () => {
  const capture = 'head of the output\n[… 1000 bytes omitted …]\ntail of the output\n';

  it('reads the whole output log when the capture was truncated', async () => {
    const file = path.join(dir, 'whole.log');
    writeFileSync(file, LOG);
    const analysis = await analyzeFailedGate(failedGate(capture, { outputTruncated: true, outputLogPath: file }), meta);
    expect(analysis.excerpt).toContain('AssertionError: expected 42 to be 41');
    expect(analysis.excerpt).not.toContain('output truncated');
    expect(analysis.locations.map((location) => location.file)).toEqual(['src/route.test.ts']);
  });

  it('uses the capture when it is the whole output, or when the log cannot be read', async () => {
    const file = path.join(dir, 'ignored.log');
    writeFileSync(file, LOG);
    const whole = await analyzeFailedGate(failedGate(capture, { outputLogPath: file }), meta);
    expect(whole.excerpt).not.toContain('AssertionError');
    const unreadable = failedGate(capture, { outputTruncated: true, outputLogPath: path.join(dir, 'gone.log') });
    const fallback = await analyzeFailedGate(unreadable, meta);
    expect(fallback).toEqual(analyzeGate(unreadable, meta));
    expect(fallback.excerpt).toContain('output truncated');
  });
});
