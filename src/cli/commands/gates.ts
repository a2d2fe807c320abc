import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { analyzeGate } from '../../analysis/analyze.js';
import { loadConfig } from '../../config/load.js';
import { ExitCode } from '../../exit-codes.js';
import { gateProgressLine } from '../../gates/progress-line.js';
import { runGates } from '../../gates/run-gates.js';
import { isRedRequired } from '../../gates/types.js';
import { newRunId } from '../../git/branch-names.js';
import { createProgress } from '../../logging/progress.js';
import { gateRecord } from '../../report/run-report.js';
import { Redactor } from '../../secrets/redact.js';
import { JsonlAuditLog } from '../../shell/audit-log.js';
import { shellFromConfig } from '../../shell/from-config.js';
import type { CliIo } from '../output.js';
import type { RunFlags } from '../options.js';

/** `fleet-orch gates`: run every gate once, report, exit 0 when every required gate is green, else 1. */
export async function gatesCommand(flags: RunFlags, io: CliIo, signal: AbortSignal): Promise<number> {
  const { config } = await loadConfig(path.resolve(io.cwd, flags.config), io.env);
  const logDir = path.resolve(io.cwd, flags.logDir);
  await mkdir(logDir, { recursive: true });
  const redactor = Redactor.fromEnv(io.env);
  const audit = new JsonlAuditLog(path.join(logDir, `audit-${newRunId(new Date())}.jsonl`));
  const shell = shellFromConfig(config.safety, { repoRoot: io.cwd, redactor, audit, dryRun: false, env: io.env });
  const progress = createProgress({ stream: io.stderr, env: io.env, verbosity: flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : 'normal' });
  const onAbort = (): void => void shell.killAll();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const gates = await runGates(shell, config.quality_gates, {
      cwd: io.cwd,
      signal,
      hooks: {
        onGateStart: (name, command) => progress.start(`gate ${name}: ${command}`),
        onGateEnd: (gate) => {
          const { kind, text } = gateProgressLine(gate);
          progress[kind](text);
        },
      },
    });
    await audit.close?.();
    if (signal.aborted) return ExitCode.Interrupted;
    const red = gates.filter(isRedRequired);
    const analyses = gates
      .filter((gate) => gate.status !== 'passed')
      .map((gate) => analyzeGate(gate, { repoRoot: io.cwd, maxExcerptTokens: config.analysis.max_excerpt_tokens }));
    if (flags.json) {
      const result = {
        green: red.length === 0,
        gates: gates.map(gateRecord),
        analyses: analyses.map((analysis) => ({ gate: analysis.gate, failureClass: analysis.failureClass, locations: analysis.locations })),
      };
      io.stdout.write(`${JSON.stringify(redactor.redactDeep(result))}\n`);
    } else {
      for (const analysis of analyses) {
        io.stderr.write(`\n--- ${analysis.gate} (${analysis.failureClass}) ---\n${analysis.excerpt}\n`);
      }
    }
    const message = red.length === 0 ? 'every required gate is green' : `required gate(s) red: ${red.map((gate) => gate.name).join(', ')}`;
    io.stderr.write(`fleet-orch: ${message} (exit ${red.length === 0 ? 0 : 1})\n`);
    return red.length === 0 ? ExitCode.Ok : ExitCode.GaveUp;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
