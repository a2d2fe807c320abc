import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSystemReason, protectedPathReason, unsafePathReason } from './path-guard.js';
import { patchText } from './patch-text.js';
import type { HunkPlacement, PatchFile } from './types.js';

/** One file operation, computed in full before anything is written. */
export type FileChange =
  | { readonly kind: 'write'; readonly path: string; readonly content: Buffer; readonly mode: number | null }
  | { readonly kind: 'delete'; readonly path: string };

export type ChangePlan =
  | { readonly ok: true; readonly changes: FileChange[]; readonly hunks: HunkPlacement[] }
  | { readonly ok: false; readonly reason: string };

type FilePlan = { readonly changes: FileChange[]; readonly hunks: HunkPlacement[] } | string;

/**
 * Decides every change of a parsed patch against the files under `root` (a real path), reading but never
 * writing. The first file that cannot be patched refuses the whole patch, with its reason.
 */
export async function planChanges(root: string, files: readonly PatchFile[], protectedPaths: readonly string[]): Promise<ChangePlan> {
  const seen = new Set<string>();
  const changes: FileChange[] = [];
  const hunks: HunkPlacement[] = [];
  for (const file of files) {
    const guard = await guardReason(root, file, protectedPaths);
    if (guard !== null) return { ok: false, reason: guard };
    for (const path of namesOf(file)) {
      if (seen.has(path)) return { ok: false, reason: `${path} appears twice in the patch` };
      seen.add(path);
    }
    const plan = await planFile(root, file);
    if (typeof plan === 'string') return { ok: false, reason: plan };
    changes.push(...plan.changes);
    hunks.push(...plan.hunks);
  }
  return { ok: true, changes, hunks };
}

async function guardReason(root: string, file: PatchFile, protectedPaths: readonly string[]): Promise<string | null> {
  const name = file.newPath ?? file.oldPath ?? '';
  if (file.binary) return `binary patch: ${name}`;
  for (const mode of [file.oldMode, file.newMode]) {
    if (mode === '120000') return `symbolic link in patch: ${name}`;
    if (mode === '160000') return `submodule in patch: ${name}`;
  }
  if ((file.status === 'renamed' || file.status === 'copied') && !file.declaredMove) {
    return `${file.oldPath} and ${file.newPath}: the --- and +++ names differ without git rename headers; name the same file in both`;
  }
  for (const path of namesOf(file)) {
    const reason = unsafePathReason(path) ?? protectedPathReason(path, protectedPaths) ?? (await fileSystemReason(root, path));
    if (reason !== null) return reason;
  }
  return null;
}

function namesOf(file: PatchFile): string[] {
  return [...new Set([file.oldPath, file.newPath].filter((path): path is string => path !== null))];
}

async function planFile(root: string, file: PatchFile): Promise<FilePlan> {
  const mode = modeOf(file.newMode);
  if (file.status === 'added' || file.oldPath === null) {
    const path = file.newPath ?? '';
    if (await exists(root, path)) return `file already exists: ${path} (the patch creates it)`;
    const content = createdContent(file);
    if (content === null) return `${path}: the patch creates the file but its hunks have context or removed lines`;
    const placements = file.hunks.map((hunk) => ({ file: path, hunk: hunk.number, stage: 'exact' as const, at: 0 }));
    return { changes: [{ kind: 'write', path, content: Buffer.from(content, 'utf8'), mode }], hunks: placements };
  }
  const oldPath = file.oldPath;
  const original = await readText(root, oldPath);
  if (typeof original !== 'string') return original.reason;
  const target = file.newPath ?? oldPath;
  if (target !== oldPath && (await exists(root, target))) return `file already exists: ${target} (the patch renames ${oldPath} to it)`;
  let content = original;
  let hunks: HunkPlacement[] = [];
  if (file.hunks.length > 0) {
    const result = patchText(oldPath, original, file.hunks);
    if (!result.ok) return result.reason;
    content = result.text;
    hunks = result.placed.map((placed) => ({ file: target, ...placed }));
  }
  if (file.status === 'deleted' || file.newPath === null) {
    if (file.hunks.length > 0 && content.replace(/^\uFEFF/, '') !== '') return `${oldPath}: the patch deletes the file but its removed lines do not cover all of it`;
    return { changes: [{ kind: 'delete', path: oldPath }], hunks };
  }
  const write: FileChange = { kind: 'write', path: target, content: Buffer.from(content, 'utf8'), mode };
  if (file.status === 'renamed') return { changes: [{ kind: 'delete', path: oldPath }, write], hunks };
  const unchanged = target === oldPath && content === original && (mode === null || (await currentMode(root, oldPath)) === mode);
  return { changes: unchanged ? [] : [write], hunks };
}

/** A created file is its added lines; LF unless the diff itself was written with CRLF. */
function createdContent(file: PatchFile): string | null {
  const ops = file.hunks.flatMap((hunk) => hunk.ops);
  if (ops.some((op) => op.kind !== 'add')) return null;
  const eol = file.crlf ? '\r\n' : '\n';
  const lines = ops.flatMap((op) => (op.kind === 'add' ? [op] : []));
  return lines.map((op, index) => op.text + (index === lines.length - 1 && op.noEol ? '' : eol)).join('');
}

async function readText(root: string, path: string): Promise<string | { reason: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(root, path));
  } catch {
    return { reason: `file not found: ${path} (the patch changes it)` };
  }
  if (bytes.subarray(0, 8000).includes(0)) return { reason: `binary file: ${path} (a text patch cannot change it)` };
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) return { reason: `not UTF-8 text: ${path}` };
  return text;
}

async function currentMode(root: string, path: string): Promise<number | null> {
  const stats = await lstat(join(root, path)).catch(() => null);
  return stats === null ? null : stats.mode & 0o777;
}

async function exists(root: string, path: string): Promise<boolean> {
  return (await lstat(join(root, path)).catch(() => null)) !== null;
}

/** git's two regular-file modes; any other (or none) keeps the file's mode. */
function modeOf(gitMode: string | null): number | null {
  if (gitMode === '100755') return 0o755;
  if (gitMode === '100644') return 0o644;
  return null;
}
