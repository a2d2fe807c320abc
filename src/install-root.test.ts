import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installRoot, packageVersion } from './install-root.js';

describe('installRoot', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function tree(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-orch-root-'));
    dirs.push(dir);
    return dir;
  }

  it('finds the package from a module at any depth (src/, dist/, dist/bin/chunks/)', () => {
    const root = tree();
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'fleet-orch', version: '1.2.3' }));
    mkdirSync(path.join(root, 'dist', 'bin', 'chunks'), { recursive: true });
    expect(installRoot(path.join(root, 'dist', 'bin', 'chunks', 'demo-X.js'))).toBe(root);
    expect(installRoot(path.join(root, 'src', 'install-root.ts'))).toBe(root);
  });

  it('skips package.json files of other packages on the way up', () => {
    const root = tree();
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'fleet-orch' }));
    mkdirSync(path.join(root, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules', 'dep', 'package.json'), JSON.stringify({ name: 'dep' }));
    expect(installRoot(path.join(root, 'node_modules', 'dep', 'index.js'))).toBe(root);
  });

  it('says where it looked when there is no installation above', () => {
    const dir = tree();
    expect(() => installRoot(path.join(dir, 'x.js'))).toThrow(/cannot find the fleet-orch installation above/);
  });

  it('reads this checkout as the installation', () => {
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
