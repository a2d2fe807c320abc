import type { FailureClass } from '../analysis/types.js';
import { describeError, Interrupted, SafetyStop } from '../errors.js';
import { entryProblem } from '../shell/command-entries.js';
import type { GuardedShell } from '../shell/guarded-shell.js';
import type { DeclaredCommands } from '../shell/policy.js';
import type { ActionEnvironment, AnyDevopsAction, DevopsAction } from './action-types.js';
import { DEVOPS_ACTIONS } from './actions.js';

/** One DevOps action as the run report records it. */
export interface ActionRecord<O = unknown> {
  id: string;
  /** The exact commands (as `describe` renders them); in dry-run mode the mutating ones were printed, not run. */
  commands: string[];
  mutates: boolean;
  dryRun: boolean;
  /** False when nothing was executed: the action was only planned, or refused before it started. */
  ran: boolean;
  ok: boolean;
  detail: string;
  environment: string | null;
  durationMs: number;
  /** The action's own result; null when it could not run (invalid input, unexpected error) or was only planned. */
  output: O | null;
}

export interface ExecutorContext extends ActionEnvironment {
  /**
   * A guarded shell that may run only the commands the action declared, and of those only what
   * `safety.allowed_commands` allows when it is set (the built-in rules, the forbidden commands and the approval
   * rule still apply). The executor asks for one per action.
   */
  openShell(declared: DeclaredCommands): GuardedShell;
}

/** The catalog actions that can answer a failure of this class, in catalog order. */
export function selectActions(failureClass: FailureClass): readonly AnyDevopsAction[] {
  return DEVOPS_ACTIONS.filter((action) => action.answers.includes(failureClass));
}

export function findAction(id: string): AnyDevopsAction | null {
  return DEVOPS_ACTIONS.find((action) => action.id === id) ?? null;
}

/** Why an action cannot run here before anything starts, or null. */
function refusal<I>(action: DevopsAction<I, unknown>, input: I, ctx: ActionEnvironment): string | null {
  if (action.environments === 'deployment' && ctx.environment === null) {
    return `${action.id} runs only against a deployment environment (--environment)`;
  }
  for (const entry of action.allowedCommands?.(input) ?? action.describe(input)) {
    const problem = entryProblem(entry);
    if (problem !== null) return `${action.id} cannot allow-list "${entry}": ${problem}`;
  }
  return null;
}

/**
 * Runs one action through a guarded shell that allows exactly the commands the action declares, and turns
 * whatever happens into a record. Interruptions and safety stops (a command the policy or the approval rule
 * refuses) are not results: they propagate so that the run stops with exit 130 / 3.
 */
export async function runAction<I, O>(
  action: DevopsAction<I, O>,
  input: I,
  ctx: ExecutorContext,
  clock: () => number = Date.now,
): Promise<ActionRecord<O>> {
  const started = clock();
  const base = { id: action.id, mutates: action.mutates, dryRun: ctx.dryRun, environment: ctx.environment };
  let commands: string[] = [];
  let ran = false;
  try {
    commands = action.describe(input);
    const refused = refusal(action, input, ctx);
    if (refused !== null) return { ...base, commands, ran, ok: false, detail: refused, durationMs: clock() - started, output: null };
    const shell = ctx.openShell({ by: action.id, commands: action.allowedCommands?.(input) ?? commands });
    ran = true;
    const output = await action.run(input, {
      shell,
      cwd: ctx.cwd,
      env: ctx.env,
      dryRun: ctx.dryRun,
      environment: ctx.environment,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    if (ctx.signal?.aborted) throw new Interrupted(String(ctx.signal.reason ?? 'SIGINT'));
    const { ok, detail } = action.assess(output);
    return { ...base, commands, ran, ok, detail, durationMs: clock() - started, output };
  } catch (error) {
    if (error instanceof Interrupted || error instanceof SafetyStop) throw error;
    return { ...base, commands, ran, ok: false, detail: describeError(error), durationMs: clock() - started, output: null };
  }
}

/** A record for an action that is listed but not run (a dry run's read-only steps): its exact commands and why. */
export function planAction<I>(action: DevopsAction<I, unknown>, input: I, ctx: ActionEnvironment, why: string): ActionRecord<never> {
  const base = { id: action.id, mutates: action.mutates, dryRun: ctx.dryRun, environment: ctx.environment, ran: false, durationMs: 0, output: null };
  try {
    const commands = action.describe(input);
    return { ...base, commands, ok: true, detail: `not run (${why}): ${commands.join(' ; ')}` };
  } catch (error) {
    return { ...base, commands: [], ok: false, detail: describeError(error) };
  }
}
