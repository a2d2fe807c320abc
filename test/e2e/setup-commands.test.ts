import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { e2eScope } from '../helpers/e2e.js';
import { runCli } from '../helpers/cli.js';
import { llmAt, sampleConfig } from '../helpers/ts-project.js';

/** `init` and `doctor` through the real binary, on real folders and repositories. */

const { fakeLlm, project, tempDir } = e2eScope();

interface Check {
  name: string;
  ok: boolean;
  required: boolean;
  fix: string | null;
}

describe('fleet-orch init', () => {
  it('writes a config for the detected scripts, refuses to overwrite without --force', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ scripts: { lint: 'eslint .', test: 'vitest run', build: 'tsc' } }),
    );
    writeFileSync(path.join(dir, 'pnpm-lock.yaml'), 'lockfileVersion: 9.0\n');

    const first = await runCli(['init'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('wrote config.yaml: gates install, lint, test, build; pnpm (from pnpm-lock.yaml)');
    const written = readFileSync(path.join(dir, 'config.yaml'), 'utf8');
    expect(written).toMatch(/^# yaml-language-server: \$schema=.*schema\/config\.schema\.json\n/);
    expect(written).toContain('"pnpm install --frozen-lockfile"');
    const schemaPath = /\$schema=(\S+)/.exec(written)?.[1] ?? '';
    expect(existsSync(path.resolve(dir, schemaPath))).toBe(true);
    const validate = await runCli(['config', 'validate'], { cwd: dir });
    expect(validate.code).toBe(0);

    const again = await runCli(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe('fleet-orch: config.yaml already exists; pass --force to overwrite it (exit 2)');
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'node --test' } }));
    const forced = await runCli(['init', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, 'config.yaml'), 'utf8')).not.toContain('lint:');
  });

  it('says so when there is no package.json', async () => {
    const run = await runCli(['init'], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no package.json here');
  });
});

describe('fleet-orch doctor', () => {
  it('passes in a ready repository with a reachable model', async () => {
    const llm = await fakeLlm([]);
    const repo = project(sampleConfig({ llm: llmAt(llm.baseUrl) }));
    repo.git('remote', 'add', 'origin', 'https://example.invalid/fleet.git');
    const run = await runCli(['doctor', '--json'], { cwd: repo.dir });
    expect(run.code).toBe(0);
    const checks = JSON.parse(run.stdout) as Check[];
    expect(checks.map((check) => [check.name, check.ok])).toEqual([
      ['git repository', true],
      ['clean working tree', true],
      ['git remote', true],
      ['node version', true],
      ['config', true],
      ['model', true],
      ['log directory', true],
    ]);
    expect(llm.requests.some((request) => request.path.endsWith('/models'))).toBe(true);
  });

  it('fails with a fix for each problem: dirty tree, unreachable model, kubectl and docker missing, bad config', async () => {
    const build = { primary: 'docker build -t fleet-api:1.0 .' };
    const repo = project(
      sampleConfig({
        llm: llmAt('http://127.0.0.1:9/v1'),
        deployment: { environments: { staging: { smoke_tests: ['kubectl get pods -n staging'], image_build: build } } },
      }),
    );
    writeFileSync(path.join(repo.dir, 'scratch.txt'), 'local edit\n');
    // A PATH with git only: this machine may have kubectl installed.
    const bin = tempDir();
    symlinkSync(execFileSync('which', ['git'], { encoding: 'utf8' }).trim(), path.join(bin, 'git'));
    const run = await runCli(['doctor', '--json'], { cwd: repo.dir, env: { PATH: bin, HOME: repo.dir } });
    expect(run.code).toBe(1);
    const checks = Object.fromEntries((JSON.parse(run.stdout) as Check[]).map((check) => [check.name, check]));
    expect(checks['clean working tree']).toMatchObject({ ok: false, required: true });
    expect(checks['model']).toMatchObject({ ok: false, required: true });
    expect(checks['kubectl']).toMatchObject({ ok: false, required: true });
    expect(checks['docker']).toMatchObject({ ok: false, required: true, detail: 'docker is needed by staging.image_build but is not on PATH', fix: 'install Docker on the agent' });
    expect(checks['git remote']).toMatchObject({ ok: false, required: false });
    for (const check of Object.values(checks)) if (!check.ok) expect(check.fix).toBeTruthy();

    writeFileSync(path.join(repo.dir, 'config.yaml'), stringify({ quality_gates: {} }));
    const table = await runCli(['doctor'], { cwd: repo.dir });
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/FAIL\s+config\s+.*quality_gates: at least one gate/);
    expect(table.stderr).toContain('required check(s) failed');
  });
});
