import type { GateConfig } from '../config/schema.js';
import type { GuardedShell } from '../shell/guarded-shell.js';
import type { ShellResult } from '../shell/types.js';
import { claimGateLogPath } from './gate-logs.js';
import type { GateResult, GateStatus } from './types.js';

export interface GateRunHooks {
  onGateStart?(name: string, command: string): void;
  onGateEnd?(result: GateResult): void;
}

/**
 * Runs every quality gate in config order through the guarded shell. A red gate does not skip the others;
 * an aborted signal stops the run and returns what ran (the interrupted gate included). A denied gate
 * command throws CommandDenied: that is a safety stop, not a red gate.
 */
export async function runGates(
  shell: GuardedShell,
  gates: Readonly<Record<string, GateConfig>>,
  options: {
    cwd: string;
    signal?: AbortSignal;
    hooks?: GateRunHooks;
    /** Extra environment per gate name (e.g. the NODE_OPTIONS a DevOps remediation found to work). */
    gateEnv?: Readonly<Record<string, Readonly<Record<string, string>>>>;
    /** Keep each gate's whole output in `<logDir>/gates/run-<runId>-<gate>-<n>.log` (see gate-logs.ts). */
    outputLogs?: { readonly logDir: string; readonly runId: string };
  },
): Promise<GateResult[]> {
  const results: GateResult[] = [];
  for (const [name, gate] of Object.entries(gates)) {
    if (options.signal?.aborted) break;
    options.hooks?.onGateStart?.(name, gate.command);
    const logs = options.outputLogs;
    const outputLogPath = logs ? await claimGateLogPath(logs.logDir, logs.runId, name) : undefined;
    const shellResult = await shell.run({
      command: gate.command,
      cwd: options.cwd,
      actor: `gate:${name}`,
      timeoutMs: Math.round(gate.timeout * 1000),
      signal: options.signal,
      ...(options.gateEnv?.[name] ? { env: options.gateEnv[name] } : {}),
      ...(outputLogPath === undefined ? {} : { outputLogPath }),
    });
    const result = toGateResult(name, gate, shellResult);
    results.push(result);
    options.hooks?.onGateEnd?.(result);
  }
  return results;
}

export function gateStatus(result: Pick<ShellResult, 'timedOut' | 'exitCode'>): GateStatus {
  if (result.timedOut) return 'timed_out';
  return result.exitCode === 0 ? 'passed' : 'failed';
}

function toGateResult(name: string, gate: GateConfig, result: ShellResult): GateResult {
  return {
    name,
    command: result.command,
    required: gate.required,
    status: gateStatus(result),
    exitCode: result.exitCode,
    signal: result.signal,
    durationMs: result.durationMs,
    output: result.output,
    outputTruncated: result.truncated,
    outputLogPath: result.outputLogPath,
  };
}
