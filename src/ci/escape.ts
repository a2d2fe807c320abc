import type { CiKind } from './detect.js';

/*
 * Escaping for the two CI logging-command languages, and neutralising of untrusted text echoed into a CI log.
 *
 * How the runners parse (ECOSYSTEM §1.1, §2.2):
 * - The Azure Pipelines agent reads stdout AND stderr line by line (a bare `\r` also ends a line) and acts on
 *   the first `##vso[` found ANYWHERE in a line, ordinal and case-sensitive; it unescapes `%AZP25` last.
 * - The GitHub runner acts on a line that starts with `::` after leading whitespace is trimmed, and (legacy
 *   syntax) on `##[` anywhere in a line.
 * So a value is safe inside a command once it cannot end the line, and untrusted text is safe on its own line
 * once it contains no `##vso[` / `##[` and does not start with `::`.
 */

/** Azure message data (after `]`): task-lib `escapedata`. `%` first so the other escapes are not re-escaped. */
export function escapeAzureData(value: string): string {
  return value.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Azure property value (`key=value;`): task-lib `escape`. */
export function escapeAzureProperty(value: string): string {
  return escapeAzureData(value).replace(/]/g, '%5D').replace(/;/g, '%3B');
}

/** GitHub command data (after the second `::`): toolkit `escapeData`. */
export function escapeGithubData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub property value (`key=value,`): toolkit `escapeProperty`. */
export function escapeGithubProperty(value: string): string {
  return escapeGithubData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Line breaks as the runners see them: `\r\n`, `\n` and a bare `\r` (.NET `ReadLine`). */
const LINE_BREAK = /\r\n|\r|\n/;

/** The Azure command prefix and the legacy/formatting prefix, anywhere in a line. */
const AZURE_COMMAND = /##vso\[/gi;
const LEGACY_COMMAND = /##\[/g;
/** A GitHub workflow command: `::` after leading whitespace (.NET `TrimStart`, which also trims U+0085). */
const GITHUB_COMMAND_START = /^([\s\u0085]*):(?=:)/;

/**
 * Makes one line of untrusted output (gate output, model text, HTTP bodies) safe to echo into the CI log of
 * `kind`: it can no longer start, or contain, a logging command. Text stays readable: `##vso[` becomes
 * `##vso [`, `##[` becomes `## [`, and a leading `::` becomes `: :`. Embedded line breaks are honoured (each
 * resulting line is neutralised and they are joined with `\n`), because the runners split on a bare `\r` too.
 * Plain output (local terminal, GitLab) is returned unchanged.
 */
export function neutralizeLogLine(line: string, kind: CiKind): string {
  if (kind !== 'azure-pipelines' && kind !== 'github-actions') return line;
  return line
    .split(LINE_BREAK)
    .map((segment) => neutralizeSegment(segment))
    .join('\n');
}

function neutralizeSegment(segment: string): string {
  // Both CIs get every rule: a log is sometimes replayed on the other platform (e.g. an artifact echoed by a
  // later job), and the rules only ever add a space.
  return segment
    .replace(AZURE_COMMAND, (match) => `${match.slice(0, -1)} [`)
    .replace(LEGACY_COMMAND, '## [')
    .replace(GITHUB_COMMAND_START, '$1: ');
}

/** Collapses line breaks into spaces: for text that must stay on its command's line and is not unescaped. */
export function singleLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** Output and variable names both CIs accept (Azure: letters, digits, `_`, `.`; GitHub: letters, digits, `_`, `-`). */
const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name is a program constant, not user data: a bad one is a bug, so it throws rather than being escaped. */
export function assertOutputName(name: string): void {
  if (!OUTPUT_NAME.test(name)) {
    throw new RangeError(`invalid CI output name ${JSON.stringify(name)}: use letters, digits and _`);
  }
}

/** The lines of a secret worth masking on their own (runners mask per line; blank lines would mask nothing useful). */
export function secretLines(secret: string): string[] {
  return secret.split(LINE_BREAK).filter((line) => line.trim() !== '');
}
