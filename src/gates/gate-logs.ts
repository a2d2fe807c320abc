import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where a gate's whole output goes: `<logDir>/gates/run-<runId>-<gate>-<n>.log`, n counting the runs of that
 * gate in this run (1 for the first round, 2 for the next …). The number is the first free one, claimed by
 * creating the file exclusively, so no counter has to live across rounds and no earlier log is overwritten.
 */

/** A gate name as it can appear in a file name. */
function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** The path, its file created empty; undefined when the folder cannot be written (the gate runs without a log). */
export async function claimGateLogPath(logDir: string, runId: string, gate: string): Promise<string | undefined> {
  const dir = path.join(logDir, 'gates');
  try {
    await mkdir(dir, { recursive: true });
    for (let run = 1; ; run += 1) {
      const file = path.join(dir, `run-${runId}-${fileSafe(gate)}-${run}.log`);
      try {
        await (await open(file, 'wx')).close();
        return file;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  } catch {
    return undefined;
  }
}
