import { describe, expect, it } from 'vitest';
import { Config } from '../config/schema.js';
import { toolsNeeded } from './checks.js';

const config = (environments: Record<string, unknown>) =>
  Config.parse({ quality_gates: { test: { command: 'npm test' } }, deployment: { environments } });

describe('toolsNeeded', () => {
  it('names az, kubectl and docker where the environments use them, each with the first place that does', () => {
    expect(
      toolsNeeded(
        config({
          staging: { smoke_tests: ['curl -fsS http://127.0.0.1/health'], deployments: ['api'], namespace: 'fleet' },
          production: {
            aks: { resource_group: 'fleet-rg', cluster: 'fleet-aks' },
            deploy: ['kubectl apply -f k8s/ -n fleet'],
            image_build: { primary: 'az acr build --registry r --image app:1 .', fallback: 'docker build -t r.azurecr.io/app:1 . && docker push r.azurecr.io/app:1' },
          },
        }),
      ),
    ).toEqual([
      { tool: 'kubectl', by: 'staging.deployments' },
      { tool: 'az', by: 'production.image_build' },
      { tool: 'docker', by: 'production.image_build' },
    ]);
  });

  it('needs az for registry login alone, and nothing for environments that only check HTTP', () => {
    expect(toolsNeeded(config({ staging: { acr_name: 'fleetacr' } }))).toEqual([{ tool: 'az', by: 'staging.acr_name' }]);
    expect(toolsNeeded(config({ staging: { health_endpoint: 'http://127.0.0.1/health', smoke_tests: ['./azure-check.sh'] } }))).toEqual([]);
  });
});
