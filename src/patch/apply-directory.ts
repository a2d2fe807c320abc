import { realpath } from 'node:fs/promises';
import { parsePatchText, PatchParseError } from './parse-patch.js';
import { planChanges } from './plan-changes.js';
import { STAGE_ORDER, type PatchFile, type PatchOptions, type PatchOutcome, type PatchStage } from './types.js';
import { PatchWriteError, writeChanges, type WriteFs } from './write-changes.js';

/**
 * Applies a unified diff to the files under `dir` (no git needed): parse, guard every path, place every hunk
 * and compute every new file in memory, then write all of it or nothing. A refused patch leaves the directory
 * exactly as it was. Throws only when a failed write could not be undone (PatchRollbackError).
 */
export async function applyPatchToDirectory(dir: string, diff: string, options: PatchOptions = {}, fs?: WriteFs): Promise<PatchOutcome> {
  let files: PatchFile[];
  try {
    files = parsePatchText(diff);
  } catch (error) {
    if (error instanceof PatchParseError) return { applied: false, reason: error.message, kind: 'unparseable' };
    throw error;
  }
  let root: string;
  try {
    root = await realpath(dir);
  } catch {
    return { applied: false, reason: `directory not found: ${dir}`, kind: 'refused' };
  }
  const plan = await planChanges(root, files, options.protectedPaths ?? []);
  if (!plan.ok) return { applied: false, reason: plan.reason, kind: 'refused' };
  // Context-only hunks: nothing to write, nothing to commit, and the model should hear it.
  if (plan.changes.length === 0) return { applied: false, reason: 'the patch changes nothing', kind: 'refused' };
  try {
    await writeChanges(root, plan.changes, fs);
  } catch (error) {
    if (error instanceof PatchWriteError) return { applied: false, reason: error.message, kind: 'refused' };
    throw error;
  }
  return {
    applied: true,
    files: [...new Set(plan.changes.map((change) => change.path))],
    method: loosest(plan.hunks.map((hunk) => hunk.stage)),
    hunks: plan.hunks,
  };
}

function loosest(stages: readonly PatchStage[]): PatchStage {
  return STAGE_ORDER[Math.max(0, ...stages.map((stage) => STAGE_ORDER.indexOf(stage)))] ?? 'exact';
}
