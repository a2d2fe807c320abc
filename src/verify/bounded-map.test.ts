import { describe, expect, it } from 'vitest';
import { mapBounded } from './bounded-map.js';

describe('mapBounded', () => {
  it('keeps input order and never has more than `limit` calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapBounded([30, 5, 20, 1, 10, 2], 2, async (ms, index) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      inFlight -= 1;
      return `${index}:${ms}`;
    });
    expect(results).toEqual(['0:30', '1:5', '2:20', '3:1', '4:10', '5:2']);
    expect(peak).toBe(2);
  });

  it('starts nothing new once stop() says so, and leaves the missing results out', async () => {
    const started: number[] = [];
    const results = await mapBounded([1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      return item * 10;
    }, () => started.length >= 3);
    expect(started).toEqual([1, 2, 3]);
    expect(results).toEqual([10, 20, 30]);
  });

  it('handles an empty list and refuses a nonsense limit', async () => {
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
    await expect(mapBounded([1], 0, async () => 1)).rejects.toThrow(RangeError);
  });
});
