import type { z } from 'zod';

/** Renders one zod issue as `path: expected …, found …` — the key path, what was expected, what was found. */
export function formatIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  const found = describeValue(valueAt(input, issue.path));
  switch (issue.code) {
    case 'invalid_type':
      if (found === 'nothing') return `${path}: expected ${expectedName(issue.expected)}, found nothing (the key is required)`;
      return `${path}: expected ${expectedName(issue.expected)}, found ${found}`;
    case 'invalid_value':
      return `${path}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}, found ${found}`;
    case 'unrecognized_keys':
      return `${path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling; see schema/config.schema.json)`;
    case 'too_small':
      return `${path}: expected ${issue.origin === 'string' ? 'a non-empty string' : `a value >= ${String(issue.minimum)}`}${tooFoundSuffix(found)}`;
    case 'too_big':
      return `${path}: expected a value <= ${String(issue.maximum)}${tooFoundSuffix(found)}`;
    case 'invalid_format':
      return `${path}: expected a valid ${issue.format}, found ${found}`;
    default:
      return `${path}: ${issue.message}, found ${found}`;
  }
}

function expectedName(expected: string): string {
  const names: Record<string, string> = { record: 'a mapping', object: 'a mapping', array: 'a list', string: 'text' };
  return names[expected] ?? expected;
}

function tooFoundSuffix(found: string): string {
  return `, found ${found}`;
}

export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}" (text)`;
  return `${String(value)} (${typeof value})`;
}
