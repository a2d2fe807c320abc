import { describe, expect, it } from 'vitest';
import { SafetyStop } from '../errors.js';
import { checkStartGuards, type StartState } from './guards.js';

const clean: StartState = { headMessage: 'feat: something', branch: 'main', ciBranch: null, dirtyPaths: [] };
const options = { force: false, allowDirty: false, dryRun: false };

function stop(state: Partial<StartState>, overrides: Partial<typeof options> = {}): string | null {
  try {
    checkStartGuards({ ...clean, ...state }, { ...options, ...overrides });
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(SafetyStop);
    return (error as SafetyStop).message;
  }
}

describe('checkStartGuards', () => {
  it('lets a clean start on an ordinary branch through', () => {
    expect(stop({})).toBeNull();
    expect(stop({ branch: null, ciBranch: 'refs/heads/main' })).toBeNull();
  });

  it('refuses to fix its own fix: trailer on HEAD, or a fleet-orch/ branch from git or from CI', () => {
    expect(stop({ headMessage: 'fix: x\n\nFleet-Orch-Run: 20260101-000000-abcd\n' })).toMatch(/Fleet-Orch-Run: 20260101-000000-abcd/);
    expect(stop({ branch: 'fleet-orch/fix-1' })).toMatch(/fleet-orch\/fix-1/);
    expect(stop({ branch: null, ciBranch: 'refs/heads/fleet-orch/fix-1' })).toMatch(/own branch/);
    expect(stop({ branch: 'fleet-orch/fix-1' }, { force: true })).toBeNull();
  });

  it('refuses a dirty tree unless allowed or a dry run, naming the files', () => {
    const dirty = { dirtyPaths: [' M src/a.ts', '?? b.txt', ' D c.ts', 'M  d.ts'] };
    expect(stop(dirty)).toBe(
      'the working tree has uncommitted changes (src/a.ts, b.txt, c.ts and 1 more); commit or stash them, or pass --allow-dirty',
    );
    expect(stop(dirty, { allowDirty: true })).toBeNull();
    expect(stop(dirty, { dryRun: true })).toBeNull();
  });
});
