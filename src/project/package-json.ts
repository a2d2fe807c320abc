import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What a project's package.json says about its own tooling. The parsed package.json is untrusted input of
 * unknown shape, so every accessor checks types instead of assuming them.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The parsed package.json at the repository root, or null when it is missing or not valid JSON. */
export function readPackageJson(repoRoot: string): unknown | null {
  try {
    return JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as unknown;
  } catch {
    return null;
  }
}

/** The npm script of that name when it is a non-empty string. */
export function packageScript(packageJson: unknown, name: string): string | null {
  if (!isRecord(packageJson) || !isRecord(packageJson.scripts)) return null;
  const script = packageJson.scripts[name];
  return typeof script === 'string' && script.trim() !== '' ? script : null;
}

/** Whether the package is listed in dependencies or devDependencies. */
export function hasPackage(packageJson: unknown, name: string): boolean {
  if (!isRecord(packageJson)) return false;
  return ['devDependencies', 'dependencies'].some((field) => {
    const deps = packageJson[field];
    return isRecord(deps) && typeof deps[name] === 'string';
  });
}
