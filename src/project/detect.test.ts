import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load.js';
import { detectProject } from './detect.js';
import { renderInitConfig } from './init-config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function layout(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-orch-init-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

const scripts = {
  lint: 'eslint .',
  'format:check': 'prettier --check .',
  typecheck: 'tsc --noEmit',
  test: 'vitest run',
  build: 'tsc -p tsconfig.build.json',
};

describe('detectProject', () => {
  it('npm with a lockfile: npm ci and npm run scripts', () => {
    const dir = layout({ 'package.json': JSON.stringify({ scripts }), 'package-lock.json': '{}' });
    expect(detectProject(dir)).toEqual({
      packageManager: 'npm',
      detectedFrom: 'package-lock.json',
      install: 'npm ci',
      lint: 'npm run lint',
      formatCheck: 'npm run format:check',
      typecheck: 'npm run typecheck',
      test: 'npm test',
      build: 'npm run build',
    });
  });

  it('pnpm from its lockfile', () => {
    const dir = layout({ 'package.json': JSON.stringify({ scripts }), 'pnpm-lock.yaml': 'lockfileVersion: 9.0\n' });
    expect(detectProject(dir)).toMatchObject({ packageManager: 'pnpm', install: 'pnpm install --frozen-lockfile', lint: 'pnpm run lint', test: 'pnpm test' });
  });

  it('yarn classic and yarn berry', () => {
    const classic = layout({ 'package.json': JSON.stringify({ scripts }), 'yarn.lock': '' });
    expect(detectProject(classic)).toMatchObject({ packageManager: 'yarn', install: 'yarn install --frozen-lockfile', lint: 'yarn lint', test: 'yarn test' });
    const berry = layout({ 'package.json': JSON.stringify({ scripts }), 'yarn.lock': '', '.yarnrc.yml': 'nodeLinker: node-modules\n' });
    expect(detectProject(berry).install).toBe('yarn install --immutable');
  });

  it('falls back to the tools in devDependencies, the packageManager field, and skips npm\'s placeholder test', () => {
    const dir = layout({
      'package.json': JSON.stringify({
        packageManager: 'pnpm@9.12.0',
        scripts: { test: 'echo "Error: no test specified" && exit 1' },
        devDependencies: { eslint: '^9.0.0', prettier: '^3.0.0', typescript: '^5.9.0' },
      }),
      'tsconfig.json': '{}',
    });
    expect(detectProject(dir)).toEqual({
      packageManager: 'pnpm',
      detectedFrom: 'package.json packageManager',
      install: 'pnpm install --frozen-lockfile',
      lint: 'pnpm exec eslint .',
      formatCheck: 'pnpm exec prettier --check .',
      typecheck: 'pnpm exec tsc --noEmit',
      test: null,
      build: null,
    });
  });
});

describe('renderInitConfig', () => {
  it('writes a valid, commented config with the schema hook and no secrets', () => {
    const dir = layout({ 'package.json': JSON.stringify({ scripts: { test: 'node --test', lint: 'eslint .' } }) });
    const { text, gates } = renderInitConfig(detectProject(dir), { schemaPath: 'node_modules/fleet-orch/schema/config.schema.json' });
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=node_modules/fleet-orch/schema/config.schema.json');
    expect(gates).toEqual(['install', 'lint', 'test']);
    expect(text).toContain('# not found in package.json scripts: format, typecheck, build');
    const config = parseConfigText(text, 'config.yaml', {});
    expect(Object.keys(config.quality_gates)).toEqual(['install', 'lint', 'test']);
    expect(config.quality_gates.install?.command).toBe('npm install');
    expect(config.llm.api_key_env).toBe('OPENAI_API_KEY');
    expect(text).not.toMatch(/sk-|api_key:/);
  });
});
