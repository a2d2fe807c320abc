import { isScriptCarrier, shapeOf, type CommandShape } from './command-shape.js';
import { parseShell } from './parse.js';
import { analyzeScript } from './walker.js';

/**
 * A `safety.forbidden_commands` / `safety.allowed_commands` entry, parsed like a command line and reduced to
 * the shapes of the commands it names. An entry must be a literal command: no variables, no substitutions.
 */
export type CompiledEntry =
  | { readonly ok: true; readonly entry: string; readonly shapes: readonly CommandShape[] }
  | { readonly ok: false; readonly entry: string; readonly reason: string };

const cache = new Map<string, CompiledEntry>();
const MAX_CACHED = 512;

export function compileEntry(entry: string, repoRoot: string): CompiledEntry {
  const key = `${repoRoot}\0${entry}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const compiled = compile(entry.trim(), repoRoot);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

/** Why an entry cannot be used, or null when it is fine (for configuration validation). */
export function entryProblem(entry: string): string | null {
  const compiled = compileEntry(entry, '/repository');
  return compiled.ok ? null : compiled.reason;
}

function compile(entry: string, repoRoot: string): CompiledEntry {
  const parsed = parseShell(entry);
  if (!parsed.ok) return { ok: false, entry, reason: `expected a shell command line (${parsed.reason})` };
  const analysis = analyzeScript(parsed.script, { cwd: repoRoot, home: null });
  const unknown = analysis.findings.find((finding) => finding.rule.startsWith('unparseable:dynamic') || finding.rule === 'unparseable:too-complex');
  const facts = analysis.commands.filter((fact) => !isScriptCarrier(fact));
  if (unknown || facts.some((fact) => fact.args.some((arg) => arg.value === null))) {
    return { ok: false, entry, reason: 'expected a literal command (no variables or command substitutions)' };
  }
  if (facts.length === 0) return { ok: false, entry, reason: 'expected a command' };
  return { ok: true, entry, shapes: facts.map(shapeOf) };
}
