import { describe, expect, it } from 'vitest';
import { CleanBatchWriter, forEachCleanLine } from './clean-batch.js';
import type { CleanLine } from './strip.js';

function roundTrip(lines: CleanLine[]): CleanLine[] {
  const writer = new CleanBatchWriter();
  for (const line of lines) writer.add(line);
  const batch = structuredClone(writer.take(lines.length + 1, 123)); // as posted between threads
  const read: CleanLine[] = [];
  forEachCleanLine(batch, (line) => read.push(line));
  expect(batch).toMatchObject({
    count: lines.length,
    rawLines: lines.length + 1,
    bytes: 123,
  });
  return read;
}

describe('clean line batches', () => {
  it('carry lines and their CI marks unchanged, empty lines included', () => {
    const lines: CleanLine[] = [
      { text: 'Run npm test', mark: 'step-start' },
      { text: '', mark: null },
      { text: '  ✓ passes – ü 漢字', mark: null },
      { text: 'Process completed with exit code 1.', mark: 'step-failed' },
      { text: '', mark: null },
    ];
    expect(roundTrip(lines)).toEqual(lines);
    expect(roundTrip([{ text: '', mark: 'warning' }])).toEqual([{ text: '', mark: 'warning' }]);
    expect(roundTrip([])).toEqual([]);
  });

  it('start empty again after each take', () => {
    const writer = new CleanBatchWriter();
    writer.add({ text: 'a', mark: 'error' });
    writer.take(1, 2);
    expect(writer.take(0, 0)).toEqual({
      text: '',
      count: 0,
      markedLines: [],
      marks: [],
      rawLines: 0,
      bytes: 0,
    });
  });
});
