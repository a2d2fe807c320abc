import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SafetyConfig } from '../config/schema.js';
import { Redactor } from '../secrets/redact.js';
import { MemoryAuditLog } from './audit-log.js';
import { shellFromConfig } from './from-config.js';
import { CommandDenied } from './guarded-shell.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fleet-shell-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function shell(declared: { by: string; commands: string[] } | null) {
  const safety = SafetyConfig.parse({ allowed_commands: ['node --version'] });
  const env = { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: dir };
  return shellFromConfig(safety, { repoRoot: dir, redactor: new Redactor(), audit: new MemoryAuditLog(), dryRun: false, env, declaredCommands: declared });
}

const run = (command: string, declared: { by: string; commands: string[] } | null) =>
  shell(declared).run({ command, cwd: dir, actor: 'test', timeoutMs: 20_000 });

describe('shellFromConfig: safety.allowed_commands', () => {
  it("narrows the DevOps agent's shells, whose actions declare their commands", async () => {
    const declared = { by: 'raise-node-heap', commands: ['node --version', 'node -p 1'] };
    expect((await run('node --version', declared)).exitCode).toBe(0);
    await expect(run('node -p 1', declared)).rejects.toThrow(CommandDenied);
    await expect(run('node -p 1', declared)).rejects.toMatchObject({ rule: 'allowlist:not-listed' });
  });

  it('leaves the shells of gates, fixers and git to the built-in rules and the forbidden commands', async () => {
    expect((await run('node -p 1', null)).output).toBe('1\n');
  });
});
