import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2eScope } from '../helpers/e2e.js';
import { REPO_ROOT, cleanEnv, runCli } from '../helpers/cli.js';

/** `fleet-orch analyze` through the real binary on a fixture log. */

const { tempDir } = e2eScope();
const fixture = (name: string) => path.join(REPO_ROOT, 'test', 'fixtures', 'logs', name);

describe('fleet-orch analyze', () => {
  it('prints exactly one JSON object with class, excerpt, files, locations and stats', async () => {
    const repo = tempDir();
    mkdirSync(path.join(repo, 'src'));
    writeFileSync(path.join(repo, 'src', 'user.ts'), 'export {};\n');
    writeFileSync(path.join(repo, 'src', 'index.ts'), 'export {};\n');
    const run = await runCli(['analyze', fixture('tsc-real.log'), '--gate', 'typecheck', '--command', 'npx tsc', '--repo', repo, '--json'], {
      cwd: repo,
      env: cleanEnv({ CI_LOG_EXIT_CODE: '2' }),
    });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] ?? '') as {
      class: string;
      excerpt: string;
      files: string[];
      locations: { path: string; line: number; column: number | null; message: string }[];
      stats: { bytes: number; lines: number; excerpt_tokens: number };
    };
    expect(Object.keys(result)).toEqual(['class', 'excerpt', 'files', 'locations', 'stats']);
    expect(result.class).toBe('typecheck');
    expect(result.excerpt).toContain('gate "typecheck" (npx tsc): exit code 2');
    expect(result.excerpt).toContain('TS2322');
    expect(result.files.sort()).toEqual(['src/index.ts', 'src/user.ts']);
    expect(result.locations).toContainEqual(expect.objectContaining({ path: 'src/user.ts', line: 4, column: 3 }));
    expect(result.stats.bytes).toBeGreaterThan(0);
    expect(result.stats.excerpt_tokens).toBeLessThanOrEqual(2000);
  });

  it('reads standard input and prints the class and excerpt for a person', async () => {
    const dir = tempDir();
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'fleet-orch.js'), 'analyze', '-', '--exit-code', '1'], {
      cwd: dir,
      input: readFileSync(fixture('vitest-real.log')),
      env: cleanEnv(),
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('class: test');
    expect(run.stdout).toContain('AssertionError');
  });

  it('says so for a missing file, exit 2', async () => {
    const run = await runCli(['analyze', 'nope.log'], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('fleet-orch: cannot read the log file nope.log (exit 2)');
  });
});
