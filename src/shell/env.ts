import { SECRET_ENV_NAME } from '../secrets/patterns.js';

/**
 * The environment a command sees: the base environment without secret-looking variables (unless the
 * configuration passes them on), plus what the request adds.
 *
 * `BASH_ENV`, `ENV` and exported bash functions are dropped as well: they make bash run code the policy
 * never saw (`bash -c` sources `$BASH_ENV`; an exported `BASH_FUNC_rm%%` replaces `rm`). So are the variables
 * that change what a line means from outside it (`CDPATH` moves `cd`, `PS4` runs code under `set -x`, shell options).
 */
export interface ChildEnvOptions {
  readonly base: NodeJS.ProcessEnv;
  /** Names of secret-looking variables that may still pass (exact names). */
  readonly passEnv?: readonly string[];
  readonly extra?: Readonly<Record<string, string>>;
}

const CODE_INJECTING_NAMES = /^(BASH_ENV|ENV|CDPATH|PS4|PROMPT_COMMAND|SHELLOPTS|BASHOPTS|GLOBIGNORE)$|^BASH_FUNC_/;

export function isScrubbedName(name: string): boolean {
  return SECRET_ENV_NAME.test(name) || CODE_INJECTING_NAMES.test(name);
}

export function buildChildEnv(options: ChildEnvOptions): Record<string, string> {
  const passed = new Set(options.passEnv ?? []);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.base)) {
    if (value === undefined) continue;
    if (isScrubbedName(name) && !passed.has(name)) continue;
    env[name] = value;
  }
  return { ...env, ...options.extra };
}

/** Names dropped from the base environment, for diagnostics (never the values). */
export function scrubbedNames(options: ChildEnvOptions): string[] {
  const passed = new Set(options.passEnv ?? []);
  return Object.keys(options.base)
    .filter((name) => options.base[name] !== undefined && isScrubbedName(name) && !passed.has(name))
    .sort();
}
