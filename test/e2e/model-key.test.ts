import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { e2eScope } from '../helpers/e2e.js';
import { sampleConfig } from '../helpers/ts-project.js';

const { project } = e2eScope();

/**
 * The model key may live in a variable whose name looks harmless (`llm.api_key_env: LLM_AUTH`): it is still
 * hidden from every command the run starts, masked in the CI log and redacted from the files it writes.
 */
describe('a model key under a harmless-looking variable name', () => {
  it('is never seen by a gate, masked on GitHub Actions and absent from every log file', async () => {
    const key = ['sk', 'proj', 'x'.repeat(8), 'Q7'.repeat(12)].join('-');
    // The gate fails (and prints the key) only if it can see the key.
    const gate = `node -e "if (process.env.LLM_AUTH) { console.log('saw ' + process.env.LLM_AUTH); process.exit(1) }"`;
    const repo = project(
      sampleConfig({
        quality_gates: { probe: { command: gate, timeout: 60, required: true } },
        llm: { api_key_env: 'LLM_AUTH' },
      }),
    );
    const run = await runCli(['--json'], { cwd: repo.dir, env: cleanEnv({ LLM_AUTH: key, GITHUB_ACTIONS: 'true' }) });

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ outcome: 'green' });
    expect(run.stderr).toContain(`::add-mask::${key}`);
    const logDir = path.join(repo.dir, 'logs');
    for (const file of readdirSync(logDir, { recursive: true, withFileTypes: true })) {
      if (!file.isFile()) continue;
      expect(readFileSync(path.join(file.parentPath, file.name), 'utf8'), file.name).not.toContain(key);
    }
  });
});
