import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The pipeline files shipped with fleet-orch, parsed with `yaml` and checked for the shape each platform
 * needs: the seed pattern's stages and conditions in azure-pipelines.yml, the composite action's contract,
 * and the example workflows' triggers and conditions.
 */

type Node = Record<string, unknown>;
const root = new URL('..', import.meta.url);
const read = (name: string): string => readFileSync(fileURLToPath(new URL(name, root)), 'utf8');

/** The step outputs fleet-orch writes (the e2e tests check the CLI writes exactly these). */
const FLEET_OUTPUTS = ['outcome', 'branch', 'commits', 'pull_request_url', 'delivery'];

/** The functions an Azure condition may use here, with balanced parentheses and quotes. */
function checkAzureCondition(condition: string): void {
  let depth = 0;
  for (const ch of condition.replace(/'[^']*'/g, "''")) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
  expect(depth).toBe(0);
  expect((condition.match(/'/g) ?? []).length % 2).toBe(0);
  const functions = [...condition.replace(/'[^']*'/g, "''").matchAll(/([A-Za-z]+)\(/g)].map((match) => match[1]);
  for (const name of functions) expect(['and', 'or', 'not', 'eq', 'ne', 'failed', 'succeeded', 'succeededOrFailed', 'always', 'in', 'startsWith']).toContain(name);
}

describe('azure-pipelines.yml', () => {
  const pipeline = parse(read('azure-pipelines.yml')) as Node;
  const stages = pipeline.stages as Node[];
  const stage = (name: string): Node => stages.find((candidate) => candidate.stage === name) ?? {};

  it('has the seed pattern stages in order, each depending on the one before it', () => {
    expect(stages.map((item) => [item.stage, item.displayName, item.dependsOn ?? null])).toEqual([
      ['Build', 'Build & Test', null],
      ['AIOrchestration', 'AI Orchestration', 'Build'],
      ['Docker', 'Docker Build & Push', 'Build'],
      ['DeployStaging', 'Deploy Staging', 'Docker'],
      ['DeployProduction', 'Deploy Production', 'DeployStaging'],
    ]);
    for (const item of stages) if (typeof item.condition === 'string') checkAzureCondition(item.condition);
  });

  it('Build & Test runs the repository checks (.ci/run)', () => {
    const steps = ((stage('Build').jobs as Node[])[0]!.steps as Node[]).map((step) => step.script).filter(Boolean);
    expect(steps).toEqual(['bash .ci/run']);
  });

  it('AI Orchestration runs only when Build & Test failed on the configured branch, outside pull requests', () => {
    const ai = stage('AIOrchestration');
    expect(ai.condition).toBe(
      "and(failed('Build'), eq(variables['Build.SourceBranch'], variables['FLEET_ORCH_BRANCH']), ne(variables['Build.Reason'], 'PullRequest'))",
    );
    expect((pipeline.variables as Node).FLEET_ORCH_BRANCH).toBe('refs/heads/main');
    expect(ai.variables).toEqual([{ group: 'fleet-orch-secrets' }]);
  });

  it('the fleet-orch job checks out with persisted credentials and maps the secrets and the job token', () => {
    const job = (stage('AIOrchestration').jobs as Node[]).find((item) => item.job === 'Orchestrate')!;
    const steps = job.steps as Node[];
    expect(steps[0]).toMatchObject({ checkout: 'self', persistCredentials: true, fetchDepth: 0 });
    const run = steps.find((step) => step.name === 'fleetOrch')!;
    expect(run.script).toMatch(/^npx --yes fleet-orch@\$\(FLEET_ORCH_VERSION\) /);
    expect(run.env).toEqual({ OPENAI_API_KEY: '$(OPENAI_API_KEY)', SYSTEM_ACCESSTOKEN: '$(System.AccessToken)' });
    expect(steps.at(-1)).toMatchObject({ publish: 'logs', condition: 'always()' });
  });

  it('a later job reads fleet-orch outputs by their real names through dependencies.<job>.outputs', () => {
    const report = (stage('AIOrchestration').jobs as Node[]).find((item) => item.job === 'Report')!;
    expect(report.dependsOn).toBe('Orchestrate');
    const references = Object.values(report.variables as Node).map((value) => /^\$\[ dependencies\.Orchestrate\.outputs\['fleetOrch\.(\w+)'\] \]$/.exec(String(value))?.[1]);
    expect(references).toEqual(['outcome', 'delivery', 'pull_request_url']);
    for (const name of references) expect(FLEET_OUTPUTS).toContain(name);
  });

  it('Docker and the deployments run only after a green Build & Test; production is a deployment job on an environment', () => {
    expect(stage('Docker').condition).toMatch(/^and\(succeeded\('Build'\), eq\(variables\['Build\.SourceBranch'\], variables\['FLEET_ORCH_BRANCH'\]\)/);
    expect((stage('Docker').jobs as Node[])[0]!.steps).toEqual([expect.objectContaining({ task: 'Docker@2', inputs: expect.objectContaining({ command: 'buildAndPush' }) })]);
    for (const [name, environment] of [['DeployStaging', 'staging'], ['DeployProduction', 'production']] as const) {
      const [job] = stage(name).jobs as Node[];
      expect(job).toMatchObject({ environment, strategy: { runOnce: { deploy: { steps: expect.any(Array) } } } });
      expect(job!.deployment).toEqual(expect.any(String));
    }
  });
});

describe('action.yml', () => {
  const action = parse(read('action.yml')) as Node;
  const runs = action.runs as { using: string; steps: Node[] };

  it('is a composite action with the contract inputs and outputs', () => {
    expect(runs.using).toBe('composite');
    expect(Object.keys(action.inputs as Node)).toEqual(['config', 'environment', 'dry-run', 'max-iterations', 'token']);
    expect((action.inputs as Record<string, Node>).token!.default).toBe('${{ github.token }}');
    expect((action.inputs as Record<string, Node>)['dry-run']!.default).toBe('false');
    expect(action.outputs).toEqual({
      outcome: expect.objectContaining({ value: '${{ steps.run.outputs.outcome }}' }),
      branch: expect.objectContaining({ value: '${{ steps.run.outputs.branch }}' }),
      'pull-request-url': expect.objectContaining({ value: '${{ steps.run.outputs.pull_request_url }}' }),
    });
  });

  it('every run step declares its shell and never interpolates an input into the script', () => {
    const runSteps = runs.steps.filter((step) => 'run' in step);
    expect(runSteps.length).toBeGreaterThan(0);
    for (const step of runSteps) {
      expect(step.shell).toBe('bash');
      expect(String(step.run)).not.toContain('${{');
    }
  });

  it('the run step is the one the outputs read, and gets every input through env', () => {
    const run = runs.steps.find((step) => step.id === 'run')!;
    expect(Object.values(run.env as Node)).toEqual([
      '${{ inputs.config }}',
      '${{ inputs.environment }}',
      '${{ inputs.dry-run }}',
      '${{ inputs.max-iterations }}',
      '${{ inputs.token }}',
    ]);
    expect((run.env as Node).GITHUB_TOKEN).toBe('${{ inputs.token }}');
    expect(run.run).toContain('node "$GITHUB_ACTION_PATH/bin/fleet-orch.js"');
    for (const flag of ['--config', '--environment', '--dry-run', '--max-iterations']) expect(run.run).toContain(flag);
  });
});

describe('examples/github-workflow.yml', () => {
  const documents = parseAllDocuments(read('examples/github-workflow.yml')).map((document) => {
    expect(document.errors).toEqual([]);
    return document.toJS() as Node;
  });
  const actionInputs = Object.keys((parse(read('action.yml')) as Node).inputs as Node);
  const fleetStep = (workflow: Node): Node =>
    Object.values(workflow.jobs as Record<string, Node>)
      .flatMap((job) => job.steps as Node[])
      .find((step) => String(step.uses ?? '').includes('/fleet-orch@'))!;

  it('holds two workflows, each with the write permissions delivery needs', () => {
    expect(documents.map((workflow) => workflow.name)).toEqual(['CI', 'fleet-orch repair']);
    for (const workflow of documents) expect(workflow.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });

  it('CI runs fleet-orch as an if: failure() step, with inputs the action has', () => {
    const step = fleetStep(documents[0]!);
    expect(step.if).toMatch(/^failure\(\)/);
    for (const input of Object.keys(step.with as Node)) expect(actionInputs).toContain(input);
    expect(step.env).toEqual({ OPENAI_API_KEY: '${{ secrets.OPENAI_API_KEY }}' });
  });

  it('the workflow_run variant fires on the completed CI workflow and runs only on its failure, on the failed commit', () => {
    const repair = documents[1]!;
    expect((repair.on as Node).workflow_run).toEqual({ workflows: ['CI'], types: ['completed'], branches: ['main'] });
    const job = (repair.jobs as Record<string, Node>).repair!;
    expect(job.if).toContain("github.event.workflow_run.conclusion == 'failure'");
    expect((job.steps as Node[])[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { ref: '${{ github.event.workflow_run.head_sha }}' } });
    for (const input of Object.keys(fleetStep(repair).with as Node)) expect(actionInputs).toContain(input);
  });
});
