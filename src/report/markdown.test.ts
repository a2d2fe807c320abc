import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';
import type { RunReport } from './run-report.js';

function report(overrides: Partial<RunReport> = {}): RunReport {
  return {
    runId: '20261122-000000-abcd',
    tool: { name: 'fleet-orch', version: '0.1.0' },
    startedAt: '2026-11-22T00:00:00.000Z',
    finishedAt: '2026-11-22T00:01:00.000Z',
    durationMs: 60_000,
    outcome: 'green',
    exitCode: 0,
    reason: 'every required gate is green after 1 iteration(s)',
    dryRun: false,
    environment: 'staging',
    config: '/repo/config.yaml',
    repository: {
      root: '/repo',
      startCommit: 'a'.repeat(40),
      startBranch: 'main',
      backupBranch: 'backup/pre-orchestration-20261122_000000',
      workBranch: 'fleet-orch/fix-20261122-000000-abcd',
      commits: [{ sha: 'b'.repeat(40), subject: 'fix(typecheck): make gate "typecheck" pass in src/a.ts' }],
    },
    llm: { available: true, detail: 'compatible at http://127.0.0.1:1/v1' },
    initial: null,
    iterations: [
      {
        iteration: 1,
        startedAt: '2026-11-22T00:00:10.000Z',
        durationMs: 5000,
        attempt: {
          tier: 'model',
          gate: 'typecheck',
          failureClass: 'typecheck',
          source: 'gpt-4.1',
          proposal: null,
          patchFile: null,
          diffStats: null,
          review: null,
          apply: null,
          commit: 'b'.repeat(40),
          outcome: 'committed',
          reasons: ['a | pipe in a reason'],
        },
        gates: [],
        analyses: [],
        signature: null,
        verdict: 'green',
        spend: { calls: 2, tokens: 300, costUsd: 0.0012 },
      },
    ],
    final: {
      gates: [
        { name: 'typecheck', command: 'tsc', required: true, status: 'passed', exitCode: 0, signal: null, durationMs: 1500, outputTail: '', outputTruncated: false },
        { name: 'audit', command: 'npm audit', required: false, status: 'failed', exitCode: 1, signal: null, durationMs: 800, outputTail: '', outputTruncated: false },
      ],
    },
    usage: { totals: { calls: 2, promptTokens: 200, completionTokens: 100, totalTokens: 300, costUsd: 0.0012 }, calls: [] },
    limits: {},
    actions: [],
    verification: null,
    patches: [],
    dryRunDiff: null,
    files: { json: '/repo/logs/run.json', markdown: '/repo/logs/run.md', audit: '/repo/logs/audit.jsonl', log: '/repo/logs/orchestrator.log' },
    ...overrides,
  };
}

describe('renderMarkdown', () => {
  it('tells the story of a green run in a few tables', () => {
    const markdown = renderMarkdown(report());
    expect(markdown).toContain('## fleet-orch: ✅ Build is green');
    expect(markdown).toContain('| Backup branch | `backup/pre-orchestration-20261122_000000` |');
    expect(markdown).toContain('| typecheck | yes | ✅ passed | 0 | 1.5s |');
    expect(markdown).toContain('| audit | no | ⚠️ failed | 1 | 0.8s |');
    expect(markdown).toContain('| 1 | typecheck | typecheck | model (gpt-4.1) | committed — a \\| pipe in a reason | green | $0.0012 |');
    expect(markdown).toContain('- `bbbbbbbbbb` fix(typecheck): make gate "typecheck" pass in src/a.ts');
  });

  it('marks dry runs and failures', () => {
    const markdown = renderMarkdown(report({ outcome: 'gave_up', exitCode: 1, dryRun: true, reason: 'no progress\nin 3 iterations' }));
    expect(markdown).toContain('## fleet-orch: ❌ Gave up (dry run)');
    expect(markdown).toContain('no progress in 3 iterations');
  });
});
