import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonlAuditLog, MemoryAuditLog, parseAuditLines } from './audit-log.js';
import type { AuditEntry } from './types.js';

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  time: '2025-01-02T03:04:05.000Z',
  actor: 'gate:lint',
  command: 'npm run lint',
  cwd: '/repo',
  verdict: 'allowed',
  rule: null,
  reason: null,
  exitCode: 0,
  signal: null,
  timedOut: false,
  durationMs: 1234,
  ...overrides,
});

describe('JsonlAuditLog', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-audit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the folder and appends one JSON object per line, in order', async () => {
    const file = path.join(dir, 'logs', 'nested', 'audit-run1.jsonl');
    const log = new JsonlAuditLog(file);
    log.record(entry());
    log.record(entry({ actor: 'fixer:format', verdict: 'denied', rule: 'forbidden:rm -rf /', reason: 'x', exitCode: null }));
    await log.close();
    const text = await readFile(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trim().split('\n')).toHaveLength(2);
    const entries = parseAuditLines(text);
    expect(entries.map((item) => item.actor)).toEqual(['gate:lint', 'fixer:format']);
    expect(entries[1]).toEqual(entry({ actor: 'fixer:format', verdict: 'denied', rule: 'forbidden:rm -rf /', reason: 'x', exitCode: null }));
  });

  it('appends to an existing file instead of replacing it', async () => {
    const file = path.join(dir, 'audit.jsonl');
    new JsonlAuditLog(file).record(entry({ actor: 'first' }));
    new JsonlAuditLog(file).record(entry({ actor: 'second' }));
    expect(parseAuditLines(await readFile(file, 'utf8')).map((item) => item.actor)).toEqual(['first', 'second']);
  });

  it('keeps a multi-line command on one line', async () => {
    const file = path.join(dir, 'audit.jsonl');
    new JsonlAuditLog(file).record(entry({ command: 'echo a\necho b' }));
    const text = await readFile(file, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(1);
    expect(parseAuditLines(text)[0]!.command).toBe('echo a\necho b');
  });
});

describe('MemoryAuditLog', () => {
  it('keeps the entries in order', () => {
    const log = new MemoryAuditLog();
    log.record(entry({ actor: 'a' }));
    log.record(entry({ actor: 'b' }));
    expect(log.entries.map((item) => item.actor)).toEqual(['a', 'b']);
  });
});
