import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document } from 'yaml';
import { ConfigError } from '../errors.js';
import { describeValue, formatIssue } from './format-issue.js';
import { interpolate } from './interpolate.js';
import { Config, DEFAULT_FORBIDDEN_COMMANDS, type EnvironmentConfig } from './schema.js';

export interface LoadedConfig {
  readonly config: Config;
  readonly path: string;
}

/** Reads, interpolates and validates a config file. Every problem becomes one `file:line:col: path: …` line. */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  let source: string;
  try {
    source = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? 'error'})`;
    throw new ConfigError([`${file}: config file ${why} (pass --config <file>, or run in a repository with a config.yaml)`]);
  }
  const { config, doc, at } = parseConfigDocument(source, file, env);
  const problems = await commandEntryProblems(config, doc, at);
  if (problems.length > 0) throw new ConfigError(problems);
  return { config, path: absolute };
}

/**
 * `safety.forbidden_commands` / `allowed_commands` entries are matched by meaning, so each must parse as a
 * command line. The shell parser is loaded only here, not by every command that touches the schema.
 */
async function commandEntryProblems(config: Config, doc: Document, at: (offset: number | undefined) => string): Promise<string[]> {
  const lists = [['forbidden_commands', config.safety.forbidden_commands], ['allowed_commands', config.safety.allowed_commands ?? []]] as const;
  const known = new Set(DEFAULT_FORBIDDEN_COMMANDS);
  if (lists.every(([, entries]) => entries.every((entry) => known.has(entry)))) return [];
  const { entryProblem } = await import('../shell/command-entries.js');
  const problems: string[] = [];
  for (const [key, entries] of lists) {
    entries.forEach((entry, index) => {
      const problem = known.has(entry) ? null : entryProblem(entry);
      if (problem === null) return;
      const where = at(offsetOf(doc, ['safety', key, index]));
      problems.push(`${where}: safety.${key}.${index}: ${problem}, found ${describeValue(entry)}`);
    });
  }
  return problems;
}

/** The pure part of loadConfig, for tests and for `config validate` on stdin one day. */
export function parseConfigText(source: string, label: string, env: NodeJS.ProcessEnv): Config {
  return parseConfigDocument(source, label, env).config;
}

function parseConfigDocument(
  source: string,
  label: string,
  env: NodeJS.ProcessEnv,
): { config: Config; doc: Document; at: (offset: number | undefined) => string } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined): string => {
    if (offset === undefined) return label;
    const { line, col } = lineCounter.linePos(offset);
    return `${label}:${line}:${col}`;
  };

  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((error) => `${at(error.pos[0])}: invalid YAML: ${firstLine(error.message)}`));
  }

  const interpolationErrors = interpolateDocument(doc, env, at);
  if (interpolationErrors.length > 0) throw new ConfigError(interpolationErrors);

  const raw: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError([`${label}: expected a mapping of settings at the top level, found ${Array.isArray(raw) ? 'a list' : typeof raw}`]);
  }
  const parsed = Config.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const offset =
          issue.code === 'unrecognized_keys' ? keyOffset(doc, issue.path, issue.keys[0]) : offsetOf(doc, issue.path);
        return `${at(offset)}: ${formatIssue(issue, raw)}`;
      }),
    );
  }
  return { config: parsed.data, doc, at };
}

/** `-e <name>` must name an environment of the config. */
export function selectEnvironment(config: Config, name: string | undefined, label: string): EnvironmentConfig | null {
  if (name === undefined) return null;
  const environment = config.deployment.environments[name];
  if (environment === undefined) {
    const known = Object.keys(config.deployment.environments);
    const hint = known.length > 0 ? `defined: ${known.join(', ')}` : 'no environments are defined under deployment.environments';
    throw new ConfigError([`${label}: unknown environment "${name}" (${hint})`]);
  }
  return environment;
}

/** Production-like environments need --approve-production unless the config says otherwise. */
export function requiresApproval(name: string, environment: EnvironmentConfig): boolean {
  return environment.requires_approval ?? /^prod/i.test(name);
}

function interpolateDocument(doc: Document, env: NodeJS.ProcessEnv, at: (offset: number | undefined) => string): string[] {
  const errors: string[] = [];
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const result = interpolate(node.value, env);
      if (result.ok) node.value = result.value;
      else {
        const names = result.missing.join(', ');
        errors.push(
          `${at(node.range?.[0])}: ${keyPath(ancestors)}: environment variable ${names} is not set (use \${NAME:-default} for an optional value)`,
        );
      }
    },
  });
  return errors;
}

function keyPath(ancestors: readonly unknown[]): string {
  const parts: string[] = [];
  ancestors.forEach((ancestor, index) => {
    if (isPair(ancestor)) parts.push(String(isScalar(ancestor.key) ? ancestor.key.value : ancestor.key));
    else if (isSeq(ancestor)) {
      const child = ancestors[index + 1] ?? null;
      const position = child === null ? -1 : ancestor.items.indexOf(child as never);
      if (position >= 0) parts.push(String(position));
    }
  });
  return parts.join('.') || '(top level)';
}

/** Where a key of a mapping is written (for "unknown key" problems). */
function keyOffset(doc: Document, mapPath: readonly PropertyKey[], key: string | undefined): number | undefined {
  const map = doc.getIn(mapPath as (string | number)[], true);
  if (isMap(map)) {
    const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
    if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
  }
  return offsetOf(doc, mapPath);
}

function offsetOf(doc: Document, issuePath: readonly PropertyKey[]): number | undefined {
  for (let length = issuePath.length; length >= 0; length -= 1) {
    const node = doc.getIn(issuePath.slice(0, length) as (string | number)[], true);
    if (node && typeof node === 'object' && 'range' in node) {
      const range = (node as { range?: [number, number, number] }).range;
      if (range) return range[0];
    }
    if (isScalar(node) && node.range) return node.range[0];
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}
