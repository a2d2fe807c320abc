import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureCommand, testShell } from '../../test/helpers/shell.js';
import { Redactor } from '../secrets/redact.js';
import { OutputLog } from './output-log.js';
import type { ShellRequest } from './types.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-output-log-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Pushes `text` in chunks of `size` bytes (cutting through multi-byte characters too) and returns the file. */
function logOf(text: string, size: number, redactor = new Redactor()): string {
  const file = path.join(dir, 'gates', 'out.log');
  const log = OutputLog.open(file, redactor);
  if (!log) throw new Error('could not open the log');
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; offset += size) log.push(bytes.subarray(offset, offset + size));
  expect(log.close()).toBe(file);
  return readFileSync(file, 'utf8');
}

/** Lines of harmless output, `count` of them. */
function filler(count: number, tag: string): string {
  return Array.from({ length: count }, (_, index) => `${tag} ${index} ✓ compiled module ${index % 97} in ${index % 13} ms\n`).join('');
}

describe('OutputLog', () => {
  it('writes the whole output in order, whatever the chunks (multi-byte characters cut included)', () => {
    const text = filler(30_000, 'line'); // ~1.5 MB: several windows
    expect(logOf(text, 7919)).toBe(text);
    expect(logOf('é€ no newline at the end', 1)).toBe('é€ no newline at the end');
  });

  it('redacts a secret split across two chunks, at every possible split', () => {
    const token = 'sk-' + 'Q1w2E3r4'.repeat(6);
    const text = `before\nthe key is ${token} (do not print)\nafter\n`;
    const start = text.indexOf(token);
    for (let cut = start; cut <= start + token.length; cut += 1) {
      const file = path.join(dir, `split-${cut}.log`);
      const log = OutputLog.open(file, new Redactor())!;
      log.push(Buffer.from(text.slice(0, cut)));
      log.push(Buffer.from(text.slice(cut)));
      log.close();
      const written = readFileSync(file, 'utf8');
      expect(written).toBe('before\nthe key is [REDACTED] (do not print)\nafter\n');
    }
  });

  it('never writes part of a multi-line secret or a private key block, wherever the windows are cut', () => {
    const redactor = new Redactor();
    const multiLine = 'first-half-of-a-secret\nsecond-half-of-a-secret';
    redactor.add(multiLine);
    const body = Array.from({ length: 20 }, (_, index) => `${'ABCDEFGHIJ'.repeat(6)}${String(index).padStart(4, '0')}`).join('\n');
    const key = `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`;
    // Secrets every few KB over ~2 MB: many of them land on the line break a window would be cut at.
    const parts: string[] = [];
    for (let index = 0; index < 400; index += 1) {
      parts.push(filler(40 + (index % 17), `block ${index}`), index % 2 === 0 ? `${multiLine}\n` : `${key}\n`);
    }
    const written = logOf(parts.join(''), 4093, redactor);
    expect(written).not.toContain('half-of-a-secret');
    expect(written).not.toContain('ABCDEFGHIJ');
    expect(written.match(/\[REDACTED\]/g)).toHaveLength(400);
    expect(written).toContain('block 399 47 ✓ compiled module 47');
  });

  it('says null when the log cannot be written', () => {
    writeFileSync(path.join(dir, 'a-file'), 'x');
    expect(OutputLog.open(path.join(dir, 'a-file', 'out.log'), new Redactor())).toBeNull();
  });
});

describe('GuardedShell with outputLogPath', () => {
  const request = (command: string, extra: Partial<ShellRequest> = {}): ShellRequest => ({
    command,
    cwd: dir,
    actor: 'test:log',
    timeoutMs: 20_000,
    outputLogPath: path.join(dir, 'logs', 'gates', 'run-1-test-1.log'),
    ...extra,
  });

  it('writes everything the command printed while memory keeps head and tail; a secret split across writes stays hidden', async () => {
    const token = 'sk-' + 'Z9y8X7w6'.repeat(5);
    const { shell } = testShell(dir);
    const command = `printf '%s' "$PART_ONE"; sleep 0.2; printf '%s\\n' "$PART_TWO"; ${fixtureCommand('noisy.mjs', '--bytes', '300000', '--stderr')}`;
    const result = await shell.run(request(command, { maxOutputBytes: 8192, env: { PART_ONE: token.slice(0, 10), PART_TWO: token.slice(10) } }));
    expect(result).toMatchObject({ exitCode: 0, truncated: true, outputLogPath: path.join(dir, 'logs', 'gates', 'run-1-test-1.log') });
    const written = readFileSync(result.outputLogPath!, 'utf8');
    expect(written.startsWith('[REDACTED]\nHEAD-MARKER\nline 1 ')).toBe(true);
    expect(written.endsWith('TAIL-MARKER\n')).toBe(true);
    expect(Buffer.byteLength(written)).toBeGreaterThan(300_000);
    expect(written).not.toContain('Z9y8X7w6');
    expect(result.output).not.toContain('Z9y8X7w6');
  });

  it('notes a command that could not start, and writes nothing for a dry run', async () => {
    const failed = await testShell(dir).shell.run(request('echo hi', { cwd: path.join(dir, 'missing') }));
    expect(readFileSync(failed.outputLogPath!, 'utf8')).toMatch(/^\[fleet-orch\] could not start the command: /);
    const dry = await testShell(dir, { dryRun: true }).shell.run(request('touch x', { mutates: true, outputLogPath: path.join(dir, 'dry.log') }));
    expect(dry.outputLogPath).toBeNull();
    expect(existsSync(path.join(dir, 'dry.log'))).toBe(false);
  });
});
