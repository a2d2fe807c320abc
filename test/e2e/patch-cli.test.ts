import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { e2eScope } from '../helpers/e2e.js';
import { copyTree, listCases, treeSnapshot } from '../fixtures/patches/corpus.mjs';

/** `fleet-orch patch apply`, through the real binary, on corpus cases (no git repository anywhere). */

const { tempDir } = e2eScope();
const byName = new Map(listCases().map((testCase) => [testCase.name, testCase]));

function corpusCase(name: string): { dir: string; patchFile: string; after: string } {
  const testCase = byName.get(name);
  if (testCase === undefined) throw new Error(`no corpus case ${name}`);
  const dir = path.join(tempDir('fleet-orch-cli-patch-'), 'tree');
  copyTree(testCase.before, dir);
  return { dir, patchFile: testCase.patchFile, after: testCase.after };
}

/** The CLI with `input` on stdin (runCli closes stdin). */
function patchCli(args: readonly string[], options: { cwd: string; input?: string }): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, 'patch', 'apply', ...args], {
    cwd: options.cwd,
    env: cleanEnv(),
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('fleet-orch patch apply', () => {
  it('applies a model diff to a plain folder: exit 0, a summary, exactly the expected files', () => {
    const { dir, patchFile, after } = corpusCase('apply-09-indent-4-for-2');
    const run = patchCli(['--dir', dir, patchFile], { cwd: tempDir() });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^applied \(whitespace\): src\/config\/load-config\.ts\n {2}src\/config\/load-config\.ts: hunk 1 whitespace at line 35\n/);
    expect(treeSnapshot(dir)).toEqual(treeSnapshot(after));
  });

  it('reads the diff from stdin with -, in the current directory, and prints JSON with --json', () => {
    const { dir, patchFile, after } = corpusCase('apply-22-create-delete-rename-wrong-counts');
    const run = patchCli(['--json', '-'], { cwd: dir, input: readFileSync(patchFile, 'utf8') });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { applied: boolean; method: string; files: string[]; hunks: unknown[] };
    expect(result).toMatchObject({ applied: true, method: 'exact' });
    expect(result.files).toContain('src/cache/lru-cache.ts');
    expect(result.hunks).toContainEqual({ file: 'src/cache/index.ts', hunk: 1, stage: 'exact', at: 0 });
    expect(treeSnapshot(dir)).toEqual(treeSnapshot(after));
  });

  it('refuses with exit 1 and the reason on stderr, leaving the folder as it was', () => {
    const { dir, patchFile } = corpusCase('refuse-03-ambiguous-without-line-numbers');
    const before = treeSnapshot(dir);
    const run = patchCli(['--dir', dir, '--json', patchFile], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('fleet-orch: patch refused: src/validate.ts: hunk 1 (@@ @@) matches 3 places (lines 14, 28, 42) and its @@ header has no line numbers; include more context lines\n');
    expect(JSON.parse(run.stdout)).toMatchObject({ applied: false, kind: 'refused' });
    expect(treeSnapshot(dir)).toEqual(before);
  });

  it('exits 2 for text that is not a diff and for usage mistakes', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'notes.txt'), 'I think the fix is to change line 3.\n');
    expect(patchCli(['notes.txt'], { cwd: dir })).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^fleet-orch: not a unified diff: /) });
    expect(patchCli([], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringContaining('missing <patch-file>') });
    expect(patchCli(['--jsonl', 'notes.txt'], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringContaining('--jsonl takes its jobs from stdin') });
    expect(patchCli(['--dir', 'nowhere', 'notes.txt'], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringContaining('not a directory') });
  });

  it('refuses protected paths given with --protect', () => {
    const { dir, patchFile } = corpusCase('apply-16-no-prefixes');
    const run = patchCli(['--protect', 'lib/**', '--dir', dir, patchFile], { cwd: dir });
    expect(run).toMatchObject({ code: 1, stderr: 'fleet-orch: patch refused: protected path: lib/queue.js (matches "lib/**")\n' });
  });

  it('--jsonl: one result line per job, in order, and nothing else on stdout', () => {
    const good = corpusCase('apply-18-hunks-out-of-order');
    const refused = corpusCase('refuse-02-already-applied');
    const jobs = [
      JSON.stringify({ id: 'good', dir: good.dir, patch_file: good.patchFile }),
      '',
      JSON.stringify({ id: 'refused', dir: refused.dir, patch_file: refused.patchFile }),
      'not json at all',
      JSON.stringify({ id: 'no-file', dir: good.dir, patch_file: path.join(good.dir, 'missing.diff') }),
    ];
    const before = treeSnapshot(refused.dir);
    const run = patchCli(['--jsonl'], { cwd: tempDir(), input: `${jobs.join('\n')}\n` });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      { id: 'good', applied: true },
      { id: 'refused', applied: false, error: expect.stringContaining('does not match the file') },
      { id: null, applied: false, error: 'job line is not JSON' },
      { id: 'no-file', applied: false, error: expect.stringMatching(/^cannot read patch_file .*missing\.diff: ENOENT/) },
    ]);
    expect(treeSnapshot(good.dir)).toEqual(treeSnapshot(good.after));
    expect(treeSnapshot(refused.dir)).toEqual(before);
  });
});
