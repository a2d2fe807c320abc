import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testEnv, testShell, type TestShellOptions } from '../../test/helpers/shell.js';
import { MemoryAuditLog } from './audit-log.js';
import { CommandDenied, type GuardedShell } from './guarded-shell.js';
import type { ShellRequest } from './types.js';

/** The guarded shell's confinement to the repository and the policy options it passes on. */
let dir: string;
let audit: MemoryAuditLog;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-shell-policy-'));
  audit = new MemoryAuditLog();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function makeShell(options: TestShellOptions = {}): GuardedShell {
  return testShell(dir, { audit, ...options }).shell;
}

const request = (command: string, extra: Partial<ShellRequest> = {}): ShellRequest => ({
  command,
  cwd: dir,
  actor: 'test:shell',
  timeoutMs: 20_000,
  ...extra,
});

describe('GuardedShell.run: repository confinement and policy options', () => {
  it('refuses a working directory outside the repository, audited, whatever the command', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'fleet-outside-'));
    try {
      const error = (await makeShell()
        .run(request('echo hi', { cwd: outside, actor: 'gate:lint' }))
        .catch((caught: unknown) => caught)) as CommandDenied;
      expect(error).toBeInstanceOf(CommandDenied);
      expect(error.rule).toBe('builtin:cwd-outside-repo');
      const parent = (await makeShell().run(request('pwd', { cwd: path.join(dir, '..') })).catch((caught: unknown) => caught)) as CommandDenied;
      expect(parent.rule).toBe('builtin:cwd-outside-repo');
      expect(audit.entries.map((entry) => [entry.actor, entry.verdict, entry.rule])).toEqual([
        ['gate:lint', 'denied', 'builtin:cwd-outside-repo'],
        ['test:shell', 'denied', 'builtin:cwd-outside-repo'],
      ]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('runs in a subdirectory, and judges relative paths from there', async () => {
    const sub = path.join(dir, 'packages', 'web');
    await makeShell().run(request(`mkdir -p '${sub}'`));
    expect((await makeShell().run(request('pwd', { cwd: sub }))).output).toBe(`${sub}\n`);
    const error = (await makeShell().run(request('rm -rf ../../..', { cwd: sub })).catch((caught: unknown) => caught)) as CommandDenied;
    expect(error.rule).toBe('builtin:delete-outside-repo');
  });

  it('allow-list mode: only listed commands run, built-in rules still apply', async () => {
    const shell = makeShell({ allowedCommands: ['echo', 'node --version'] });
    expect((await shell.run(request('echo listed'))).output).toBe('listed\n');
    expect((await shell.run(request('node --version'))).exitCode).toBe(0);
    const notListed = (await shell.run(request('node -e "1"')).catch((caught: unknown) => caught)) as CommandDenied;
    expect(notListed.rule).toBe('allowlist:not-listed');
    const builtin = (await shell.run(request('echo x > /etc/hosts')).catch((caught: unknown) => caught)) as CommandDenied;
    expect(builtin.rule).toBe('builtin:write-outside-repo');
  });

  it('protects the configured branches besides main and master', async () => {
    const shell = makeShell({ protectedBranches: ['release/*'] });
    for (const command of ['git push origin HEAD:release/1.2', 'git push origin HEAD:main', 'git branch -D master']) {
      const error = (await shell.run(request(command)).catch((caught: unknown) => caught)) as CommandDenied;
      expect(error.rule, command).toBe('builtin:protected-branch');
    }
  });

  it("knows the home directory from the shell's environment", async () => {
    const home = path.join(dir, '..');
    const error = (await makeShell({ env: { ...testEnv(dir), HOME: home } })
      .run(request('rm -rf ~/'))
      .catch((caught: unknown) => caught)) as CommandDenied;
    expect(error.rule).toBe('builtin:wipe-home');
  });
});
