import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { e2eScope } from '../helpers/e2e.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { tempRepo } from '../helpers/git.js';

/**
 * Built-in fixers on real broken projects with the real tools: npm re-syncing a lockfile (a `file:`
 * dependency, so no registry is needed) and prettier from this installation's node_modules. No model.
 */

const { later } = e2eScope();

function repoWith(files: Record<string, string>) {
  const repo = tempRepo(files);
  later(() => repo.cleanup());
  return repo;
}

interface Report {
  outcome: string;
  commits: { subject: string }[];
}

describe('built-in fixers', () => {
  it('re-syncs an npm lockfile that is out of sync with package.json', async () => {
    const repo = repoWith({
      'vendor/fleet-units/package.json': JSON.stringify({ name: 'fleet-units', version: '1.0.0' }),
      'package.json': JSON.stringify({ name: 'fleet-app', version: '1.0.0', private: true }),
      '.gitignore': 'node_modules/\nlogs/\n',
      'config.yaml': stringify({
        quality_gates: { install: { command: 'npm ci --ignore-scripts --no-audit --no-fund', timeout: 120 } },
      }),
    });
    // A lockfile for the package.json as it was, then a dependency added without updating it.
    execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: repo.dir, stdio: 'ignore' });
    repo.commit('lockfile');
    repo.commit('add a dependency', {
      'package.json': JSON.stringify({ name: 'fleet-app', version: '1.0.0', private: true, dependencies: { 'fleet-units': 'file:./vendor/fleet-units' } }),
    });

    const run = await runCli(['--json'], { cwd: repo.dir, timeoutMs: 120_000 });

    expect(run.stderr).toContain('running the built-in dependency fixer: npm install --package-lock-only');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout.trim()) as Report;
    expect(report.commits.map((commit) => commit.subject)).toEqual(['fix(dependency): make gate "install" pass in package-lock.json']);
    expect(repo.read('package-lock.json')).toContain('"node_modules/fleet-units"');
  }, 120_000);

  it('runs prettier from the project on the files the log names, when there is no format script', async () => {
    const repo = repoWith({
      'package.json': JSON.stringify({ name: 'fleet-app', private: true, devDependencies: { prettier: '3.10.1' } }),
      '.gitignore': 'node_modules\nlogs/\n',
      'src/route.js': 'export const route = {from:"depot",to:"customer"}\n',
      'src/ok.js': 'export const ok = true;\n',
      'config.yaml': stringify({
        quality_gates: { format: { command: 'npx --no-install prettier --check src', timeout: 120 } },
      }),
    });
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(repo.dir, 'node_modules'));
    writeFileSync(path.join(repo.dir, '.prettierrc.json'), '{ "singleQuote": true }\n');
    repo.commit('prettier config');

    const run = await runCli(['--json'], { cwd: repo.dir, timeoutMs: 120_000 });

    expect(run.stderr).toContain('running the built-in format fixer: npx --no-install prettier --write src/route.js');
    expect(run.code).toBe(0);
    expect(repo.read('src/route.js')).toBe("export const route = { from: 'depot', to: 'customer' };\n");
  }, 120_000);
});
