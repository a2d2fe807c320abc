import * as fsp from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { FleetError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { FileChange } from './plan-changes.js';

/** The file operations the writer uses (injectable, so tests can make one fail). */
export type WriteFs = Pick<typeof fsp, 'writeFile' | 'rename' | 'unlink' | 'mkdir' | 'rmdir' | 'chmod' | 'readFile' | 'lstat' | 'readdir'>;

/** A write failed and every change made before it was undone: the directory is as it was. */
export class PatchWriteError extends Error {
  override readonly name = 'PatchWriteError';
}

/** A write failed and undoing the changes failed too: the user must look at the directory. */
export class PatchRollbackError extends FleetError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('patch-rollback', message, ExitCode.GaveUp, options);
  }
}

interface Snapshot {
  readonly content: Buffer;
  readonly mode: number;
}

/**
 * Writes planned changes all or nothing: deletions first, then each file through a temporary file renamed
 * over it. When any step fails, every earlier step is undone (contents, modes, created and removed folders)
 * before PatchWriteError is thrown.
 */
export async function writeChanges(root: string, changes: readonly FileChange[], fs: WriteFs = fsp): Promise<void> {
  const snapshots = new Map<string, Snapshot | null>();
  for (const change of changes) snapshots.set(change.path, await snapshot(fs, join(root, change.path)));
  const undo: (() => Promise<void>)[] = [];
  const ordered = [...changes.filter((change) => change.kind === 'delete'), ...changes.filter((change) => change.kind === 'write')];
  for (const change of ordered) {
    const absolute = join(root, change.path);
    const before = snapshots.get(change.path) ?? null;
    try {
      if (change.kind === 'delete') {
        await fs.unlink(absolute);
        undo.push(() => restore(fs, absolute, before));
        await removeEmptyParents(fs, root, absolute, undo);
      } else {
        await makeParents(fs, root, absolute, undo);
        await replaceFile(fs, absolute, change.content, change.mode ?? before?.mode ?? 0o644);
        undo.push(() => restore(fs, absolute, before));
      }
    } catch (error) {
      const failures = await rollback(undo);
      const detail = error instanceof Error ? error.message : String(error);
      if (failures.length > 0) {
        throw new PatchRollbackError(`could not write ${change.path} (${detail}) nor undo the changes before it: ${failures.join('; ')}`, { cause: error });
      }
      throw new PatchWriteError(`could not write ${change.path} (${detail}); every change was undone`, { cause: error });
    }
  }
}

async function snapshot(fs: WriteFs, absolute: string): Promise<Snapshot | null> {
  const stats = await fs.lstat(absolute).catch(() => null);
  if (stats === null || !stats.isFile()) return null;
  return { content: await fs.readFile(absolute), mode: stats.mode & 0o7777 };
}

let temporaryCounter = 0;

async function replaceFile(fs: WriteFs, absolute: string, content: Buffer, mode: number): Promise<void> {
  const temporary = join(dirname(absolute), `.${basename(absolute)}.fleet-orch-${process.pid}-${temporaryCounter++}.tmp`);
  try {
    await fs.writeFile(temporary, content, { mode, flag: 'wx' });
    await fs.chmod(temporary, mode);
    await fs.rename(temporary, absolute);
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
}

async function restore(fs: WriteFs, absolute: string, before: Snapshot | null): Promise<void> {
  if (before === null) {
    await fs.unlink(absolute).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    return;
  }
  await fs.mkdir(dirname(absolute), { recursive: true });
  await replaceFile(fs, absolute, before.content, before.mode);
}

/** Creates the missing folders above `absolute`, top down, each undone by removing it. */
async function makeParents(fs: WriteFs, root: string, absolute: string, undo: (() => Promise<void>)[]): Promise<void> {
  const missing: string[] = [];
  for (let folder = dirname(absolute); folder !== root && relative(root, folder) !== ''; folder = dirname(folder)) {
    if ((await fs.lstat(folder).catch(() => null)) !== null) break;
    missing.unshift(folder);
  }
  for (const folder of missing) {
    await fs.mkdir(folder);
    undo.push(() => fs.rmdir(folder));
  }
}

/** As git does, a folder left empty by a deletion goes too (and comes back on undo). */
async function removeEmptyParents(fs: WriteFs, root: string, absolute: string, undo: (() => Promise<void>)[]): Promise<void> {
  for (let folder = dirname(absolute); folder !== root && relative(root, folder) !== ''; folder = dirname(folder)) {
    if ((await fs.readdir(folder)).length > 0) return;
    await fs.rmdir(folder);
    undo.push(async () => {
      await fs.mkdir(folder, { recursive: true });
    });
  }
}

async function rollback(undo: readonly (() => Promise<void>)[]): Promise<string[]> {
  const failures: string[] = [];
  for (const step of [...undo].reverse()) {
    try {
      await step();
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  return failures;
}
