import type { GuardedShell } from '../shell/guarded-shell.js';
import { verifyEnvironment, writeVerificationReport } from '../verify/verifier.js';
import type { RunSession } from './session.js';

/**
 * After the gates are green: verify the environment when asked (`--verify -e <env>`) and the environment
 * defines checks. Returns null when verification did not run.
 */
export async function verifyAfterGreen(
  session: RunSession,
  workspace: { readonly shell: GuardedShell; readonly root: string } | null,
): Promise<{ passed: boolean; summary: string } | null> {
  const { environment, environmentName } = session;
  if (!session.options.verify || environment === null || environmentName === null || workspace === null) return null;
  const hasChecks =
    environment.health_endpoint !== null ||
    environment.verification_endpoints.length > 0 ||
    environment.smoke_tests.length > 0;
  if (!hasChecks) {
    session.progress.warn(`--verify: environment "${environmentName}" defines no health endpoint, verification endpoints or smoke tests`);
    return null;
  }
  session.progress.start(`verifying environment ${environmentName}`);
  const report = await verifyEnvironment(environmentName, environment, {
    shell: workspace.shell,
    cwd: workspace.root,
    signal: session.options.signal,
  });
  const file = await writeVerificationReport(report, session.logDir, session.now());
  session.report.verification = { ...report, file };
  const failed = report.checks.filter((check) => !check.passed);
  const summary =
    failed.length === 0
      ? `verification passed (${report.checks.length} check(s))`
      : `verification failed: ${failed.map((check) => `${check.target}: ${check.error ?? `status ${check.status}`}`).join('; ')}`;
  if (report.passed) session.progress.succeed(summary);
  else session.progress.fail(summary);
  return { passed: report.passed, summary };
}
