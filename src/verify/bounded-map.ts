/**
 * Maps `items` with at most `limit` calls of `fn` in flight, results in input order. Before each start it asks
 * `stop()`: once that says true no new call starts (calls already running finish), and the missing results are
 * left out, so the caller can tell a complete list from an interrupted one by its length.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  stop: () => boolean = () => false,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`mapBounded: limit must be a whole number ≥ 1, got ${limit}`);
  const results: (R | undefined)[] = new Array(items.length);
  const done: boolean[] = new Array(items.length).fill(false);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop()) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index]!, index);
      done[index] = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results.filter((_, index) => done[index]) as R[];
}
