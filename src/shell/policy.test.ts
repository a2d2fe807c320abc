import { describe, expect, it } from 'vitest';
import { DEFAULT_FORBIDDEN_COMMANDS } from '../config/schema.js';
import { judgeCommand, MAX_COMMAND_BYTES, type PolicyOptions } from './policy.js';

const options: PolicyOptions = { repoRoot: '/work/repo', forbiddenCommands: DEFAULT_FORBIDDEN_COMMANDS, home: '/home/ci' };
const judge = (command: string, extra: Partial<PolicyOptions> = {}) => judgeCommand(command, { ...options, ...extra });
const ruleOf = (command: string, extra: Partial<PolicyOptions> = {}) => judge(command, extra).rule;

describe('judgeCommand: the bypasses of a substring blocklist (issue 3)', () => {
  it.each([
    ['rm -r -f /', 'builtin:wipe-root'],
    ['/bin/rm -rf -- /', 'builtin:wipe-root'],
    ['sudo rm -rf /*', 'builtin:wipe-root'],
    ["bash -c 'rm -rf /'", 'builtin:wipe-root'],
    ['sh -c "$(echo cm0gLXJmIC8K | base64 -d)"', 'unparseable:dynamic-script'],
    ['X=/; rm -rf $X', 'builtin:wipe-root'],
    ['find / -delete', 'builtin:wipe-root'],
    ['kubectl delete ns prod', 'builtin:k8s-namespace-delete'],
    ['kubectl -n x delete namespace/y', 'builtin:k8s-namespace-delete'],
  ])('denies %j (%s)', (command, rule) => {
    expect(ruleOf(command)).toBe(rule);
  });
});

describe("judgeCommand: the old scanner's known gaps", () => {
  it.each([
    ['X="rm -rf /"; $X', 'builtin:wipe-root'],
    ['cd / && rm -rf *', 'builtin:wipe-root'],
    ['f() { rm -rf "$1"; }; f /', 'builtin:wipe-root'],
    ['rm -rf "$EMPTY"/', 'unparseable:dynamic-argument'],
    ['python -c "import shutil; shutil.rmtree(\'/\')"', 'builtin:inline-code'],
    ['if [ -n "$CI" ]; then D=dist; else D=/; fi; rm -rf "$D"', 'builtin:wipe-root'],
    ['X=/; (X=dist); rm -rf $X', 'builtin:wipe-root'],
    ['export X=/; bash -c \'rm -rf "$X"\'', 'builtin:wipe-root'],
    ['X=/; bash -c \'rm -rf "$X"/\'', 'builtin:wipe-root'],
  ])('denies %j (%s)', (command, rule) => {
    expect(ruleOf(command)).toBe(rule);
  });

  it('follows values it knows, and stays allowed when they are harmless', () => {
    expect(judge('X=dist; rm -rf $X').allowed).toBe(true);
    expect(judge('f() { rm -rf "$1"; }; f build').allowed).toBe(true);
    expect(judge('cd packages/web && rm -rf dist').allowed).toBe(true);
    expect(judge('X=dist; (X=/); rm -rf $X').allowed).toBe(true);
  });
});

describe('forbidden_commands: entries are parsed and matched by meaning', () => {
  const custom = (command: string, entries: readonly string[]) => judge(command, { forbiddenCommands: entries });

  it('matches the same program with the entry flags (any order, aliases folded) and words in order', () => {
    const entries = ['terraform destroy', 'docker system prune -af'];
    for (const command of ['terraform destroy', 'terraform -chdir=infra destroy -auto-approve', 'sudo terraform destroy', "bash -c 'terraform destroy'", 'T=terraform; $T destroy']) {
      expect(custom(command, entries), command).toMatchObject({ allowed: false, rule: 'forbidden:terraform destroy', reason: 'matches forbidden command "terraform destroy"' });
    }
    expect(custom('docker system prune --force --all', entries).rule).toBe('forbidden:docker system prune -af');
    expect(custom('docker system prune -f', entries).allowed).toBe(true);
    expect(custom('terraform plan', entries).allowed).toBe(true);
    expect(custom('echo terraform destroy', entries).allowed).toBe(true);
  });

  it('compares paths after resolving them (relative ones from the repository)', () => {
    const entries = ['rm -rf dist'];
    expect(custom('rm -rf ./dist/', entries).rule).toBe('forbidden:rm -rf dist');
    expect(custom('cd dist && rm -rf .', entries).rule).toBe('forbidden:rm -rf dist');
    expect(custom('rm -rf /work/repo/dist', entries).rule).toBe('forbidden:rm -rf dist');
    expect(custom('rm -rf build', entries).allowed).toBe(true);
  });

  it('treats unknown words as possibly matching', () => {
    expect(custom('terraform "$VERB"', ['terraform destroy']).rule).toBe('forbidden:terraform destroy');
  });

  it('refuses everything, loudly, when an entry cannot be understood (no text fallback)', () => {
    const decision = custom('echo fine', ['rm -rf "/']);
    expect(decision).toMatchObject({ allowed: false, rule: 'forbidden:rm -rf "/' });
    expect(decision.reason).toMatch(/cannot be used .*fix the configuration/);
  });

  it('keeps the built-in rules when the list is empty', () => {
    expect(custom('rm -rf /', []).rule).toBe('builtin:wipe-root');
    expect(custom('kubectl delete ns prod', []).rule).toBe('builtin:k8s-namespace-delete');
  });
});

describe('allowed_commands: allow-list mode', () => {
  const allowed = ['kubectl rollout restart deployment', 'kubectl rollout status', 'kubectl get pods -o json', 'az pipelines run'];
  const inMode = (command: string) => judge(command, { allowedCommands: allowed });

  it('allows a command whose first words match an entry, options anywhere', () => {
    for (const command of [
      'kubectl rollout restart deployment/api -n staging',
      'kubectl -n staging rollout restart deploy api',
      'kubectl --context=stage rollout status deploy/api --timeout=120s',
      'kubectl get pods -n staging -o json',
      'az pipelines run --name build --branch main',
      'timeout 60 kubectl rollout status deploy/api',
      'echo restarting && kubectl rollout restart deployment/api && sleep 5',
    ]) {
      expect(inMode(command), command).toMatchObject({ allowed: true });
    }
  });

  it('refuses anything else: other words, missing flags, extra privilege, nested commands', () => {
    for (const command of [
      'kubectl get pods',
      'kubectl rollout undo deploy/api',
      'kubectl rollout restart statefulset/db',
      'sudo kubectl rollout status deploy/api',
      "bash -c 'kubectl get nodes'",
      'kubectl rollout status $(kubectl get deploy -o name)',
      'ls',
    ]) {
      expect(inMode(command), command).toMatchObject({ allowed: false, rule: 'allowlist:not-listed' });
    }
    expect(inMode('kubectl get pods').reason).toBe('"kubectl get pods" is not in safety.allowed_commands');
  });

  it('never widens the built-in rules or the forbidden list', () => {
    expect(judge('kubectl delete ns prod', { allowedCommands: ['kubectl delete'] }).rule).toBe('builtin:k8s-namespace-delete');
    expect(judge('terraform destroy', { allowedCommands: ['terraform'], forbiddenCommands: ['terraform destroy'] }).rule).toBe('forbidden:terraform destroy');
  });

  it("a DevOps action's declared commands: only those run, and safety.allowed_commands must list them too", () => {
    const declaredCommands = { by: 'rollout-status', commands: ['kubectl rollout status deployment/api -n staging'] };
    expect(judge('kubectl rollout status deployment/api -n staging', { declaredCommands }).allowed).toBe(true);
    expect(judge('kubectl rollout restart deployment/api -n staging', { declaredCommands })).toEqual({
      allowed: false,
      rule: 'action:not-listed',
      reason: '"kubectl rollout restart deployment/api -n staging" is not in the commands rollout-status declares',
    });
    expect(judge('kubectl rollout status deployment/api -n staging', { declaredCommands, allowedCommands: ['kubectl get'] }).rule).toBe('allowlist:not-listed');
    expect(judge('kubectl rollout restart deployment/api', { declaredCommands, allowedCommands: ['kubectl rollout'] }).rule).toBe('action:not-listed');
    expect(judge('kubectl get pods', { declaredCommands: { by: 'x', commands: ['kubectl get $WHAT'] } })).toMatchObject({ rule: 'action:invalid-entry' });
  });

  it('an empty list allows only inert shell builtins; null turns the mode off', () => {
    expect(judge('echo hi', { allowedCommands: [] }).allowed).toBe(true);
    expect(judge('npm test', { allowedCommands: [] }).rule).toBe('allowlist:not-listed');
    expect(judge('npm test', { allowedCommands: null }).allowed).toBe(true);
  });

  it('names a sudo entry explicitly to allow sudo', () => {
    expect(judge('sudo systemctl restart app', { allowedCommands: ['sudo systemctl restart'] }).allowed).toBe(true);
  });
});

describe('judgeCommand: limits fail closed', () => {
  it('refuses a command longer than the cap before parsing it', () => {
    expect(judge(`echo ${'a'.repeat(MAX_COMMAND_BYTES)}`)).toMatchObject({ allowed: false, rule: 'unparseable:too-long' });
  });

  it('refuses NUL bytes, syntax errors and deep nesting', () => {
    expect(ruleOf('echo a\0b')).toBe('unparseable:nul-byte');
    expect(ruleOf("echo 'open")).toBe('unparseable:syntax');
    expect(ruleOf(`echo ${'$('.repeat(80)}x${')'.repeat(80)}`)).toBe('unparseable:too-deep');
    expect(ruleOf(`${"bash -c '".repeat(1)}${'eval "'.repeat(3)}true${'"'.repeat(3)}'`)).toBeNull();
  });

  it('refuses a line whose walk explodes (functions calling each other)', () => {
    const chain = Array.from({ length: 9 }, (_, index) => `f${index}() { f${index + 1}; f${index + 1}; f${index + 1}; };`).join(' ');
    expect(ruleOf(`${chain} f9() { true; }; f0`)).toBe('unparseable:too-complex');
    expect(ruleOf(`${chain.replace(/f([1-9])\(\) .*/, '')} f1() { true; }; f0`)).toBeNull();
  });
});

describe('judgeCommand: options', () => {
  it('resolves relative paths from cwd, and ~ from home', () => {
    expect(ruleOf('rm -rf ../shared', { cwd: '/work/repo/packages/web' })).toBeNull();
    expect(ruleOf('rm -rf ../..', { cwd: '/work/repo/packages/web' })).toBe('builtin:wipe-repo');
    expect(ruleOf('rm -rf ../../..', { cwd: '/work/repo/packages/web' })).toBe('builtin:delete-outside-repo');
    expect(ruleOf('rm -rf ~/work/repo/dist', { home: '/home/ci', repoRoot: '/home/ci/work/repo' })).toBeNull();
    expect(ruleOf('rm -rf ~/.cache', { home: '/home/ci', repoRoot: '/home/ci/work/repo' })).toBe('builtin:delete-outside-repo');
    expect(ruleOf('rm -rf ~', { home: null })).toBe('builtin:wipe-home');
  });

  it('protects main and master always, and the branches given', () => {
    expect(ruleOf('git push origin HEAD:develop')).toBeNull();
    expect(ruleOf('git push origin HEAD:develop', { protectedBranches: ['develop'] })).toBe('builtin:protected-branch');
    expect(ruleOf('git push origin HEAD:main', { protectedBranches: ['develop'] })).toBe('builtin:protected-branch');
    expect(ruleOf('git push origin HEAD:release/2.0', { protectedBranches: ['release/*'] })).toBe('builtin:protected-branch');
  });
});
