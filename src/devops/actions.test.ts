import { describe, expect, it } from 'vitest';
import type { ShellResult } from '../shell/types.js';
import {
  acrLogin,
  aksCredentials,
  deployCommands,
  DEVOPS_ACTIONS,
  heapSteps,
  InvalidActionInput,
  isOomKilled,
  isOutOfMemory,
  parseRevision,
  raiseNodeHeap,
  rolloutRestart,
  rolloutRevision,
  rolloutStatus,
  rolloutUndo,
  switchBuildAgent,
  withHeapOption,
  type CommandOutput,
} from './actions.js';

const build = { gateName: 'build', command: 'npm run build', timeoutMs: 60_000 };

/** A finished command as the guarded shell reports it. */
function result(output: string, exitCode: number | null, signal: string | null = null): ShellResult {
  return { command: 'x', verdict: 'allowed', exitCode, signal, timedOut: false, canceled: false, output, outputBytes: output.length, truncated: false, durationMs: 1, outputLogPath: null };
}

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

describe('the new actions (pure parts)', () => {
  it('rollout-undo goes back to a named revision, or the previous one', () => {
    expect(rolloutUndo.describe({ deployment: 'fleet-api', namespace: 'staging', toRevision: 3 })).toEqual([
      'kubectl rollout undo deployment/fleet-api -n staging --to-revision=3',
    ]);
    expect(rolloutUndo.describe({ deployment: 'fleet-api', namespace: 'staging', toRevision: null })).toEqual([
      'kubectl rollout undo deployment/fleet-api -n staging',
    ]);
    expect(() => rolloutUndo.describe({ deployment: 'fleet-api', namespace: 'staging', toRevision: 0 })).toThrow(InvalidActionInput);
    expect(() => rolloutUndo.describe({ deployment: 'a b', namespace: 'staging', toRevision: 1 })).toThrow(InvalidActionInput);
  });

  it('rollout-revision reads the revision annotation, and knows a first deploy', () => {
    expect(rolloutRevision.describe({ deployment: 'fleet-api', namespace: 'staging' })).toEqual([
      "kubectl get deployment/fleet-api -n staging -o 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}'",
    ]);
    const output = (exitCode: number, tail: string): CommandOutput => ({
      command: 'kubectl get deployment/fleet-api -n staging -o x',
      verdict: 'allowed',
      exitCode,
      signal: null,
      timedOut: false,
      canceled: false,
      tail,
    });
    expect(parseRevision(output(0, '7'))).toMatchObject({ revision: 7, found: true });
    const missing = parseRevision(output(1, 'Error from server (NotFound): deployments.apps "fleet-api" not found'));
    expect(missing).toMatchObject({ revision: null, found: false });
    expect(rolloutRevision.assess(missing)).toEqual({ ok: true, detail: 'deployment/fleet-api does not exist yet' });
    const unreachable = parseRevision(output(1, 'Unable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout'));
    expect(rolloutRevision.assess(unreachable).ok).toBe(false);
  });

  it('aks-credentials and acr-login build their az commands from validated names only', () => {
    expect(aksCredentials.describe({ resourceGroup: 'fleet-rg', cluster: 'fleet-aks' })).toEqual([
      'az aks get-credentials --resource-group fleet-rg --name fleet-aks --overwrite-existing',
    ]);
    expect(acrLogin.describe({ registry: 'fleetacr' })).toEqual(['az acr login --name fleetacr']);
    expect(() => aksCredentials.describe({ resourceGroup: 'rg; az group delete -n x', cluster: 'c' })).toThrow(InvalidActionInput);
    expect(() => aksCredentials.describe({ resourceGroup: 'rg', cluster: '$(id)' })).toThrow(InvalidActionInput);
    expect(() => acrLogin.describe({ registry: 'acr.azurecr.io' })).toThrow(InvalidActionInput);
  });

  it('switch-build-agent lists the primary then the fallback, and knows an OOM kill when it sees one', () => {
    const input = { primary: 'az acr build -r acr -t app:1 .', fallback: 'docker build -t app:1 .', timeoutMs: 1000 };
    expect(switchBuildAgent.describe(input)).toEqual([input.primary, input.fallback]);
    expect(switchBuildAgent.describe({ ...input, fallback: null })).toEqual([input.primary]);
    expect(() => switchBuildAgent.describe({ ...input, primary: ' ' })).toThrow(InvalidActionInput);
    expect(isOomKilled(result('', 137))).toBe(true);
    expect(isOomKilled(result('', null, 'SIGKILL'))).toBe(true);
    expect(isOomKilled(result('ERROR: process "/bin/sh -c npm run build" did not complete successfully: exit code: 137', 1))).toBe(true);
    expect(isOomKilled(result("The command '/bin/sh -c npm run build' returned a non-zero code: 137", 1))).toBe(true);
    expect(isOomKilled(result('Run ID: ca2 failed after 3m. Error: failed during run, err: exit status 137', 1))).toBe(true);
    expect(isOomKilled(result('npm ERR! Test failed. 1337 tests', 1))).toBe(false);
  });

  it('deploy refuses an empty command list', () => {
    expect(() => deployCommands.describe({ commands: [], timeoutMs: 1000 })).toThrow('deploy: no deploy commands are configured');
  });
});

describe('the catalog', () => {
  it('has unique ids, declares what each answers, and marks the ones that change something as mutating', () => {
    const ids = DEVOPS_ACTIONS.map((action) => action.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['raise-node-heap', 'switch-build-agent', 'rollout-status', 'rollout-restart', 'rollout-undo', 'aks-credentials', 'acr-login']));
    expect(DEVOPS_ACTIONS.filter((action) => action.mutates).map((action) => action.id)).toEqual([
      'switch-build-agent',
      'rollout-restart',
      'rollout-undo',
      'deploy',
    ]);
    for (const action of DEVOPS_ACTIONS) {
      expect(action.summary.length, action.id).toBeGreaterThan(10);
      expect(action.signals.length, action.id).toBeGreaterThan(0);
      expect(action.preconditions.length, action.id).toBeGreaterThan(0);
    }
    expect(DEVOPS_ACTIONS.filter((action) => action.environments === 'any').map((action) => action.id)).toEqual(['raise-node-heap']);
  });
});
