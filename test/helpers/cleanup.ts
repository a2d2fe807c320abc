import { rmSync } from 'node:fs';
import { afterEach } from 'vitest';

export interface Cleanups {
  /** Cleans the resource (e.g. a TempRepo) up after the test; returns it. */
  track<T extends { readonly cleanup: () => void }>(resource: T): T;
  /** Deletes the folder after the test; returns it. */
  removeLater(dir: string): string;
}

/**
 * Call at the top of a test file: whatever a test registers is undone after it, newest first, even when the
 * test fails.
 */
export function cleanupAfterEach(): Cleanups {
  const pending: (() => void)[] = [];
  afterEach(() => {
    while (pending.length > 0) pending.pop()?.();
  });
  return {
    track(resource) {
      pending.push(resource.cleanup);
      return resource;
    },
    removeLater(dir) {
      pending.push(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
  };
}
