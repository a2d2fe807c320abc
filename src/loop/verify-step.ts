import type { EnvironmentConfig } from '../config/schema.js';
import type { GuardedShell } from '../shell/guarded-shell.js';
import { hasChecks, verifyEnvironment, writeVerificationReport, type VerificationReport } from '../verify/verifier.js';
import type { RunSession } from './session.js';

export interface VerificationOutcome {
  readonly passed: boolean;
  readonly summary: string;
}

/**
 * After the gates are green: verify the environment when asked (`--verify -e <env>`) and the environment
 * defines checks. Returns null when verification did not run.
 */
export async function verifyAfterGreen(
  session: RunSession,
  workspace: { readonly shell: GuardedShell; readonly root: string } | null,
): Promise<VerificationOutcome | null> {
  const { environment, environmentName } = session;
  if (!session.options.verify || environment === null || environmentName === null || workspace === null) return null;
  if (!hasChecks(environment)) {
    session.progress.warn(`--verify: environment "${environmentName}" defines no health endpoint, verification endpoints or smoke tests`);
    return null;
  }
  return verifyInSession(session, environmentName, environment, workspace);
}

/** Runs the verifier, writes `verification_<timestamp>.json`, records it in the run report and says how it went. */
export async function verifyInSession(
  session: RunSession,
  environmentName: string,
  environment: EnvironmentConfig,
  workspace: { readonly shell: GuardedShell; readonly root: string },
): Promise<VerificationOutcome> {
  session.progress.start(`verifying environment ${environmentName}`);
  const report = await verifyEnvironment(environmentName, environment, {
    shell: workspace.shell,
    cwd: workspace.root,
    signal: session.options.signal,
  });
  const file = await writeVerificationReport(report, session.logDir, session.now());
  session.report.verification = { ...report, file };
  const summary = verificationSummary(report);
  if (report.passed) session.progress.succeed(summary);
  else session.progress.fail(summary);
  return { passed: report.passed, summary };
}

export function verificationSummary(report: VerificationReport): string {
  const failed = report.checks.filter((check) => !check.passed);
  if (report.passed) return `verification passed (${report.checks.length} check(s))`;
  if (failed.length === 0) return 'verification did not complete (interrupted)';
  return `verification failed: ${failed.map((check) => `${check.target}: ${check.error ?? `status ${check.status}`}`).join('; ')}`;
}
