import { describe, expect, it } from 'vitest';
import { BoundedOutput, decodeUtf8 } from './output-buffer.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

function capture(maxBytes: number, chunks: readonly (string | Buffer)[]): ReturnType<BoundedOutput['finish']> {
  const output = new BoundedOutput(maxBytes);
  for (const chunk of chunks) output.push(typeof chunk === 'string' ? bytes(chunk) : chunk);
  return output.finish();
}

describe('BoundedOutput', () => {
  it('keeps everything, in order, while it fits', () => {
    const result = capture(100, ['out 1\n', 'err 2\n', 'out 3\n']);
    expect(result).toEqual({ text: 'out 1\nerr 2\nout 3\n', totalBytes: 18, truncated: false });
  });

  it('keeps everything when the total is exactly the budget', () => {
    const result = capture(10, ['12345', '67890']);
    expect(result).toEqual({ text: '1234567890', totalBytes: 10, truncated: false });
  });

  it('keeps the head and the tail with a marker counting the omitted bytes', () => {
    const lines = Array.from({ length: 1000 }, (_, index) => `line ${index}\n`);
    const total = lines.join('').length;
    const result = capture(200, lines);
    expect(result.truncated).toBe(true);
    expect(result.totalBytes).toBe(total);
    expect(result.text.startsWith('line 0\nline 1\n')).toBe(true);
    expect(result.text.endsWith('line 998\nline 999\n')).toBe(true);
    const marker = /\n\[… (\d+) bytes omitted …\]\n/.exec(result.text);
    expect(marker).not.toBeNull();
    const shown = Buffer.byteLength(result.text) - Buffer.byteLength(marker![0]);
    expect(Number(marker![1])).toBe(total - shown);
  });

  it('cuts at line breaks so no half line is shown', () => {
    const result = capture(60, Array.from({ length: 50 }, (_, index) => `entry-${index}\n`));
    const [head, tail] = result.text.split(/\n\[… \d+ bytes omitted …\]\n/);
    for (const line of `${head}`.split('\n')) expect(line).toMatch(/^entry-\d+$/);
    for (const line of `${tail}`.split('\n').filter(Boolean)) expect(line).toMatch(/^entry-\d+$/);
  });

  it('holds no more than its budget in memory, however much arrives', () => {
    const output = new BoundedOutput(4096);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let index = 0; index < 80; index += 1) output.push(chunk);
    expect(output.retainedBytes).toBe(4096);
    expect(output.totalBytes).toBe(80 * 64 * 1024);
    const result = output.finish();
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.text)).toBeLessThan(4096 + 64);
  });

  it('keeps the latest bytes in the tail across many small writes (ring wrap-around)', () => {
    const chunks = Array.from({ length: 500 }, (_, index) => `${String(index).padStart(3, '0')}|`);
    const result = capture(40, chunks);
    expect(result.text.startsWith('000|001|002|003|004|')).toBe(true);
    expect(result.text.endsWith('495|496|497|498|499|')).toBe(true);
  });

  it('never splits a UTF-8 character at the cut, nor across chunks', () => {
    const text = '€'.repeat(1000);
    const encoded = bytes(text);
    const chunks = [encoded.subarray(0, 1), encoded.subarray(1, 1501), encoded.subarray(1501)];
    const result = capture(101, chunks);
    expect(result.text).not.toContain('\uFFFD');
    expect(result.text.replace(/\n\[… \d+ bytes omitted …\]\n/, '')).toMatch(/^€+$/);
    expect(capture(10_000, chunks).text).toBe(text);
  });

  it('decodes invalid UTF-8 to replacement characters instead of throwing', () => {
    expect(decodeUtf8(Buffer.from([0x61, 0xff, 0x62]))).toBe('a\uFFFDb');
  });
});
