import { runDeployPipeline } from '../devops/deploy-pipeline.js';
import type { DeployRecord } from '../devops/deploy-record.js';
import { ExitCode } from '../exit-codes.js';
import type { GuardedShell } from '../shell/guarded-shell.js';
import type { LoopResult } from './finish.js';
import { noteProgress, shellFor, type NoteKind, type RunSession } from './session.js';
import { hasChecks } from '../verify/verifier.js';
import { verifyInSession } from './verify-step.js';

/**
 * `--deploy`, once every required gate is green: the deploy phase in the run's working directory (the
 * repository, or the dry run's throw-away worktree), each action in its own allow-list shell. Returns null when
 * `--deploy` was not given. Exit codes: 0 deployed and verified (or printed, in a dry run); 1 stopped before
 * anything was deployed (preparation or image build failed); 4 the deploy, a rollout or verification failed
 * (the rollouts are undone when configured).
 */
export async function deployAfterGreen(
  session: RunSession,
  workspace: { readonly shell: GuardedShell; readonly root: string } | null,
  greenReason: string,
): Promise<LoopResult | null> {
  const { environmentName, environment } = session;
  if (!session.options.deploy || workspace === null || environmentName === null || environment === null) return null;
  const note = (kind: NoteKind, text: string): void => noteProgress(session, kind, text);
  note('info', `deploying to ${environmentName}${session.dryRun ? ' (dry run: printing the commands)' : ''}`);
  session.reporter.group(`fleet-orch deploy (${environmentName})`);
  let record: DeployRecord;
  try {
    record = await runDeployPipeline({
      openShell: (declared) => shellFor(session, workspace.root, declared),
      cwd: workspace.root,
      env: session.options.env,
      dryRun: session.dryRun,
      signal: session.options.signal,
      environment: environmentName,
      config: environment,
      verify: async () => {
        if (hasChecks(environment)) return verifyInSession(session, environmentName, environment, workspace);
        note('warn', `environment "${environmentName}" defines no health endpoint, verification endpoints or smoke tests: the deploy is not verified`);
        return { passed: true, summary: 'no checks configured' };
      },
      note,
    });
  } finally {
    session.reporter.endGroup();
  }
  session.report.deploy = record;
  if (record.imageBuiltBy !== null) session.reporter.setOutput('image_build_path', record.imageBuiltBy);
  return deployResult(record, greenReason);
}

export function deployResult(record: DeployRecord, greenReason: string): LoopResult {
  if (record.status !== 'failed') return { outcome: 'green', exitCode: ExitCode.Ok, reason: `${greenReason}; ${record.reason}` };
  const reason = `gates green, but the deploy to ${record.environment} stopped at ${record.failedStage ?? 'an unknown step'}: ${record.reason}`;
  if (record.failedStage === 'prepare' || record.failedStage === 'build') {
    return { outcome: 'gave_up', exitCode: ExitCode.GaveUp, reason };
  }
  return { outcome: 'verification_failed', exitCode: ExitCode.VerificationFailed, reason };
}
