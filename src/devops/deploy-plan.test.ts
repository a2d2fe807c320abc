import { describe, expect, it } from 'vitest';
import { EnvironmentConfig } from '../config/schema.js';
import { ConfigError, UsageError } from '../errors.js';
import { assertDeployable, deployInput, deployProblems, imageBuildInput, rolloutInputs } from './deploy-plan.js';

describe('what --deploy needs from an environment', () => {
  it('names every problem with its key path', () => {
    const environment = EnvironmentConfig.parse({
      deployments: ['fleet-api'],
      deploy: ['kubectl apply -f k8s/', 'helm upgrade fleet ./chart --set image.tag=$TAG'],
      image_build: { primary: 'az acr build --registry fleetacr --image app:$(git rev-parse HEAD) .' },
    });
    expect(deployProblems('staging', environment)).toEqual([
      'deployment.environments.staging.namespace: required when deployments are listed',
      'deployment.environments.staging.deploy[1]: expected a literal command (no variables or command substitutions); put values in with ${VAR} in the config file',
      'deployment.environments.staging.image_build.primary: expected a literal command (no variables or command substitutions); put values in with ${VAR} in the config file',
    ]);
    expect(deployProblems('staging', EnvironmentConfig.parse({}))).toEqual([
      'deployment.environments.staging: --deploy needs deploy commands (deploy:) or an image build (image_build:)',
    ]);
  });

  it('refuses with exit 2: no environment (usage), an environment it cannot deploy (config)', () => {
    expect(() => assertDeployable(null, null, 'config.yaml')).toThrow(UsageError);
    expect(() => assertDeployable('staging', EnvironmentConfig.parse({}), 'config.yaml')).toThrow(ConfigError);
    expect(() => assertDeployable('staging', EnvironmentConfig.parse({ deploy: ['kubectl apply -f k8s/'] }), 'config.yaml')).not.toThrow();
  });

  it('turns the configuration into action inputs, with defaults', () => {
    const environment = EnvironmentConfig.parse({
      namespace: 'fleet',
      deployments: ['api', 'worker'],
      deploy: ['kubectl apply -f k8s/'],
      image_build: { primary: 'az acr build --registry fleetacr --image app:1 .' },
    });
    expect(imageBuildInput(environment)).toEqual({ primary: 'az acr build --registry fleetacr --image app:1 .', fallback: null, timeoutMs: 1_800_000 });
    expect(deployInput(environment)).toEqual({ commands: ['kubectl apply -f k8s/'], timeoutMs: 600_000 });
    expect(rolloutInputs(environment)).toEqual([
      { deployment: 'api', namespace: 'fleet', timeoutSeconds: 300 },
      { deployment: 'worker', namespace: 'fleet', timeoutSeconds: 300 },
    ]);
    expect(environment).toMatchObject({ undo_on_failed_verification: true, verify_concurrency: 8 });
  });
});
