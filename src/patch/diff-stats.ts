import { listDiffFiles, touchedPaths } from './diff-files.js';

export interface DiffStats {
  readonly files: string[];
  readonly added: number;
  readonly removed: number;
}

/** Files touched and lines added/removed by a unified diff, for reports; an unparseable diff counts as empty. */
export function diffStats(diff: string): DiffStats {
  try {
    const files = listDiffFiles(diff);
    return {
      files: touchedPaths(files),
      added: files.reduce((sum, file) => sum + file.added, 0),
      removed: files.reduce((sum, file) => sum + file.removed, 0),
    };
  } catch {
    return { files: [], added: 0, removed: 0 };
  }
}
