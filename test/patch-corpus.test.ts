import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPatchToDirectory } from '../src/patch/apply-directory.js';
import { cleanupAfterEach } from './helpers/cleanup.js';
import { makeTempDir } from './helpers/git.js';
import { copyTree, listCases, treeSnapshot, type CorpusCase } from './fixtures/patches/corpus.mjs';

/**
 * The model-mistake corpus (test/fixtures/patches, see generate.mjs): every recoverable case applies to exactly
 * its after/ folder; every must-refuse case is refused with its reason and leaves the folder byte for byte as it
 * was (and writes nothing next to it).
 */

const { removeLater } = cleanupAfterEach();
const cases = listCases();

/** before/ copied to <temp>/tree, with an empty <temp>/outside that links in the corpus may point to. */
function workspace(testCase: CorpusCase): { tree: string; outside: string } {
  const root = removeLater(makeTempDir('fleet-orch-corpus-'));
  const tree = path.join(root, 'tree');
  const outside = path.join(root, 'outside');
  copyTree(testCase.before, tree);
  mkdirSync(outside);
  return { tree, outside };
}

describe('the patch corpus', () => {
  it('has at least 30 cases of both kinds', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((testCase) => testCase.meta.expect === 'apply').length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((testCase) => testCase.meta.expect === 'refuse').length).toBeGreaterThanOrEqual(10);
  });

  const recoverable = cases.filter((testCase) => testCase.meta.expect === 'apply');
  it.each(recoverable.map((testCase) => [testCase.name, testCase] as const))('%s applies to exactly after/', async (_, testCase) => {
    const { tree } = workspace(testCase);
    const outcome = await applyPatchToDirectory(tree, testCase.patch, { protectedPaths: testCase.meta.protectedPaths ?? [] });
    expect(outcome).toMatchObject({ applied: true });
    expect(treeSnapshot(tree)).toEqual(treeSnapshot(testCase.after));
    if (outcome.applied && testCase.meta.stage !== undefined) expect(outcome.method).toBe(testCase.meta.stage);
  });

  const mustRefuse = cases.filter((testCase) => testCase.meta.expect === 'refuse');
  it.each(mustRefuse.map((testCase) => [testCase.name, testCase] as const))('%s is refused, nothing changed', async (_, testCase) => {
    const { tree, outside } = workspace(testCase);
    const before = treeSnapshot(tree);
    const outcome = await applyPatchToDirectory(tree, testCase.patch, { protectedPaths: testCase.meta.protectedPaths ?? [] });
    expect(outcome).toMatchObject({ applied: false, kind: 'refused' });
    expect(outcome.applied ? '' : outcome.reason).toContain(testCase.meta.reason ?? '');
    expect(treeSnapshot(tree)).toEqual(before);
    expect(readdirSync(outside)).toEqual([]);
  });
});
