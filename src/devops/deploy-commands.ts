import { assessCommand, commandSucceeded, InvalidActionInput, runCommand, type CommandOutput, type DevopsAction } from './action-types.js';

/** deploy: the environment's own deploy commands (`kubectl apply -f k8s/`, `helm upgrade …`), in order. */

export interface DeployInput {
  commands: readonly string[];
  timeoutMs: number;
}

export interface DeployOutput {
  /** One per command that was run (or printed); stops at the first failure. */
  commands: CommandOutput[];
}

function checked(input: DeployInput): string[] {
  if (input.commands.length === 0) throw new InvalidActionInput('deploy', 'no deploy commands are configured');
  if (input.commands.some((command) => command.trim() === '')) throw new InvalidActionInput('deploy', 'a deploy command is empty');
  return [...input.commands];
}

export const deployCommands: DevopsAction<DeployInput, DeployOutput> = {
  id: 'deploy',
  summary: "Run the environment's deploy commands in order (kubectl apply, helm upgrade …); stop at the first failure.",
  answers: [],
  signals: ['--deploy, after every required gate is green and the image is built'],
  preconditions: ['deploy commands configured for the environment', 'literal commands (the shell allow-lists exactly them)'],
  mutates: true,
  environments: 'deployment',
  describe: checked,
  async run(input, ctx) {
    const outputs: CommandOutput[] = [];
    for (const command of checked(input)) {
      const output = await runCommand(ctx, { command, actor: 'devops:deploy', timeoutMs: input.timeoutMs, mutates: true });
      outputs.push(output);
      if (!commandSucceeded(output)) break;
    }
    return { commands: outputs };
  },
  assess(output) {
    const failed = output.commands.find((command) => !commandSucceeded(command));
    if (failed) return assessCommand(failed);
    if (output.commands.every((command) => command.verdict === 'dry-run')) {
      return { ok: true, detail: `dry run: would run ${output.commands.length} deploy command(s)` };
    }
    return { ok: true, detail: `ran ${output.commands.length} deploy command(s)` };
  },
};
