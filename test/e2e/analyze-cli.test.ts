import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2eScope } from '../helpers/e2e.js';
import { REPO_ROOT, cleanEnv, runCli } from '../helpers/cli.js';
import { analysisJson } from '../../src/analysis/analysis-json.js';
import { analyzeLogFile } from '../../src/analysis/analyze-stream.js';
import { THREADED_MIN_BYTES } from '../../src/analysis/analyze-threaded.js';

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

  it('analyses a log big enough for two threads (a worker cleans, the main thread analyses) exactly as one thread would', async () => {
    const repo = tempDir();
    mkdirSync(path.join(repo, 'src'));
    writeFileSync(path.join(repo, 'src', 'route.ts'), 'export {};\n');
    const noise = Array.from(
      { length: 2000 },
      (_, index) => `2026-11-22T08:00:00.1234567Z \u001b[32m✓\u001b[39m test/unit/vehicle-${index}.test.ts > tracks ${index} 3ms`,
    ).join('\n');
    const failure = `src/route.ts(48,22): error TS2345: Argument of type 'string | undefined' is not assignable to parameter of type 'string'.`;
    const log = path.join(repo, 'big.log');
    const parts: string[] = [];
    for (let size = 0; size < THREADED_MIN_BYTES + 1_000_000; size += Buffer.byteLength(noise) + 1) parts.push(noise);
    parts.splice(parts.length >> 1, 0, failure);
    writeFileSync(log, `${parts.join('\n')}\n`);

    const run = await runCli(['analyze', log, '--gate', 'typecheck', '--exit-code', '2', '--json'], { cwd: repo, env: cleanEnv() });
    expect(run.code).toBe(0);
    const expected = await analyzeLogFile(log, {
      gate: 'typecheck',
      command: '',
      exitCode: 2,
      signal: null,
      timedOut: false,
      repoRoot: repo,
      maxExcerptTokens: 2000,
      threads: false,
    });
    expect(JSON.parse(run.stdout)).toEqual(analysisJson(expected));
    expect(expected.excerpt).toContain('error TS2345');
    expect(expected.locations).toContainEqual(expect.objectContaining({ file: 'src/route.ts', line: 48, column: 22 }));
  });

  it('says so for a missing file, exit 2', async () => {
    const run = await runCli(['analyze', 'nope.log'], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('fleet-orch: cannot read the log file nope.log (exit 2)');
  });
});
