import { findSecretShapes } from '../../secrets/patterns.js';
import { REDACTED } from '../../secrets/redact.js';
import type { DiffFile, DiffLine } from '../diff-lines.js';
import { finding, isTestFile, where, type Rule } from './rule.js';
import type { ReviewFinding } from '../types.js';

/**
 * No secret may enter the repository through a patch: known token shapes and private keys anywhere (even in
 * comments), credential-named variables assigned a literal that is not a placeholder, and the redaction
 * marker itself (the model copied a value it was never shown). Messages name the kind, never the value.
 */
export const secretRule: Rule = (files) => files.flatMap((file) => file.added.flatMap((line) => checkLine(file, line)));

const SECRET_NAME = String.raw`[A-Za-z0-9_.-]*(?:password|passwd|secret|api[_-]?key|apikey|access[_-]?key|token|credentials?)`;
/** `name = "literal"`, `name: 'literal'`, `"name": "literal"`, `name := "literal"`, `name => "literal"`. */
const QUOTED_ASSIGNMENT = new RegExp(String.raw`\b(${SECRET_NAME})["']?\s*(?::=|=>|==?|:)\s*[rbuRBU]?(["'\`])(.*?)\2`, 'gi');
/** Unquoted values in env / YAML / INI style files: `API_KEY=abc…`, `password: abc…`. */
const BARE_ASSIGNMENT = new RegExp(String.raw`^\s*(?:export\s+)?(${SECRET_NAME})\s*[:=]\s*([^\s'"#]+)\s*$`, 'i');
const CONFIG_FILE = /(?:^|\/)\.env(?:\.[\w-]+)?$|\.(?:ya?ml|properties|ini|cfg|conf|toml|npmrc)$|(?:^|\/)\.npmrc$/i;
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/;
const PLACEHOLDER =
  /^(?:x+|\*+|\.+|-+|<[^>]*>|\$\{.*\}|\{\{.*\}\}|\$\(.*\)|%\(.*\)s|%s|\$[A-Z_][A-Z0-9_]*|null|undefined|none|true|false|(?:change[-_]?me|example|placeholder|dummy|sample|redacted|your[-_]|fake[-_]?|test[-_]).*)$/i;
const REFERENCE = /process\.env|os\.environ|getenv|\$\{|\{\{|secrets\.|vault:|keyvault/i;

function checkLine(file: DiffFile, line: DiffLine): ReviewFinding[] {
  const findings: ReviewFinding[] = [];
  const shapes = findSecretShapes(line.text);
  if (PRIVATE_KEY.test(line.text) && !shapes.includes('private-key')) shapes.push('private-key');
  if (shapes.length > 0) {
    findings.push(finding('secret', 'critical', `${where(file, line)} adds a value shaped like a ${shapes.join(', ')}`, file.path, line.line));
  }
  const assigned = hardcodedCredential(file, line.text);
  if (assigned !== null && shapes.length === 0) {
    const severity = isTestFile(file.path) ? 'medium' : 'critical';
    findings.push(finding('secret', severity, `${where(file, line)} hardcodes a literal in credential-named ${assigned}`, file.path, line.line));
  }
  if (line.text.includes(REDACTED)) {
    findings.push(finding('secret', 'high', `${where(file, line)} writes the redaction marker ${REDACTED} into the file`, file.path, line.line));
  }
  return findings;
}

/** The credential-like name assigned a real-looking literal on this line, or null. */
function hardcodedCredential(file: DiffFile, text: string): string | null {
  for (const match of text.matchAll(QUOTED_ASSIGNMENT)) {
    const [, name, , value] = match;
    if (name !== undefined && value !== undefined && isNonTrivialLiteral(value)) return name;
  }
  if (CONFIG_FILE.test(file.path)) {
    const bare = BARE_ASSIGNMENT.exec(text);
    if (bare?.[1] !== undefined && bare[2] !== undefined && isNonTrivialLiteral(bare[2])) return bare[1];
  }
  return null;
}

/** Long enough, no spaces, not a placeholder or a reference, and random-looking (letters and digits, or long). */
export function isNonTrivialLiteral(value: string): boolean {
  if (value.length < 8 || /\s/.test(value)) return false;
  if (PLACEHOLDER.test(value) || REFERENCE.test(value) || /^(.)\1+$/.test(value)) return false;
  const mixed = /[A-Za-z]/.test(value) && /\d/.test(value);
  return mixed || value.length >= 20;
}
