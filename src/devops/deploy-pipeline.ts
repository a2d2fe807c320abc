import type { EnvironmentConfig } from '../config/schema.js';
import type { DevopsAction } from './action-types.js';
import { acrLogin, aksCredentials } from './azure-prep.js';
import { deployCommands } from './deploy-commands.js';
import { deployInput, imageBuildInput, rolloutInputs } from './deploy-plan.js';
import type { DeployRecord, DeployStage, UndoRecord } from './deploy-record.js';
import { planAction, runAction, type ActionRecord, type ExecutorContext } from './executor.js';
import { switchBuildAgent } from './image-build.js';
import { rolloutRevision, rolloutStatus, rolloutUndo, type RolloutInput } from './kube-rollouts.js';

/**
 * The deploy phase: prepare (acr-login, aks-credentials, each deployment's revision), build the image (with
 * the OOM fallback), deploy, wait for every rollout, verify. When the deploy, a rollout or verification fails,
 * each deployment the deploy changed goes back to the revision it had (if `undo_on_failed_verification`).
 * In a dry run mutating commands are printed by the shell and read-only ones are only listed: nothing talks
 * to the cluster or the registry, and nothing is verified (nothing was deployed).
 */

export type NoteKind = 'start' | 'succeed' | 'fail' | 'info' | 'warn';

export interface DeployPipelineContext extends ExecutorContext {
  environment: string;
  config: EnvironmentConfig;
  /** Runs the verifier against the environment. */
  verify(): Promise<{ passed: boolean; summary: string }>;
  note(kind: NoteKind, text: string): void;
  clock?: () => number;
}

class Pipeline {
  readonly record: DeployRecord;

  constructor(private readonly ctx: DeployPipelineContext) {
    this.record = {
      environment: ctx.environment,
      dryRun: ctx.dryRun,
      status: 'passed',
      failedStage: null,
      reason: '',
      imageBuiltBy: null,
      undone: [],
      steps: [],
    };
  }

  async run<I, O>(stage: DeployStage, action: DevopsAction<I, O>, input: I): Promise<ActionRecord<O>> {
    this.ctx.note('start', `${stage}: ${action.id}`);
    const record = await runAction(action, input, this.ctx, this.ctx.clock);
    return this.keep(stage, record);
  }

  /** Read-only steps: run, or in a dry run only listed. */
  async read<I, O>(stage: DeployStage, action: DevopsAction<I, O>, input: I): Promise<ActionRecord<O>> {
    if (!this.ctx.dryRun) return this.run(stage, action, input);
    return this.keep(stage, planAction(action, input, this.ctx, 'dry run: reads the cluster or the registry'));
  }

  private keep<O>(stage: DeployStage, record: ActionRecord<O>): ActionRecord<O> {
    this.record.steps.push({ stage, action: record });
    if (this.ctx.dryRun && (!record.ran || record.mutates)) {
      for (const command of record.commands) this.ctx.note('info', `[dry-run] would run: ${command}`);
    } else {
      this.ctx.note(record.ok ? 'succeed' : 'fail', `${stage}: ${record.id}: ${record.detail}`);
    }
    return record;
  }

  fail(stage: DeployStage, reason: string): DeployRecord {
    Object.assign(this.record, { status: 'failed', failedStage: stage, reason });
    return this.record;
  }
}

export async function runDeployPipeline(ctx: DeployPipelineContext): Promise<DeployRecord> {
  const pipeline = new Pipeline(ctx);
  const { config } = ctx;
  const build = imageBuildInput(config);
  const rollouts = rolloutInputs(config);

  if (config.acr_name !== null && build !== null) {
    const login = await pipeline.read('prepare', acrLogin, { registry: config.acr_name });
    if (!login.ok) return pipeline.fail('prepare', login.detail);
  }
  if (config.aks !== null) {
    const aks = { resourceGroup: config.aks.resource_group, cluster: config.aks.cluster };
    const credentials = await pipeline.read('prepare', aksCredentials, aks);
    if (!credentials.ok) return pipeline.fail('prepare', credentials.detail);
  }
  const before = new Map<string, number | null>();
  for (const input of rollouts) {
    const read = await pipeline.read('prepare', rolloutRevision, input);
    if (!read.ok) return pipeline.fail('prepare', `${read.detail} (nothing was deployed)`);
    before.set(input.deployment, read.output?.revision ?? null);
  }

  if (build !== null) {
    const built = await pipeline.run('build', switchBuildAgent, build);
    if (!ctx.dryRun) pipeline.record.imageBuiltBy = built.output?.builtBy ?? null;
    if (!built.ok) return pipeline.fail('build', `${built.detail} (nothing was deployed)`);
  }

  const failure = await deployAndCheck(pipeline, ctx, rollouts);
  if (failure === null) {
    pipeline.record.status = ctx.dryRun ? 'printed' : 'passed';
    pipeline.record.reason = ctx.dryRun
      ? 'dry run: the mutating commands were printed, not run; nothing was verified'
      : `deployed to ${ctx.environment}, rolled out and verified`;
    return pipeline.record;
  }
  pipeline.fail(failure.stage, failure.reason);
  if (!config.undo_on_failed_verification) {
    pipeline.record.reason += '; undo_on_failed_verification is off: left as deployed';
    return pipeline.record;
  }
  for (const input of rollouts) pipeline.record.undone.push(await undoOne(pipeline, input, before.get(input.deployment) ?? null));
  const undone = pipeline.record.undone.filter((undo) => undo.toRevision !== null);
  if (undone.length > 0) {
    pipeline.record.reason += `; rolled back ${undone.map((undo) => `deployment/${undo.deployment} to revision ${undo.toRevision}${undo.ok ? '' : ' (failed)'}`).join(', ')}`;
  }
  return pipeline.record;
}

async function deployAndCheck(
  pipeline: Pipeline,
  ctx: DeployPipelineContext,
  rollouts: readonly RolloutInput[],
): Promise<{ stage: DeployStage; reason: string } | null> {
  const deploy = deployInput(ctx.config);
  if (deploy !== null) {
    const deployed = await pipeline.run('deploy', deployCommands, deploy);
    if (!deployed.ok) return { stage: 'deploy', reason: deployed.detail };
  }
  for (const input of rollouts) {
    const status = await pipeline.read('rollout', rolloutStatus, input);
    if (!status.ok) return { stage: 'rollout', reason: `deployment/${input.deployment} did not roll out: ${status.detail}` };
  }
  if (ctx.dryRun) {
    ctx.note('info', 'dry run: verification skipped (nothing was deployed)');
    return null;
  }
  const verification = await ctx.verify();
  return verification.passed ? null : { stage: 'verify', reason: verification.summary };
}

/** Back to the revision before the deploy, only when the deploy changed it; never deletes a deployment it created. */
async function undoOne(pipeline: Pipeline, input: RolloutInput, before: number | null): Promise<UndoRecord> {
  const { deployment } = input;
  if (before === null) {
    return { deployment, toRevision: null, ok: true, detail: 'did not exist before the deploy: left as it is (fleet-orch never deletes)' };
  }
  const now = await pipeline.run('undo', rolloutRevision, input);
  if (now.ok && now.output?.revision === before) {
    return { deployment, toRevision: null, ok: true, detail: `unchanged by the deploy (revision ${before}): nothing to undo` };
  }
  const undo = await pipeline.run('undo', rolloutUndo, { ...input, toRevision: before });
  if (!undo.ok) return { deployment, toRevision: before, ok: false, detail: undo.detail };
  const settled = await pipeline.run('undo', rolloutStatus, input);
  return {
    deployment,
    toRevision: before,
    ok: settled.ok,
    detail: settled.ok ? `rolled back to revision ${before}` : `rolled back to revision ${before}, but ${settled.detail}`,
  };
}
