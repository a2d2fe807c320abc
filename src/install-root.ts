import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'fleet-orch';

/**
 * This installation's root (where package.json, examples/ and schema/ live). Found by walking up from this
 * module rather than by a fixed `../..`, because the same code runs from src/ (tests), dist/ (tsc) and the
 * dist/bin/ bundle, whose chunks sit at a different depth.
 */
export function installRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = path.dirname(from);
  for (;;) {
    if (isOwnPackage(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} installation above ${from}`);
    dir = parent;
  }
}

function isOwnPackage(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The package version from package.json; 0.0.0 when it cannot be read. */
export function packageVersion(): string {
  try {
    const text = readFileSync(path.join(installRoot(), 'package.json'), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
