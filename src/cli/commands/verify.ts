import path from 'node:path';
import type { Command } from 'commander';
import { Interrupted, UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { CheckResult, VerificationReport } from '../../verify/verifier.js';
import type { CliIo } from '../output.js';

interface VerifyFlags {
  environment: string;
  config: string;
  logDir: string;
  json?: boolean;
}

/**
 * `fleet-orch verify -e <env>`: the verifier alone — health endpoint, verification endpoints, smoke tests —
 * writing `<log-dir>/verification_<timestamp>.json`; exit 0 when every check passes, 4 when one fails. No git
 * repository is needed; smoke tests run from the current directory through the guarded shell (audited to
 * `<log-dir>/audit-verify-<timestamp>.jsonl`), and nothing mutating may run.
 */
export function registerVerifyCommand(program: Command, io: CliIo, setExit: (code: number) => void, signal: AbortSignal): void {
  program
    .command('verify')
    .description('check a deployed environment alone: health endpoint, verification endpoints, smoke tests (exit 0 passed, 4 failed)')
    .requiredOption('-e, --environment <name>', 'environment from deployment.environments')
    .option('-c, --config <file>', 'config file', 'config.yaml')
    .option('--log-dir <dir>', 'where the verification report goes', 'logs')
    .option('--json', 'print the verification report as one JSON object on stdout')
    .action(async (flags: VerifyFlags) => {
      setExit(await verifyCommand(flags, io, signal));
    });
}

async function verifyCommand(flags: VerifyFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  // Loaded when the command runs, so that `--help` stays fast.
  const [{ loadConfig, requiresApproval, selectEnvironment }, verifier, { shellFromConfig }, { JsonlAuditLog }, { Redactor }, { ensureLogDir }] = await Promise.all([
    import('../../config/load.js'),
    import('../../verify/verifier.js'),
    import('../../shell/from-config.js'),
    import('../../shell/audit-log.js'),
    import('../../secrets/redact.js'),
    import('../../report/writer.js'),
  ]);
  const { config } = await loadConfig(path.resolve(io.cwd, flags.config), io.env);
  const name = flags.environment;
  const environment = selectEnvironment(config, name, flags.config);
  if (environment === null) throw new UsageError('verify needs --environment <name>');
  if (!verifier.hasChecks(environment)) {
    throw new UsageError(`environment "${name}" defines no health endpoint, verification endpoints or smoke tests: nothing to verify`);
  }
  const logDir = path.resolve(io.cwd, flags.logDir);
  await ensureLogDir(logDir);
  const startedAt = new Date();
  const redactor = Redactor.fromEnv(io.env);
  const shell = shellFromConfig(config.safety, {
    repoRoot: io.cwd,
    redactor,
    audit: new JsonlAuditLog(path.join(logDir, `audit-verify-${verifier.verificationStamp(startedAt)}.jsonl`)),
    dryRun: false,
    env: io.env,
    // Verification only reads; on an environment that requires approval nothing mutating could run anyway.
    approval: { environment: name, required: requiresApproval(name, environment), approved: false },
  });
  const report = await verifier.verifyEnvironment(name, environment, { shell, cwd: io.cwd, signal });
  const file = await verifier.writeVerificationReport(report, logDir, startedAt);
  if (signal.aborted) throw new Interrupted(String(signal.reason ?? 'SIGINT'));

  if (flags.json) io.stdout.write(`${redactor.redact(JSON.stringify({ ...report, file }))}\n`);
  else io.stdout.write(redactor.redact(renderChecks(report)));
  const failed = report.checks.filter((check) => !check.passed).length;
  io.stderr.write(
    report.passed
      ? `fleet-orch: verify: ${name} passed (${report.checks.length} check(s)); report ${file} (exit 0)\n`
      : `fleet-orch: verification_failed: ${name}: ${failed} of ${report.checks.length} check(s) failed; report ${file} (exit 4)\n`,
  );
  return report.passed ? ExitCode.Ok : ExitCode.VerificationFailed;
}

/** One line per check: verdict, target, status, latency, attempts, and why it failed. */
export function renderChecks(report: VerificationReport): string {
  return report.checks.map((check) => `${checkLine(check)}\n`).join('');
}

function checkLine(check: CheckResult): string {
  const verdict = check.passed ? 'ok  ' : 'FAIL';
  const status = check.status === null ? '-' : String(check.status);
  const why = check.error === null ? '' : `  ${check.error}`;
  return `${verdict}  ${check.target}  ${status}  ${check.latencyMs} ms  ${check.attempts} attempt(s)${why}`;
}
