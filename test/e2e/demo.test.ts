import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanEnv, REPO_ROOT, runCli } from '../helpers/cli.js';
import { runGit } from '../helpers/git.js';

describe('fleet-orch demo', () => {
  it('repairs the bundled sample project with the built-in fixer, no key needed', async () => {
    const run = await runCli(['demo', '--json'], { cwd: REPO_ROOT, env: cleanEnv() });
    const dir = /sample project copied to (\S+)/.exec(run.stderr)?.[1];
    expect(dir).toBeDefined();
    try {
      expect(run.code).toBe(0);
      const summary = JSON.parse(run.stdout.trim()) as { outcome: string; commits: unknown[]; workBranch: string; backupBranch: string };
      expect(summary.outcome).toBe('green');
      expect(summary.commits).toHaveLength(1);
      expect(run.stderr).toContain('no model configured');
      expect(run.stderr).toContain('running the built-in format fixer');
      const branches = runGit(dir ?? '', ['branch', '--format=%(refname:short)']).split('\n').filter(Boolean);
      expect(branches).toEqual(expect.arrayContaining(['main', summary.workBranch, summary.backupBranch]));
      expect(runGit(dir ?? '', ['log', '-1', '--format=%s'])).toMatch(/^fix\(format\)/);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });
});
