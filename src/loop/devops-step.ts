import type { FailureAnalysis } from '../analysis/types.js';
import { raiseNodeHeap, withHeapOption } from '../devops/node-heap.js';
import { runAction, type ActionRecord } from '../devops/executor.js';
import type { AttemptRecord } from '../report/run-report.js';
import type { GuardedShell } from '../shell/guarded-shell.js';
import { shellFor, type RunSession } from './session.js';

export interface Remediation {
  readonly attempt: AttemptRecord;
  readonly action: ActionRecord;
  /** Environment the gate needs from now on, when the action found one. */
  readonly gateEnv: Readonly<Record<string, string>> | null;
}

/**
 * Failures that are not code problems get a DevOps action instead of a patch: an out-of-memory gate is
 * re-run with more heap. Returns null when no action answers this failure (or it was already tried).
 */
export async function tryDevopsRemediation(
  target: FailureAnalysis,
  session: RunSession,
  workspace: { shell: GuardedShell; cwd: string },
  tried: Set<string>,
): Promise<Remediation | null> {
  const gate = session.config.quality_gates[target.gate];
  const key = `${raiseNodeHeap.id}:${target.gate}`;
  if (target.failureClass !== 'oom' || gate === undefined || tried.has(key)) return null;
  tried.add(key);

  session.progress.info(`gate "${target.gate}" ran out of memory: re-running it with a larger Node heap`);
  const action = await runAction(
    raiseNodeHeap,
    { gateName: target.gate, command: gate.command, timeoutMs: Math.round(gate.timeout * 1000) },
    {
      // Allow-list mode: this shell runs the gate's own command and nothing else.
      openShell: (declared) => shellFor(session, workspace.cwd, declared),
      cwd: workspace.cwd,
      env: session.options.env,
      dryRun: session.dryRun,
      signal: session.options.signal,
      environment: session.environmentName,
    },
  );
  session.report.actions.push(action);
  const mb = action.output?.succeededWithMb ?? null;
  if (mb !== null) session.reporter.setOutput('node_heap_mb', String(mb));
  return {
    action,
    gateEnv: mb === null ? null : { NODE_OPTIONS: withHeapOption(session.options.env['NODE_OPTIONS'], mb) },
    attempt: {
      tier: 'devops',
      gate: target.gate,
      failureClass: target.failureClass,
      source: raiseNodeHeap.id,
      proposal: null,
      patchFile: null,
      diffStats: null,
      review: null,
      apply: null,
      commit: null,
      outcome: mb === null ? 'no_patch' : 'remediated',
      reasons: mb === null ? [action.detail] : [],
    },
  };
}
