import { assessCommand, InvalidActionInput, runCommand, type CommandOutput, type DevopsAction } from './action-types.js';

/**
 * Read-only preparations before the deploy phase talks to Azure: kubectl credentials for the AKS cluster and a
 * docker login to the container registry. Neither changes a cloud resource (they write the agent's own
 * ~/.kube/config and docker credentials); the deploy phase only plans them in a dry run.
 */

export interface AksCredentialsInput {
  resourceGroup: string;
  cluster: string;
}

export interface AcrLoginInput {
  registry: string;
}

const RESOURCE_GROUP = /^[-\w.()]{1,90}$/;
const AKS_CLUSTER = /^[a-zA-Z0-9][-_a-zA-Z0-9]{0,62}$/;
const ACR_NAME = /^[a-zA-Z0-9]{5,50}$/;

function aksCommand(input: AksCredentialsInput): string {
  if (!RESOURCE_GROUP.test(input.resourceGroup) || input.resourceGroup.endsWith('.')) {
    throw new InvalidActionInput('aks-credentials', `"${input.resourceGroup}" is not a valid resource group name`);
  }
  if (!AKS_CLUSTER.test(input.cluster)) throw new InvalidActionInput('aks-credentials', `"${input.cluster}" is not a valid AKS cluster name`);
  // Never --admin: the agent works with its own (RBAC-limited) identity.
  return `az aks get-credentials --resource-group ${input.resourceGroup} --name ${input.cluster} --overwrite-existing`;
}

function acrCommand(input: AcrLoginInput): string {
  if (!ACR_NAME.test(input.registry)) throw new InvalidActionInput('acr-login', `"${input.registry}" is not a valid registry name`);
  return `az acr login --name ${input.registry}`;
}

export const aksCredentials: DevopsAction<AksCredentialsInput, CommandOutput> = {
  id: 'aks-credentials',
  summary: 'Get kubectl credentials for the AKS cluster (az aks get-credentials, never --admin).',
  answers: [],
  signals: ['before the deploy phase talks to Kubernetes'],
  preconditions: ['az on PATH, logged in (az login / the pipeline service connection)', 'aks.resource_group and aks.cluster configured'],
  mutates: false,
  environments: 'deployment',
  describe: (input) => [aksCommand(input)],
  run: (input, ctx) => runCommand(ctx, { command: aksCommand(input), actor: 'devops:aks-credentials', timeoutMs: 120_000, mutates: false }),
  assess: assessCommand,
};

export const acrLogin: DevopsAction<AcrLoginInput, CommandOutput> = {
  id: 'acr-login',
  summary: 'Log docker in to the Azure Container Registry (az acr login).',
  answers: [],
  signals: ['before the image build'],
  preconditions: ['az and docker on PATH, az logged in', 'acr_name configured'],
  mutates: false,
  environments: 'deployment',
  describe: (input) => [acrCommand(input)],
  run: (input, ctx) => runCommand(ctx, { command: acrCommand(input), actor: 'devops:acr-login', timeoutMs: 120_000, mutates: false }),
  assess: assessCommand,
};
