import { describe, expect, it } from 'vitest';
import type { ShellResult } from '../shell/types.js';
import {
  DEVOPS_ACTIONS,
  heapSteps,
  InvalidActionInput,
  isOutOfMemory,
  raiseNodeHeap,
  rolloutRestart,
  rolloutStatus,
  withHeapOption,
} from './actions.js';

const build = { gateName: 'build', command: 'npm run build', timeoutMs: 60_000 };

describe('raise-node-heap (pure parts)', () => {
  it('steps from start to cap, always ending on the cap', () => {
    expect(heapSteps(build)).toEqual([4096, 6144, 8192]);
    expect(heapSteps({ ...build, startMb: 4096, stepMb: 3000, capMb: 8192 })).toEqual([4096, 7096, 8192]);
    expect(heapSteps({ ...build, startMb: 8192, capMb: 8192 })).toEqual([8192]);
  });

  it('refuses ranges that make no sense', () => {
    expect(() => heapSteps({ ...build, startMb: 9000 })).toThrow(InvalidActionInput);
    expect(() => heapSteps({ ...build, stepMb: 0 })).toThrow(/stepMb must be a positive whole number/);
    expect(() => heapSteps({ ...build, capMb: 1.5 })).toThrow(InvalidActionInput);
  });

  it('appends to existing NODE_OPTIONS (the last --max-old-space-size wins in V8)', () => {
    expect(withHeapOption(undefined, 4096)).toBe('--max-old-space-size=4096');
    expect(withHeapOption('  ', 4096)).toBe('--max-old-space-size=4096');
    expect(withHeapOption('--enable-source-maps --max-old-space-size=2048', 6144)).toBe(
      '--enable-source-maps --max-old-space-size=2048 --max-old-space-size=6144',
    );
  });

  it('describes the exact commands of every step', () => {
    expect(raiseNodeHeap.describe(build)).toEqual([
      'NODE_OPTIONS="$NODE_OPTIONS --max-old-space-size=4096" npm run build',
      'NODE_OPTIONS="$NODE_OPTIONS --max-old-space-size=6144" npm run build',
      'NODE_OPTIONS="$NODE_OPTIONS --max-old-space-size=8192" npm run build',
    ]);
  });

  it('recognises V8 out-of-memory deaths, not ordinary failures', () => {
    const result = (output: string, exitCode: number | null, signal: string | null = null): ShellResult => ({
      command: 'x',
      verdict: 'allowed',
      exitCode,
      signal,
      timedOut: false,
      canceled: false,
      output,
      outputBytes: output.length,
      truncated: false,
      durationMs: 1,
    });
    expect(isOutOfMemory(result('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 134))).toBe(true);
    expect(isOutOfMemory(result('FATAL ERROR: Ineffective mark-compacts near heap limit', 134))).toBe(true);
    expect(isOutOfMemory(result('', null, 'SIGABRT'))).toBe(true);
    expect(isOutOfMemory(result('error TS2322: Type string is not assignable', 2))).toBe(false);
  });

  it('assesses its output in one line', () => {
    expect(raiseNodeHeap.assess({ succeededWithMb: 6144, attempts: [] }).ok).toBe(true);
    expect(
      raiseNodeHeap.assess({ succeededWithMb: null, attempts: [{ mb: 8192, exitCode: 134, status: 'oom' }] }),
    ).toEqual({ ok: false, detail: 'still out of memory at the 8192 MB cap' });
    expect(
      raiseNodeHeap.assess({ succeededWithMb: null, attempts: [{ mb: 4096, exitCode: 2, status: 'failed' }] }).detail,
    ).toBe('stopped at 4096 MB: failed (exit 2), not an out-of-memory failure');
  });
});

describe('kubectl rollout actions (pure parts)', () => {
  it('render the exact kubectl commands', () => {
    expect(rolloutStatus.describe({ deployment: 'fleet-api', namespace: 'staging', timeoutSeconds: 120 })).toEqual([
      'kubectl rollout status deployment/fleet-api -n staging --timeout=120s',
    ]);
    expect(rolloutStatus.describe({ deployment: 'fleet-api', namespace: 'staging' })).toEqual([
      'kubectl rollout status deployment/fleet-api -n staging --timeout=300s',
    ]);
    expect(rolloutRestart.describe({ deployment: 'fleet.api-v2', namespace: 'prod-eu' })).toEqual([
      'kubectl rollout restart deployment/fleet.api-v2 -n prod-eu',
    ]);
  });

  it.each([
    { deployment: 'api; kubectl delete ns prod', namespace: 'staging' },
    { deployment: '$(id)', namespace: 'staging' },
    { deployment: 'Fleet', namespace: 'staging' },
    { deployment: 'api', namespace: 'a.b' },
    { deployment: 'api', namespace: '-n' },
    { deployment: 'api', namespace: 'x'.repeat(64) },
  ])('refuse names Kubernetes would not accept: %j', (input) => {
    expect(() => rolloutRestart.describe(input)).toThrow(InvalidActionInput);
    expect(() => rolloutStatus.describe(input)).toThrow(InvalidActionInput);
  });

  it('refuse a silly timeout', () => {
    expect(() => rolloutStatus.describe({ deployment: 'a', namespace: 'b', timeoutSeconds: 0 })).toThrow(InvalidActionInput);
  });
});

describe('the catalog', () => {
  it('has unique ids and marks only the restart as mutating', () => {
    const ids = DEVOPS_ACTIONS.map((action) => action.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(DEVOPS_ACTIONS.filter((action) => action.mutates).map((action) => action.id)).toEqual(['rollout-restart']);
  });
});
