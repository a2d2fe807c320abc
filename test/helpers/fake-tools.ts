/**
 * Recording fake `az`, `kubectl` and `docker` executables for DevOps tests. Put `tools.path` first on PATH: each
 * fake appends its argv to `calls.jsonl` and simulates an outcome read from `state.json`:
 * - `az acr build` / `docker build`: success, or killed for memory (exit 137 with an OOM message);
 * - `kubectl apply`: bumps the revision of every known deployment (and creates those in `applyCreates`);
 * - `kubectl get deployment/x -o jsonpath=…`: prints x's revision, or NotFound (exit 1) when x does not exist;
 * - `kubectl rollout status`: success, or a timeout (exit 1, "timed out waiting for the condition");
 * - `kubectl rollout undo`: a new revision, and from then on rollouts succeed (the old revision was healthy);
 * - `az acr login`, `az aks get-credentials`, `docker push`, `kubectl rollout restart`: success.
 * Anything else exits 2 with "unexpected", so a test notices a command it did not plan for.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface FakeToolState {
  acrBuild: 'ok' | 'oom';
  dockerBuild: 'ok' | 'oom';
  rollout: 'ok' | 'timeout';
  /** Current revision per deployment; a deployment missing here does not exist. */
  revisions: Record<string, number>;
  /** Deployments the next `kubectl apply` creates (at revision 1). */
  applyCreates: string[];
}

export interface FakeCall {
  tool: 'az' | 'kubectl' | 'docker';
  argv: string[];
}

export interface FakeTools {
  readonly binDir: string;
  /** `binDir` first, then the test process's PATH. */
  readonly path: string;
  set(state: Partial<FakeToolState>): void;
  state(): FakeToolState;
  calls(): FakeCall[];
  /** Each call as one line: `kubectl rollout status deployment/api -n staging --timeout=300s`. */
  commandLines(): string[];
}

const DEFAULT_STATE: FakeToolState = { acrBuild: 'ok', dockerBuild: 'ok', rollout: 'ok', revisions: {}, applyCreates: [] };

const FAKE_TOOL = String.raw`
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
const [dir, tool, ...argv] = process.argv.slice(2);
appendFileSync(dir + '/calls.jsonl', JSON.stringify({ tool, argv }) + '\n');
const state = JSON.parse(readFileSync(dir + '/state.json', 'utf8'));
const save = () => writeFileSync(dir + '/state.json', JSON.stringify(state));
const [first, second] = argv;
const fail = (message, code) => { console.error(message); process.exit(code); };
const oomKilled = (what) => {
  console.log('Step 5/8 : RUN npm run build');
  console.log('<--- Last few GCs --->');
  console.log('Killed');
  fail(what + ": The command '/bin/sh -c npm run build' returned a non-zero code: 137 (OOMKilled: out of memory)", 137);
};
const deployment = (argv.find((arg) => arg.startsWith('deployment/')) ?? '').slice('deployment/'.length);
if (tool === 'az' && first === 'acr' && second === 'build') {
  if (state.acrBuild === 'oom') oomKilled('ACR Tasks');
  console.log('Run ID: ca1 was successful after 1m2s');
} else if (tool === 'az' && first === 'acr' && second === 'login') {
  console.log('Login Succeeded');
} else if (tool === 'az' && first === 'aks' && second === 'get-credentials') {
  console.log('Merged "fleet-aks" as current context in ~/.kube/config');
} else if (tool === 'docker' && first === 'build') {
  if (state.dockerBuild === 'oom') oomKilled('docker build');
  console.log('Successfully built 0123456789ab');
} else if (tool === 'docker' && first === 'push') {
  console.log('1.0: digest: sha256:' + '0'.repeat(64) + ' size: 1234');
} else if (tool === 'kubectl' && first === 'apply') {
  for (const name of state.applyCreates) if (!(name in state.revisions)) state.revisions[name] = 0;
  state.applyCreates = [];
  for (const name of Object.keys(state.revisions)) state.revisions[name] += 1;
  save();
  console.log('deployment.apps/fleet-api configured');
} else if (tool === 'kubectl' && first === 'get') {
  const revision = state.revisions[deployment];
  if (revision === undefined) fail('Error from server (NotFound): deployments.apps "' + deployment + '" not found', 1);
  process.stdout.write(String(revision));
} else if (tool === 'kubectl' && first === 'rollout' && second === 'status') {
  if (state.rollout === 'timeout') {
    console.log('Waiting for deployment "' + deployment + '" rollout to finish: 1 of 2 updated replicas are available...');
    fail('error: timed out waiting for the condition', 1);
  }
  console.log('deployment "' + deployment + '" successfully rolled out');
} else if (tool === 'kubectl' && first === 'rollout' && second === 'undo') {
  state.revisions[deployment] = (state.revisions[deployment] ?? 0) + 1;
  state.rollout = 'ok';
  save();
  console.log('deployment.apps/' + deployment + ' rolled back');
} else if (tool === 'kubectl' && first === 'rollout' && second === 'restart') {
  console.log('deployment.apps/' + deployment + ' restarted');
} else {
  fail('fake ' + tool + ': unexpected ' + argv.join(' '), 2);
}
`;

/** Writes the fakes into `<dir>/fake-bin` (the caller owns and removes `dir`). */
export function installFakeTools(dir: string, initial: Partial<FakeToolState> = {}): FakeTools {
  const home = path.join(dir, 'fake-tools');
  const binDir = path.join(home, 'bin');
  mkdirSync(binDir, { recursive: true });
  const script = path.join(home, 'fake-tool.mjs');
  writeFileSync(script, FAKE_TOOL);
  for (const tool of ['az', 'kubectl', 'docker']) {
    const file = path.join(binDir, tool);
    writeFileSync(file, `#!/bin/sh\nexec '${process.execPath}' '${script}' '${home}' ${tool} "$@"\n`);
    chmodSync(file, 0o755);
  }
  const stateFile = path.join(home, 'state.json');
  const callsFile = path.join(home, 'calls.jsonl');
  const read = (): FakeToolState => JSON.parse(readFileSync(stateFile, 'utf8')) as FakeToolState;
  const write = (state: FakeToolState): void => writeFileSync(stateFile, JSON.stringify(state));
  write({ ...DEFAULT_STATE, ...initial });
  const calls = (): FakeCall[] =>
    existsSync(callsFile)
      ? readFileSync(callsFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as FakeCall)
      : [];
  return {
    binDir,
    path: `${binDir}${path.delimiter}${process.env['PATH'] ?? ''}`,
    set: (state) => write({ ...read(), ...state }),
    state: read,
    calls,
    commandLines: () => calls().map((call) => [call.tool, ...call.argv].join(' ')),
  };
}
