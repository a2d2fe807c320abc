import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeError } from '../errors.js';
import { applyPatchToDirectory } from './apply-directory.js';
import type { PatchOptions } from './types.js';

/**
 * `fleet-orch patch apply --jsonl`: one job per input line, `{"id", "dir", "patch_file"}`, one result per line,
 * `{"id", "applied", "error"}` with `error` left out when the patch applied. A line that is not a valid job is
 * a result too (`applied: false`, `id` null when it cannot be read), never a crash. Relative paths are read
 * from the working directory.
 */
export interface JobResult {
  readonly id: string | number | null;
  readonly applied: boolean;
  readonly error?: string;
}

interface Job {
  readonly id: string | number;
  readonly dir: string;
  readonly patchFile: string;
}

export async function runJobLine(line: string, cwd: string, options: PatchOptions = {}): Promise<JobResult> {
  const parsed = parseJob(line);
  if ('error' in parsed) return { id: parsed.id, applied: false, error: parsed.error };
  const { id } = parsed;
  let diff: string;
  try {
    diff = await readFile(resolve(cwd, parsed.patchFile), 'utf8');
  } catch (error) {
    return { id, applied: false, error: `cannot read patch_file ${parsed.patchFile}: ${describeError(error)}` };
  }
  try {
    const outcome = await applyPatchToDirectory(resolve(cwd, parsed.dir), diff, options);
    if (outcome.applied) return { id, applied: true };
    const prefix = outcome.kind === 'unparseable' ? 'not a unified diff: ' : '';
    return { id, applied: false, error: prefix + outcome.reason };
  } catch (error) {
    return { id, applied: false, error: describeError(error) };
  }
}

/** One result as its output line (no newline). */
export function formatJobResult(result: JobResult): string {
  return JSON.stringify(result.applied ? { id: result.id, applied: true } : { id: result.id, applied: false, error: result.error ?? 'not applied' });
}

function parseJob(line: string): Job | { id: string | number | null; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { id: null, error: 'job line is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { id: null, error: 'job line is not a JSON object' };
  const record = value as Record<string, unknown>;
  const id = typeof record.id === 'string' || typeof record.id === 'number' ? record.id : null;
  if (id === null) return { id, error: 'job has no "id" (a string)' };
  for (const key of ['dir', 'patch_file'] as const) {
    const field = record[key];
    if (typeof field !== 'string' || field === '') return { id, error: `job has no "${key}" (a path)` };
  }
  return { id, dir: record.dir as string, patchFile: record.patch_file as string };
}
