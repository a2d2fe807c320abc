/**
 * `${VAR}` interpolation of config strings from the environment. `${VAR:-fallback}` gives a default,
 * `$${VAR}` is a literal `${VAR}`. An unset variable without a default is an error: a silently empty
 * endpoint or command is worse than a clear message.
 */
const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export type InterpolationResult = { ok: true; value: string } | { ok: false; missing: string[] };

export function interpolate(text: string, env: NodeJS.ProcessEnv): InterpolationResult {
  const missing: string[] = [];
  const value = text.replace(REFERENCE, (match, escaped: string, name: string, fallback: string | undefined) => {
    if (escaped) return match.slice(1);
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    missing.push(name);
    return match;
  });
  return missing.length > 0 ? { ok: false, missing } : { ok: true, value };
}
