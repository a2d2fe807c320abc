import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { backupBranchName, isRefSafeToken, isRunId, newRunId, RUN_TRAILER, workBranchName } from './branch-names.js';

const NOW = new Date('2026-11-22T00:12:34.567Z');

function gitAcceptsBranch(name: string): boolean {
  try {
    execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('newRunId', () => {
  it('is the UTC date, time and four hex digits', () => {
    expect(newRunId(NOW, () => 0xa1b2 / 0x10000)).toBe('20261122-001234-a1b2');
  });

  it('uses UTC whatever the local offset of the date', () => {
    expect(newRunId(new Date('2026-01-01T23:59:59-05:00'), () => 0)).toBe('20260102-045959-0000');
  });

  it('pads the random part and stays four digits at the edges of the random range', () => {
    expect(newRunId(NOW, () => 0.0001)).toMatch(/-0006$/);
    expect(newRunId(NOW, () => 0.99999999)).toMatch(/-ffff$/);
    expect(newRunId(NOW, () => 1)).toMatch(/-0000$/);
  });

  it('produces ids that isRunId accepts and that differ between calls', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newRunId(NOW)));
    for (const id of ids) expect(isRunId(id)).toBe(true);
    expect(ids.size).toBeGreaterThan(40);
    expect(isRunId('20261122-001234-A1B2')).toBe(false);
  });
});

describe('branch names', () => {
  it('backup branch has exactly the contract shape', () => {
    expect(backupBranchName(NOW)).toBe('backup/pre-orchestration-20261122_001234');
  });

  it('work branch has exactly the contract shape', () => {
    expect(workBranchName('20261122-001234-a1b2')).toBe('fleet-orch/fix-20261122-001234-a1b2');
  });

  it('git accepts both as branch names', () => {
    expect(gitAcceptsBranch(backupBranchName(NOW))).toBe(true);
    expect(gitAcceptsBranch(workBranchName(newRunId(NOW)))).toBe(true);
  });

  it('refuses run ids that would make a bad or surprising ref', () => {
    for (const bad of ['', '-x', 'a b', 'a..b', 'x.lock', 'a/b', 'x.', '.x', 'a~1', 'a\nb']) {
      expect(() => workBranchName(bad), bad).toThrow(RangeError);
      expect(isRefSafeToken(bad)).toBe(false);
    }
  });

  it('names the trailer', () => {
    expect(RUN_TRAILER).toBe('Fleet-Orch-Run');
  });
});
