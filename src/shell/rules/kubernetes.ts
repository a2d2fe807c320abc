import type { CommandFact } from '../facts.js';
import type { Field } from '../fields.js';
import { dynamicArgument, hasOption, positionalsOf, violation, type RuleContext, type Violation } from './rule-types.js';

/**
 * Kubernetes: never delete a namespace; nothing destructive beyond deleting (restarting) one named pod —
 * no deleting deployments, PVCs, nodes, no `--all`/selector/file deletes, no drain, no forced replace,
 * no prune; no scaling to zero; no creating or changing secrets.
 */
export const KUBE_WITH_VALUE = new Set([
  '-n', '--namespace', '--context', '--cluster', '--user', '--kubeconfig', '-s', '--server', '--token', '--as', '--as-group', '--as-uid',
  '--certificate-authority', '--client-certificate', '--client-key', '--request-timeout', '--tls-server-name', '--cache-dir', '--profile',
  '--profile-output', '-v', '--v', '--vmodule', '-l', '--selector', '--field-selector', '-f', '--filename', '-k', '--kustomize', '-o', '--output',
  '--template', '--sort-by', '-c', '--container', '--timeout', '--grace-period', '--replicas', '--current-replicas', '--resource-version', '-p',
  '--patch', '--patch-file', '--type', '--for', '--from-literal', '--from-file', '--from-env-file', '--image', '--port', '--subresource',
  '--field-manager', '--chunk-size', '-L', '--label-columns', '--min', '--max', '--cpu-percent', '--to-revision', '--revision',
]);

/** Kinds by their short names and plurals. */
const KINDS: Readonly<Record<string, string>> = {
  ns: 'namespace', namespaces: 'namespace',
  po: 'pod', pods: 'pod',
  deploy: 'deployment', deployments: 'deployment',
  svc: 'service', services: 'service',
  sts: 'statefulset', statefulsets: 'statefulset',
  ds: 'daemonset', daemonsets: 'daemonset',
  rs: 'replicaset', replicasets: 'replicaset',
  pv: 'persistentvolume', persistentvolumes: 'persistentvolume',
  pvc: 'persistentvolumeclaim', persistentvolumeclaims: 'persistentvolumeclaim',
  cm: 'configmap', configmaps: 'configmap',
  secrets: 'secret',
  no: 'node', nodes: 'node',
  ing: 'ingress', ingresses: 'ingress',
  crd: 'customresourcedefinition', crds: 'customresourcedefinition', customresourcedefinitions: 'customresourcedefinition',
  sa: 'serviceaccount', serviceaccounts: 'serviceaccount',
  hpa: 'horizontalpodautoscaler', horizontalpodautoscalers: 'horizontalpodautoscaler',
  jobs: 'job', cj: 'cronjob', cronjobs: 'cronjob',
};

/** `deploy.apps` → deployment; `NS` → namespace. */
export function kubeKind(word: string): string {
  const base = word.toLowerCase().split('.')[0]!;
  return KINDS[base] ?? base;
}

/** The kubectl arguments of `kubectl …`, `oc …`, `microk8s kubectl …`, `k3s kubectl …`, `minikube kubectl -- …`. */
export function kubectlArgs(fact: CommandFact): readonly Field[] | null {
  if (fact.program === 'kubectl' || fact.program === 'oc') return fact.args;
  if ((fact.program === 'microk8s' || fact.program === 'k3s') && fact.args[0]?.value === 'kubectl') return fact.args.slice(1);
  if (fact.program === 'minikube' && fact.args[0]?.value === 'kubectl') return fact.args.slice(fact.args[1]?.value === '--' ? 2 : 1);
  return null;
}

export function judgeKubernetes(fact: CommandFact, _context: RuleContext): Violation | null {
  if (fact.program === 'helm') return judgeHelm(fact);
  const args = kubectlArgs(fact);
  if (args === null) return null;
  const positionals = positionalsOf(args, KUBE_WITH_VALUE);
  const verb = positionals[0];
  if (verb === undefined) return null;
  if (verb.value === null) return dynamicArgument(fact, verb, 'the kubectl command');
  const rest = positionals.slice(1);
  switch (verb.value) {
    case 'delete':
      return judgeDelete(fact, args, rest);
    case 'scale':
      return judgeScale(fact, args);
    case 'drain':
      return violation('builtin:k8s-destructive', 'kubectl drain evicts every pod of a node');
    case 'replace':
    case 'apply':
      if (hasOption(args, ['--force', '--prune'])) return violation('builtin:k8s-destructive', `kubectl ${verb.value} --force/--prune deletes resources`);
      return judgeSecretManifest(fact, args, verb.value);
    case 'create':
      if (rest[0] !== undefined && (rest[0].value === null || kubeKind(rest[0].value) === 'secret')) return violation('builtin:secret-write', 'kubectl create secret sets a secret');
      return judgeSecretManifest(fact, args, verb.value);
    case 'patch':
    case 'edit':
    case 'set':
    case 'label':
    case 'annotate':
      return judgeChange(fact, args, verb.value, rest);
    default:
      return null;
  }
}

function resourceKinds(words: readonly Field[]): { kinds: string[]; names: number; unknown: Field | null } {
  const kinds: string[] = [];
  let names = 0;
  for (const [index, word] of words.entries()) {
    if (word.value === null) return { kinds, names, unknown: word };
    if (word.value.includes('/')) {
      kinds.push(kubeKind(word.value.split('/')[0]!));
      names += 1;
    } else if (index === 0) kinds.push(...word.value.split(',').map(kubeKind));
    else names += 1;
  }
  return { kinds, names, unknown: null };
}

function judgeDelete(fact: CommandFact, args: readonly Field[], words: readonly Field[]): Violation | null {
  const { kinds, names, unknown } = resourceKinds(words);
  if (kinds.includes('namespace')) return violation('builtin:k8s-namespace-delete', 'deleting a Kubernetes namespace is never allowed');
  if (unknown) return dynamicArgument(fact, unknown, 'the resource to delete');
  if (hasOption(args, ['-f', '--filename', '-k', '--kustomize', '--raw'])) return violation('builtin:k8s-destructive', 'kubectl delete of resources listed in a file is not allowed');
  if (hasOption(args, ['--all', '-A', '--all-namespaces', '-l', '--selector', '--field-selector'])) {
    return violation('builtin:k8s-destructive', 'kubectl delete of every resource matching a selector (or --all) is not allowed');
  }
  const onePod = kinds.length === 1 && kinds[0] === 'pod' && names === 1;
  if (!onePod) return violation('builtin:k8s-destructive', `kubectl delete ${words.map((word) => word.value).join(' ')}: only restarting a single named pod is allowed`);
  return null;
}

function judgeScale(fact: CommandFact, args: readonly Field[]): Violation | null {
  const at = args.findIndex((arg) => arg.value === '--replicas' || arg.value?.startsWith('--replicas='));
  if (at < 0) return null;
  const field = args[at]!.value === '--replicas' ? args[at + 1] : { ...args[at]!, value: args[at]!.value!.slice('--replicas='.length) };
  if (field === undefined) return null;
  if (field.value === null) return dynamicArgument(fact, field, 'the replica count');
  return Number(field.value) === 0 ? violation('builtin:k8s-scale-to-zero', 'scaling a workload to zero replicas is not allowed') : null;
}

/** A Secret manifest on standard input (`kubectl apply -f - <<EOF … kind: Secret`). */
function judgeSecretManifest(fact: CommandFact, args: readonly Field[], verb: string): Violation | null {
  if (fact.stdin.kind === 'text' && /^\s*kind:\s*["']?Secret\b/m.test(fact.stdin.text ?? 'kind: Secret')) {
    return violation('builtin:secret-write', `kubectl ${verb} of a Secret manifest sets a secret`);
  }
  return args.some((arg) => arg.value !== null && /^secret\//i.test(arg.value)) ? violation('builtin:secret-write', `kubectl ${verb} of a secret`) : null;
}

function judgeChange(fact: CommandFact, args: readonly Field[], verb: string, words: readonly Field[]): Violation | null {
  const { kinds, unknown } = resourceKinds(verb === 'set' ? words.slice(1) : words);
  if (kinds.includes('secret')) return violation('builtin:secret-write', `kubectl ${verb} of a secret changes a secret`);
  if (unknown && verb !== 'set') return dynamicArgument(fact, unknown, 'the resource');
  const afterFlag = args.find((_, index) => index > 0 && /^(-p|--patch)$/.test(args[index - 1]!.value ?? ''));
  const patch = afterFlag?.value ?? args.find((arg) => arg.value?.startsWith('--patch='))?.value ?? '';
  if (/"?replicas"?\s*:\s*"?0+\b/.test(patch)) return violation('builtin:k8s-scale-to-zero', 'patching a workload to zero replicas is not allowed');
  return null;
}

function judgeHelm(fact: CommandFact): Violation | null {
  const verb = positionalsOf(fact.args, new Set(['-n', '--namespace', '--kube-context', '--kubeconfig']))[0];
  if (verb?.value === null) return dynamicArgument(fact, verb, 'the helm command');
  return verb && /^(uninstall|delete|del|un)$/.test(verb.value) ? violation('builtin:k8s-destructive', `helm ${verb.value} deletes a release and its resources`) : null;
}
