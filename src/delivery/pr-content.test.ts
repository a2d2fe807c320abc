import { describe, expect, it } from 'vitest';
import type { IterationRecord, RunReport } from '../report/run-report.js';
import { pullRequestBody, pullRequestTitle } from './pr-content.js';

function titleOf(subjects: string[], gates: string[]): string {
  const report = {
    repository: { commits: subjects.map((subject, index) => ({ sha: String(index), subject })) },
    iterations: gates.map((gate) => ({ attempt: { gate, outcome: 'committed' } }) as unknown as IterationRecord),
  } as Pick<RunReport, 'repository' | 'iterations'>;
  return pullRequestTitle(report);
}

const context = { runId: '20261122-010203-abcd', runUrl: 'https://ci/run/1', workBranch: 'fleet-orch/fix-1', backupBranch: 'backup/pre-orchestration-20261122_010203', startCommit: 'a'.repeat(40) };

describe('pullRequestTitle', () => {
  it('says what was fixed', () => {
    expect(titleOf(['fix(typecheck): make gate "typecheck" pass in src/index.ts'], ['typecheck'])).toBe(
      'fleet-orch: fix(typecheck): make gate "typecheck" pass in src/index.ts',
    );
    expect(titleOf(['a', 'b', 'c'], ['lint', 'typecheck', 'lint'])).toBe('fleet-orch: make gates lint, typecheck pass (3 commits)');
    expect(titleOf(['x'.repeat(400)], []).length).toBe(200);
  });
});

describe('pullRequestBody', () => {
  it('names the run and the backup branch above the summary', () => {
    const body = pullRequestBody('## fleet-orch: ✅ Build is green\n', context, 4000);
    expect(body).toBe(
      'Opened by fleet-orch (run [`20261122-010203-abcd`](https://ci/run/1)) from `fleet-orch/fix-1`: every required quality gate passes on it. ' +
        'The state before the run is kept on the backup branch `backup/pre-orchestration-20261122_010203` at `aaaaaaaaaaaa`.\n\n## fleet-orch: ✅ Build is green\n',
    );
  });

  it('cuts a long summary at a line boundary with a notice, within the limit', () => {
    const markdown = Array.from({ length: 500 }, (_, index) => `| row ${index} | ${'x'.repeat(20)} |`).join('\n');
    const body = pullRequestBody(markdown, { ...context, runUrl: null }, 4000);
    expect(body.length).toBeLessThanOrEqual(4000);
    expect(body).toContain('this description was cut to fit');
    expect(body).toMatch(/\| row \d+ \| x{20} \|\n\n> \*\*fleet-orch/);
  });
});
