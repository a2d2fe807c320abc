import type { FailureClass } from '../analysis/types.js';
import { describeError, Interrupted, SafetyStop } from '../errors.js';
import { DEVOPS_ACTIONS, type AnyDevopsAction, type DevopsAction, type DevopsActionContext } from './actions.js';

/** One DevOps action as the run report records it. */
export interface ActionRecord<O = unknown> {
  id: string;
  /** The exact commands (as `describe` renders them); in dry-run mode the mutating ones were printed, not run. */
  commands: string[];
  mutates: boolean;
  dryRun: boolean;
  ok: boolean;
  detail: string;
  environment: string | null;
  durationMs: number;
  /** The action's own result; null when it could not run (invalid input, unexpected error). */
  output: O | null;
}

/** The catalog actions that can answer a failure of this class, in catalog order. */
export function selectActions(failureClass: FailureClass): readonly AnyDevopsAction[] {
  return DEVOPS_ACTIONS.filter((action) => action.answers.includes(failureClass));
}

export function findAction(id: string): AnyDevopsAction | null {
  return DEVOPS_ACTIONS.find((action) => action.id === id) ?? null;
}

/**
 * Runs one action and turns whatever happens into a record. Interruptions and safety stops are not results:
 * they propagate so that the run stops with exit 130 / 3.
 */
export async function runAction<I, O>(
  action: DevopsAction<I, O>,
  input: I,
  ctx: DevopsActionContext,
  clock: () => number = Date.now,
): Promise<ActionRecord<O>> {
  const started = clock();
  const base = { id: action.id, mutates: action.mutates, dryRun: ctx.dryRun, environment: ctx.environment };
  let commands: string[] = [];
  try {
    commands = action.describe(input);
    const output = await action.run(input, ctx);
    if (ctx.signal?.aborted) throw new Interrupted(String(ctx.signal.reason ?? 'SIGINT'));
    const { ok, detail } = action.assess(output);
    return { ...base, commands, ok, detail, durationMs: clock() - started, output };
  } catch (error) {
    if (error instanceof Interrupted || error instanceof SafetyStop) throw error;
    return { ...base, commands, ok: false, detail: describeError(error), durationMs: clock() - started, output: null };
  }
}
