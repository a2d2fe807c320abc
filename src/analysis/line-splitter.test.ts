import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';

function split(chunks: readonly string[], maxLineChars?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), maxLineChars);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('gives the same lines however the text is cut into chunks', () => {
    const text = 'one\ntwo\r\nthree\n\nfour';
    const whole = split([text]);
    expect(whole).toEqual(['one', 'two\r', 'three', '', 'four']);
    for (let cut = 1; cut < text.length; cut += 1) {
      expect(split([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    }
    expect(split([...text])).toEqual(whole);
  });

  it('keeps only the last drawing of a line redrawn with carriage returns, across chunks', () => {
    expect(split(['[#   ] 10%\r[##  ] 50%', '\r[####] 100%\nnext\n'])).toEqual(['[####] 100%', 'next']);
    expect(split(['abc\r', 'def\n'])).toEqual(['abc\rdef']); // the cleaner keeps the part after the \r
    expect(split(['abc', '\r', '\n'])).toEqual(['abc\r']);
  });

  it('bounds a line without newlines, whatever its length', () => {
    const lines = split(Array.from({ length: 100 }, () => 'x'.repeat(100_000)), 1000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toHaveLength(1000);
  });

  it('says a line has no carriage return only when it has none', () => {
    const seen: [string, boolean][] = [];
    const splitter = new LineSplitter((line, mayHaveReturn) => seen.push([line, mayHaveReturn]));
    for (const chunk of ['plain\nlines\n', 'progress 1\rprogress 2\r\n', 'split ', 'line\n']) splitter.push(chunk);
    splitter.end();
    expect(seen.filter(([, mayHaveReturn]) => !mayHaveReturn).map(([line]) => line)).toEqual(['plain', 'lines']);
    for (const [line, mayHaveReturn] of seen) if (line.includes('\r')) expect(mayHaveReturn).toBe(true);
  });

  it('counts the lines it emitted', () => {
    const splitter = new LineSplitter(() => {});
    splitter.push('a\nb\nc');
    splitter.end();
    expect(splitter.lineCount).toBe(3);
  });
});
