import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2eScope } from '../helpers/e2e.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import type { TempRepo } from '../helpers/git.js';
import { APPROVE, FIX_DIFF, codexAnswer, llmAt, sampleConfig } from '../helpers/ts-project.js';

/**
 * The loop speaks each pipeline's own language through the real CLI: the exact logging commands on stdout,
 * the step outputs, the summary, the masks — for GitHub Actions, Azure Pipelines and a plain CI (GitLab).
 */

const { fakeLlm, project, tempDir } = e2eScope();

async function fixableProject() {
  const llm = await fakeLlm({ codex: [codexAnswer(FIX_DIFF)], jules: [APPROVE] });
  return project(sampleConfig({ llm: llmAt(llm.baseUrl) }));
}

const secret = `tok-${'z'.repeat(30)}`;
const modelKey = `sk-${'a'.repeat(40)}`;
const TS_ERROR = "error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.";

function runReport(repo: TempRepo): { runId: string; repository: { workBranch: string }; files: { markdown: string } } {
  const logs = path.join(repo.dir, 'logs');
  const name = readdirSync(logs).find((file) => /^run-.*\.json$/.test(file));
  return JSON.parse(readFileSync(path.join(logs, name ?? 'missing'), 'utf8'));
}

/** `$GITHUB_OUTPUT` as the runner reads it (name=value lines and name<<DELIM heredocs). */
function parseOutputs(text: string): [string, string][] {
  const entries: [string, string][] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, index + 1);
      entries.push([heredoc[1]!, lines.slice(index + 1, end).join('\n')]);
      index = end;
    } else if (line.includes('=')) {
      entries.push([line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
    }
  }
  return entries;
}

const commandLines = (stdout: string, prefix: string): string[] => stdout.split('\n').filter((line) => line.startsWith(prefix));

describe('CI platforms', () => {
  it('GitHub Actions: exact workflow commands, masks, $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY', async () => {
    const repo = await fixableProject();
    const files = tempDir('fleet-orch-gha-');
    const output = path.join(files, 'output');
    const summary = path.join(files, 'summary.md');
    writeFileSync(output, 'earlier=1\n');
    writeFileSync(summary, '# An earlier step\n');
    const run = await runCli([], {
      cwd: repo.dir,
      env: cleanEnv({ GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, MY_API_TOKEN: secret, OPENAI_API_KEY: modelKey }),
    });
    expect(run.code, run.stderr).toBe(0);
    const report = runReport(repo);

    expect(commandLines(run.stdout, '::')).toEqual([
      `::add-mask::${modelKey}`,
      `::add-mask::${secret}`,
      '::group::fleet-orch gate typecheck (initial)',
      '::endgroup::',
      `::error file=src/index.ts,line=3,col=37::${TS_ERROR}`,
      '::group::fleet-orch iteration 1: typecheck (typecheck)',
      '::endgroup::',
      '::group::fleet-orch gate typecheck (iteration 1)',
      '::endgroup::',
      '::group::fleet-orch iteration 1: typecheck (typecheck) (continued)',
      '::endgroup::',
    ]);
    expect(run.stdout).not.toContain('##vso[');
    expect(parseOutputs(readFileSync(output, 'utf8'))).toEqual([
      ['earlier', '1'],
      ['outcome', 'green'],
      ['branch', report.repository.workBranch],
      ['commits', '1'],
      ['pull_request_url', ''],
      ['delivery', 'none'],
    ]);
    const markdown = readFileSync(report.files.markdown, 'utf8');
    expect(markdown.startsWith('## fleet-orch: ✅ Build is green\n')).toBe(true);
    expect(readFileSync(summary, 'utf8')).toBe(`# An earlier step\n${markdown}`);
    expect(run.stderr).not.toContain(secret);
    expect(run.stderr).not.toContain(modelKey);
  });

  it('Azure Pipelines: exact logging commands, secrets, output variables, the uploaded summary and SucceededWithIssues', async () => {
    const repo = await fixableProject();
    const run = await runCli([], {
      cwd: repo.dir,
      env: cleanEnv({ TF_BUILD: 'True', BUILD_SOURCEBRANCH: 'refs/heads/main', SYSTEM_ACCESSTOKEN: secret, OPENAI_API_KEY: modelKey }),
    });
    expect(run.code, run.stderr).toBe(0);
    const report = runReport(repo);

    expect(commandLines(run.stdout, '##')).toEqual([
      `##vso[task.setsecret]${modelKey}`,
      `##vso[task.setsecret]${secret}`,
      '##[group]fleet-orch gate typecheck (initial)',
      '##[endgroup]',
      `##vso[task.logissue type=error;sourcepath=src/index.ts;linenumber=3;columnnumber=37;]${TS_ERROR}`,
      '##[group]fleet-orch iteration 1: typecheck (typecheck)',
      '##[endgroup]',
      '##[group]fleet-orch gate typecheck (iteration 1)',
      '##[endgroup]',
      '##[group]fleet-orch iteration 1: typecheck (typecheck) (continued)',
      '##[endgroup]',
      '##vso[task.setvariable variable=outcome;isOutput=true;]green',
      `##vso[task.setvariable variable=branch;isOutput=true;]${report.repository.workBranch}`,
      '##vso[task.setvariable variable=commits;isOutput=true;]1',
      '##vso[task.setvariable variable=pull_request_url;isOutput=true;]',
      '##vso[task.setvariable variable=delivery;isOutput=true;]none',
      `##vso[task.uploadsummary]${report.files.markdown}`,
      '##vso[task.complete result=SucceededWithIssues;]DONE',
    ]);
    expect(path.isAbsolute(report.files.markdown)).toBe(true);
    expect(readFileSync(report.files.markdown, 'utf8')).toContain('| Commits | 1 |');
    expect(commandLines(run.stdout, '::')).toEqual([]);
  });

  it('GitLab CI (a run that gives up): plain lines, no logging commands of either platform', async () => {
    const repo = project(sampleConfig({ llm: { api_key_env: 'NO_SUCH_KEY' } }));
    const run = await runCli([], { cwd: repo.dir, env: cleanEnv({ GITLAB_CI: 'true', CI_COMMIT_REF_NAME: 'main' }) });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('== fleet-orch gate typecheck (initial)');
    expect(lines).toContain(`src/index.ts:3:37: error: ${TS_ERROR}`);
    expect(run.stdout).not.toMatch(/##vso\[|##\[|^::/m);
    expect(existsSync(runReport(repo).files.markdown)).toBe(true);
  });
});
