import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2eScope } from '../helpers/e2e.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { APPROVE, FIX_DIFF, codexAnswer, llmAt, sampleConfig } from '../helpers/ts-project.js';

/** The loop speaks each pipeline's own language: logging commands, outputs, summaries, masks. */

const { fakeLlm, project, tempDir } = e2eScope();

async function fixableProject() {
  const llm = await fakeLlm({ codex: [codexAnswer(FIX_DIFF)], jules: [APPROVE] });
  return project(sampleConfig({ llm: llmAt(llm.baseUrl) }));
}

const secret = `tok-${'z'.repeat(30)}`;

describe('CI platforms', () => {
  it('GitHub Actions: groups, annotations, masks, $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY', async () => {
    const repo = await fixableProject();
    const files = tempDir('fleet-orch-gha-');
    const output = path.join(files, 'output');
    const summary = path.join(files, 'summary.md');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const run = await runCli([], {
      cwd: repo.dir,
      env: cleanEnv({ GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, MY_API_TOKEN: secret }),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('::group::fleet-orch gates (initial)');
    expect(run.stdout).toContain('::endgroup::');
    expect(run.stdout).toMatch(/::error file=src\/index\.ts,line=3,col=\d+::/);
    expect(run.stdout).toContain(`::add-mask::${secret}`);
    const outputs = readFileSync(output, 'utf8');
    expect(outputs).toContain('outcome');
    expect(outputs).toContain('green');
    expect(outputs).toMatch(/fleet-orch\/fix-\d{8}-\d{6}-[0-9a-f]{4}/);
    expect(readFileSync(summary, 'utf8')).toContain('## fleet-orch: ✅ Build is green');
  });

  it('Azure Pipelines: ##[group], logissue, output variables, the summary and SucceededWithIssues', async () => {
    const repo = await fixableProject();
    const run = await runCli([], { cwd: repo.dir, env: cleanEnv({ TF_BUILD: 'True', BUILD_SOURCEBRANCH: 'refs/heads/main' }) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('##[group]fleet-orch gates (initial)');
    expect(run.stdout).toMatch(/##vso\[task\.logissue type=error;sourcepath=src\/index\.ts;linenumber=3;/);
    expect(run.stdout).toContain('##vso[task.setvariable variable=outcome;isOutput=true;]green');
    expect(run.stdout).toMatch(/##vso\[task\.uploadsummary\]\/.*run-.*\.md/);
    expect(run.stdout).toContain('##vso[task.complete result=SucceededWithIssues;]');
  });
});
