import { runChecks, type CheckResult } from '../../doctor/checks.js';
import { ExitCode } from '../../exit-codes.js';
import type { CliIo } from '../output.js';

/** `fleet-orch doctor`: one table of checks, each failure with its fix; exit 0 only when every required check passes. */
export async function doctorCommand(
  flags: { config: string; logDir: string; json?: boolean },
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const results = await runChecks({
    cwd: io.cwd,
    configPath: flags.config,
    logDir: flags.logDir,
    env: io.env,
    nodeVersion: process.version,
    signal,
  });
  const failedRequired = results.filter((result) => result.required && !result.ok);
  io.stdout.write(flags.json ? `${JSON.stringify(results)}\n` : renderTable(results));
  io.stderr.write(
    failedRequired.length === 0
      ? 'fleet-orch: doctor: every required check passed (exit 0)\n'
      : `fleet-orch: doctor: ${failedRequired.length} required check(s) failed: ${failedRequired.map((result) => result.name).join(', ')} (exit 1)\n`,
  );
  return failedRequired.length === 0 ? ExitCode.Ok : ExitCode.GaveUp;
}

export function renderTable(results: readonly CheckResult[]): string {
  const rows = results.map((result) => [
    result.ok ? 'ok' : result.required ? 'FAIL' : 'warn',
    result.name,
    result.detail,
    result.fix ?? '',
  ]);
  const header = ['', 'check', 'detail', 'fix'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
