import type { EnvironmentConfig } from '../config/schema.js';
import { ConfigError, UsageError } from '../errors.js';
import { entryProblem } from '../shell/command-entries.js';
import type { DeployInput } from './deploy-commands.js';
import type { ImageBuildInput } from './image-build.js';
import type { RolloutInput } from './kube-rollouts.js';

/** What `--deploy` does with an environment's configuration, as action inputs; checked before anything runs. */

/** Why `--deploy` cannot run on this environment, one line per problem (empty: it can). */
export function deployProblems(name: string, environment: EnvironmentConfig): string[] {
  const at = `deployment.environments.${name}`;
  const problems: string[] = [];
  if (environment.deploy.length === 0 && environment.image_build === null) {
    problems.push(`${at}: --deploy needs deploy commands (deploy:) or an image build (image_build:)`);
  }
  if (environment.deployments.length > 0 && environment.namespace === null) {
    problems.push(`${at}.namespace: required when deployments are listed`);
  }
  // The executor allow-lists exactly these commands, so they must be literal command lines.
  const commands: [string, string | null][] = [
    ...environment.deploy.map((command, index): [string, string] => [`${at}.deploy[${index}]`, command]),
    [`${at}.image_build.primary`, environment.image_build?.primary ?? null],
    [`${at}.image_build.fallback`, environment.image_build?.fallback ?? null],
  ];
  for (const [path, command] of commands) {
    const problem = command === null ? null : entryProblem(command);
    if (problem !== null) problems.push(`${path}: ${problem}; put values in with \${VAR} in the config file`);
  }
  return problems;
}

/** Throws when `--deploy` cannot run: no environment (exit 2), or an environment it cannot deploy (exit 2). */
export function assertDeployable(name: string | null, environment: EnvironmentConfig | null, configLabel: string): void {
  if (name === null || environment === null) throw new UsageError('--deploy needs --environment <name>');
  const problems = deployProblems(name, environment);
  if (problems.length > 0) throw new ConfigError(problems.map((problem) => `${configLabel}: ${problem}`));
}

export function imageBuildInput(environment: EnvironmentConfig): ImageBuildInput | null {
  const build = environment.image_build;
  if (build === null) return null;
  return { primary: build.primary, fallback: build.fallback, timeoutMs: Math.round(build.timeout * 1000) };
}

export function deployInput(environment: EnvironmentConfig): DeployInput | null {
  if (environment.deploy.length === 0) return null;
  return { commands: environment.deploy, timeoutMs: Math.round(environment.deploy_timeout * 1000) };
}

export function rolloutInputs(environment: EnvironmentConfig): RolloutInput[] {
  const namespace = environment.namespace;
  if (namespace === null) return [];
  return environment.deployments.map((deployment) => ({ deployment, namespace, timeoutSeconds: environment.rollout_timeout }));
}
