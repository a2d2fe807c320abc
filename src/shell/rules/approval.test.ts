import { mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_FORBIDDEN_COMMANDS } from '../../config/schema.js';
import { Redactor } from '../../secrets/redact.js';
import { MemoryAuditLog } from '../audit-log.js';
import { CommandDenied, GuardedShell } from '../guarded-shell.js';
import { approvalDenial, type ApprovalState } from './approval.js';

/** The approval rule is enforced by the guarded shell itself, whatever the caller (action code, smoke test) does. */

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'fleet-approval-')));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function shell(approval: ApprovalState | null, dryRun = false): { shell: GuardedShell; audit: MemoryAuditLog } {
  const audit = new MemoryAuditLog();
  const env = { PATH: process.env['PATH'], HOME: dir };
  return {
    audit,
    shell: new GuardedShell({ repoRoot: dir, forbiddenCommands: DEFAULT_FORBIDDEN_COMMANDS, redactor: new Redactor(), audit, dryRun, env, approval }),
  };
}

const production = { environment: 'production', required: true, approved: false };
const request = (command: string, mutates: boolean) => ({ command, cwd: dir, actor: 'devops:test', timeoutMs: 5000, mutates });

describe('approval-required', () => {
  it('refuses only mutating requests, only without approval', () => {
    expect(approvalDenial(production, { mutates: true })).toEqual({
      allowed: false,
      rule: 'builtin:approval-required',
      reason: 'environment "production" requires approval: nothing that changes it runs without --approve-production',
    });
    expect(approvalDenial(production, { mutates: false })).toBeNull();
    expect(approvalDenial(production, {})).toBeNull();
    expect(approvalDenial({ ...production, approved: true }, { mutates: true })).toBeNull();
    expect(approvalDenial({ ...production, required: false }, { mutates: true })).toBeNull();
    expect(approvalDenial(null, { mutates: true })).toBeNull();
  });

  it('the shell refuses a mutating command on production without the flag, before anything runs, and audits it', async () => {
    const { shell: guarded, audit } = shell(production);
    const run = guarded.run(request('touch deployed.txt', true));
    await expect(run).rejects.toBeInstanceOf(CommandDenied);
    await expect(run).rejects.toMatchObject({ rule: 'builtin:approval-required' });
    expect(readdirSync(dir)).toEqual([]);
    expect(audit.entries).toMatchObject([{ verdict: 'denied', rule: 'builtin:approval-required', command: 'touch deployed.txt' }]);
  });

  it('refuses it in dry-run too (the verdict comes before printing), and lets reads run', async () => {
    const { shell: guarded } = shell(production, true);
    await expect(guarded.run(request('touch deployed.txt', true))).rejects.toMatchObject({ rule: 'builtin:approval-required' });
    const read = await guarded.run(request('echo reading', false));
    expect(read).toMatchObject({ verdict: 'allowed', exitCode: 0, output: 'reading\n' });
  });

  it('runs it with approval; a forbidden command stays forbidden whatever the approval', async () => {
    const { shell: guarded } = shell({ ...production, approved: true });
    expect((await guarded.run(request('touch deployed.txt', true))).exitCode).toBe(0);
    expect(readdirSync(dir)).toEqual(['deployed.txt']);
    await expect(guarded.run(request('az group delete --name fleet-rg --yes', true))).rejects.toMatchObject({ rule: 'builtin:az-delete' });
  });
});

describe('the never-rules the DevOps agent relies on (built in)', () => {
  it.each([
    ['az group delete -n fleet-rg', 'builtin:az-delete'],
    ['az aks delete --name fleet-aks --resource-group fleet-rg', 'builtin:az-delete'],
    ['az acr repository delete --name fleetacr --image app:1', 'builtin:az-delete'],
    ['az keyvault secret set --vault-name kv --name db --value x', 'builtin:secret-write'],
    ['az ad sp credential reset --id 123', 'builtin:secret-write'],
    ['az acr credential renew --name fleetacr --password-name password', 'builtin:secret-write'],
    ['kubectl delete namespace fleet-staging', 'builtin:k8s-namespace-delete'],
    ['kubectl delete deployment fleet-api -n fleet-staging', 'builtin:k8s-destructive'],
    ['kubectl create secret generic db --from-literal=password=x', 'builtin:secret-write'],
  ])('%s → %s', async (command, rule) => {
    const { shell: guarded } = shell({ ...production, approved: true });
    await expect(guarded.run(request(command, true))).rejects.toMatchObject({ rule });
  });
});
