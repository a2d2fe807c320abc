import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../test/helpers/cleanup.js';
import { makeTempDir } from '../../test/helpers/git.js';
import { formatJobResult, runJobLine } from './batch-jobs.js';

const { removeLater } = cleanupAfterEach();

const DIFF = '--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n';

function workspace(): string {
  const dir = removeLater(makeTempDir('fleet-orch-jobs-'));
  writeFileSync(join(dir, 'a.txt'), 'one\ntwo\n');
  writeFileSync(join(dir, 'fix.diff'), DIFF);
  writeFileSync(join(dir, 'prose.diff'), 'no diff here\n');
  return dir;
}

const job = (fields: Record<string, unknown>): string => JSON.stringify(fields);

describe('runJobLine', () => {
  it('applies a job, with paths absolute or relative to the working directory', async () => {
    const dir = workspace();
    expect(await runJobLine(job({ id: 'j1', dir, patch_file: join(dir, 'fix.diff') }), '/')).toEqual({ id: 'j1', applied: true });
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('one\nTWO\n');
    expect(await runJobLine(job({ id: 7, dir: '.', patch_file: 'fix.diff' }), dir)).toEqual({
      id: 7,
      applied: false,
      error: expect.stringMatching(/^a\.txt: hunk 1 .* does not match the file/),
    });
  });

  it('turns a bad job into a result, keeping its id when it has one', async () => {
    const dir = workspace();
    const cases: [string, string | number | null, RegExp][] = [
      ['{not json', null, /^job line is not JSON$/],
      ['[1, 2]', null, /^job line is not a JSON object$/],
      [job({ dir, patch_file: 'fix.diff' }), null, /^job has no "id"/],
      [job({ id: 'x', patch_file: 'fix.diff' }), 'x', /^job has no "dir"/],
      [job({ id: 'x', dir, patch_file: '' }), 'x', /^job has no "patch_file"/],
      [job({ id: 'x', dir, patch_file: 'missing.diff' }), 'x', /^cannot read patch_file missing\.diff: ENOENT/],
      [job({ id: 'x', dir, patch_file: 'prose.diff' }), 'x', /^not a unified diff: no ---\/\+\+\+ file headers/],
      [job({ id: 'x', dir: join(dir, 'nope'), patch_file: 'fix.diff' }), 'x', /^directory not found: /],
    ];
    for (const [line, id, error] of cases) {
      expect(await runJobLine(line, dir), line).toEqual({ id, applied: false, error: expect.stringMatching(error) });
    }
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('one\ntwo\n');
  });
});

describe('formatJobResult', () => {
  it('writes id, applied and, only when not applied, error', () => {
    expect(formatJobResult({ id: 'a', applied: true })).toBe('{"id":"a","applied":true}');
    expect(formatJobResult({ id: null, applied: false, error: 'bad' })).toBe('{"id":null,"applied":false,"error":"bad"}');
  });
});
