import {
  assessCommand,
  InvalidActionInput,
  runCommand,
  type ActionAssessment,
  type CommandOutput,
  type DevopsAction,
} from './action-types.js';

/** kubectl rollout actions on one deployment in the environment's namespace. Nothing here deletes anything. */

export interface RolloutInput {
  deployment: string;
  namespace: string;
  /** `rollout status` only: how long kubectl waits. Default 300. */
  timeoutSeconds?: number;
}

export interface RolloutUndoInput extends RolloutInput {
  /** The revision the deployment had before the deploy; null: the previous one. */
  toRevision: number | null;
}

export interface RevisionOutput {
  /** null when the deployment does not exist (yet) or no revision could be read. */
  revision: number | null;
  found: boolean;
  command: CommandOutput;
}

/** RFC 1123 subdomain (deployment names) and label (namespaces), as the API server validates them. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function target(action: string, input: RolloutInput): string {
  if (input.deployment.length > 253 || !DNS_SUBDOMAIN.test(input.deployment)) {
    throw new InvalidActionInput(action, `"${input.deployment}" is not a valid deployment name`);
  }
  if (input.namespace.length > 63 || !DNS_LABEL.test(input.namespace)) {
    throw new InvalidActionInput(action, `"${input.namespace}" is not a valid namespace`);
  }
  return `deployment/${input.deployment} -n ${input.namespace}`;
}

function statusTimeoutSeconds(input: RolloutInput): number {
  const seconds = input.timeoutSeconds ?? 300;
  if (!Number.isInteger(seconds) || seconds <= 0 || seconds > 3600) {
    throw new InvalidActionInput('rollout-status', `timeoutSeconds must be 1..3600, got ${seconds}`);
  }
  return seconds;
}

function rolloutStatusCommand(input: RolloutInput): string {
  return `kubectl rollout status ${target('rollout-status', input)} --timeout=${statusTimeoutSeconds(input)}s`;
}

function rolloutRestartCommand(input: RolloutInput): string {
  return `kubectl rollout restart ${target('rollout-restart', input)}`;
}

function rolloutUndoCommand(input: RolloutUndoInput): string {
  const base = `kubectl rollout undo ${target('rollout-undo', input)}`;
  if (input.toRevision === null) return base;
  if (!Number.isSafeInteger(input.toRevision) || input.toRevision < 1) {
    throw new InvalidActionInput('rollout-undo', `toRevision must be a revision number, got ${input.toRevision}`);
  }
  return `${base} --to-revision=${input.toRevision}`;
}

const REVISION_PATH = `'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}'`;

function revisionCommand(input: RolloutInput): string {
  return `kubectl get ${target('rollout-revision', input)} -o ${REVISION_PATH}`;
}

const KUBECTL = ['kubectl on PATH with a context for the cluster (aks-credentials)', 'valid deployment and namespace names'];

/** Waits for a deployment's rollout to finish; reads only. */
export const rolloutStatus: DevopsAction<RolloutInput, CommandOutput> = {
  id: 'rollout-status',
  summary: 'Wait for a deployment rollout to complete (kubectl rollout status --timeout).',
  answers: [],
  signals: ['after a deploy, after an undo'],
  preconditions: KUBECTL,
  mutates: false,
  environments: 'deployment',
  describe: (input) => [rolloutStatusCommand(input)],
  run: (input, ctx) =>
    runCommand(ctx, {
      command: rolloutStatusCommand(input),
      actor: 'devops:rollout-status',
      // kubectl stops itself at --timeout; the shell's limit is only a backstop.
      timeoutMs: (statusTimeoutSeconds(input) + 30) * 1000,
      mutates: false,
    }),
  assess: assessCommand,
};

/** Restarts a deployment's pods (a new rollout of the same spec); printed, not run, in dry-run mode. */
export const rolloutRestart: DevopsAction<RolloutInput, CommandOutput> = {
  id: 'rollout-restart',
  summary: "Restart a deployment's pods with the same spec (kubectl rollout restart).",
  answers: [],
  signals: ['a rollout stuck after a deploy'],
  preconditions: KUBECTL,
  mutates: true,
  environments: 'deployment',
  describe: (input) => [rolloutRestartCommand(input)],
  run: (input, ctx) =>
    runCommand(ctx, { command: rolloutRestartCommand(input), actor: 'devops:rollout-restart', timeoutMs: 60_000, mutates: true }),
  assess: assessCommand,
};

/** Rolls a deployment back to the revision it had before the deploy. Never deletes anything. */
export const rolloutUndo: DevopsAction<RolloutUndoInput, CommandOutput> = {
  id: 'rollout-undo',
  summary: 'Roll a deployment back to its revision before the deploy (kubectl rollout undo --to-revision).',
  answers: [],
  signals: ['verification failed after a deploy', 'a rollout that did not complete', 'a deploy command that failed'],
  preconditions: [...KUBECTL, 'the deploy changed the deployment (its revision moved)', 'undo_on_failed_verification: true'],
  mutates: true,
  environments: 'deployment',
  describe: (input) => [rolloutUndoCommand(input)],
  run: (input, ctx) =>
    runCommand(ctx, { command: rolloutUndoCommand(input), actor: 'devops:rollout-undo', timeoutMs: 60_000, mutates: true }),
  assess: assessCommand,
};

/** Reads a deployment's current revision (before a deploy, to know what to undo to). */
export const rolloutRevision: DevopsAction<RolloutInput, RevisionOutput> = {
  id: 'rollout-revision',
  summary: "Read a deployment's current revision (kubectl get -o jsonpath), so that an undo goes back exactly there.",
  answers: [],
  signals: ['before a deploy, before an undo'],
  preconditions: KUBECTL,
  mutates: false,
  environments: 'deployment',
  describe: (input) => [revisionCommand(input)],
  async run(input, ctx) {
    const command = await runCommand(ctx, {
      command: revisionCommand(input),
      actor: 'devops:rollout-revision',
      timeoutMs: 60_000,
      mutates: false,
    });
    return parseRevision(command);
  },
  assess(output): ActionAssessment {
    const shown = output.command.command.replace(/^kubectl get (\S+).*$/, '$1');
    if (output.revision !== null) return { ok: true, detail: `${shown} is at revision ${output.revision}` };
    if (!output.found) return { ok: true, detail: `${shown} does not exist yet` };
    const read = assessCommand(output.command);
    return read.ok ? { ok: true, detail: `${shown} has no revision yet` } : read;
  },
};

export function parseRevision(command: CommandOutput): RevisionOutput {
  if (command.verdict === 'allowed' && command.exitCode === 0) {
    const text = command.tail.trim().split('\n').at(-1)?.trim() ?? '';
    return { revision: /^\d+$/.test(text) ? Number(text) : null, found: true, command };
  }
  // `Error from server (NotFound): deployments.apps "api" not found`: a first deploy.
  const notFound = command.verdict === 'allowed' && /\(NotFound\)|not found/i.test(command.tail);
  return { revision: null, found: !notFound, command };
}
