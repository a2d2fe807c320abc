import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TSC, runCli } from '../helpers/cli.js';
import { e2eScope } from '../helpers/e2e.js';
import { APPROVE, FIX_DIFF, codexAnswer, llmAt, sampleConfig } from '../helpers/ts-project.js';

/**
 * A gate printing far more than the shell keeps in memory, with its only error in the middle: the whole
 * output goes to logs/gates/run-<id>-<gate>-<n>.log (redacted, a secret split across two writes included),
 * and the analysis reads that file, so the error the bounded capture dropped is still found and fixed.
 */

const { fakeLlm, project } = e2eScope();

/** ~700 KB of build noise; first a token written in two pieces, 100 ms apart (two reads of the pipe). */
const NOISE_SCRIPT = `import { writeSync } from 'node:fs';
const token = ['sk', 'proj', 'Q1w2E3r4'.repeat(5)].join('-');
writeSync(1, 'using key ' + token.slice(0, 12));
await new Promise((resolve) => setTimeout(resolve, 100));
writeSync(1, token.slice(12) + ' for the registry\\n');
let written = 0;
for (let line = 0; written < 700_000; line += 1) written += writeSync(1, 'bundling chunk-' + line + '.js ' + 'x'.repeat(60) + '\\n');
`;

interface Report {
  outcome: string;
  initial: {
    gates: { name: string; status: string; outputTruncated: boolean; outputLogPath: string | null }[];
    analyses: { failureClass: string; excerpt: string; locations: { file: string }[] }[];
  };
  final: { gates: { status: string; outputLogPath: string | null }[] };
}

describe('per-gate output logs', () => {
  it('keep the whole redacted output of every gate run, and the analysis reads them', async () => {
    const llm = await fakeLlm({ codex: [codexAnswer(FIX_DIFF)], jules: [APPROVE] });
    const gate = `node noise.mjs; node ${JSON.stringify(TSC)} -p .; code=$?; node noise.mjs; exit $code`;
    const repo = project(sampleConfig({ llm: llmAt(llm.baseUrl), quality_gates: { typecheck: { command: gate, timeout: 120 } } }));
    repo.commit('noisy gate', { 'noise.mjs': NOISE_SCRIPT });

    const run = await runCli(['--config', 'config.yaml', '--environment', 'staging', '--json'], { cwd: repo.dir });

    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { report: string };
    const report = JSON.parse(readFileSync(summary.report, 'utf8')) as Report;
    expect(report.outcome).toBe('green');
    const first = report.initial.gates[0]!;
    expect(first).toMatchObject({ name: 'typecheck', status: 'failed', outputTruncated: true });
    expect(first.outputLogPath).toMatch(/[\\/]logs[\\/]gates[\\/]run-[\w-]+-typecheck-1\.log$/);
    expect(report.final.gates[0]?.outputLogPath).toMatch(/-typecheck-2\.log$/);

    // The error sits between two 700 KB blocks of noise: only the full log has it.
    const analysis = report.initial.analyses[0]!;
    expect(analysis.failureClass).toBe('typecheck');
    expect(analysis.excerpt).toContain('TS2345');
    expect(analysis.excerpt).not.toContain('output truncated');
    expect(analysis.locations.map((location) => location.file)).toContain('src/index.ts');

    const log = readFileSync(first.outputLogPath!, 'utf8');
    expect(statSync(first.outputLogPath!).size).toBeGreaterThan(1_400_000);
    expect(log.startsWith('using key [REDACTED] for the registry\n')).toBe(true);
    expect(log).not.toContain('Q1w2E3r4');
    expect(log).toMatch(/src\/index\.ts\(3,\d+\): error TS2345: Argument of type 'string' is not assignable/);
    expect(path.dirname(first.outputLogPath!)).toBe(path.join(repo.dir, 'logs', 'gates'));
  });
});
