/**
 * Turns raw CI output into plain text lines: ANSI escapes removed, carriage-return progress redraws collapsed,
 * and the decoration Azure Pipelines and GitHub Actions add to every line taken off (timestamps, `##[group]`,
 * `::group::`, `##vso[...]`). Everything the tools printed stays; only the CI's own wrapping goes.
 */

// CSI sequences (colours, cursor moves), OSC sequences (hyperlinks, titles) and lone two-byte escapes.
const ANSI_PATTERN =
  /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[@-Z\\-_]|\u009B[0-?]*[ -/]*[@-~]/g;

/** `2024-05-01T10:00:00.1234567Z ` at the start of every line of Azure and GitHub raw logs. */
const CI_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z ?/;

/** Azure formatting commands: `##[group]Title`, `##[endgroup]`, `##[error]msg`, `##[section]Starting: x` … */
const AZURE_FORMAT = /^##\[(group|endgroup|section|warning|error|debug|command)\](.*)$/i;
/** Azure logging commands: `##vso[area.action props]message`. */
const AZURE_VSO = /^##vso\[([\w.]+)[^\]]*\](.*)$/i;
/** GitHub workflow commands: `::error file=a.ts,line=1::message`, `::group::Title`, `::endgroup::` … */
const GITHUB_COMMAND = /^::([a-z-]+)(?: .*?)?::(.*)$/i;
/** The resume token after `::stop-commands::<token>` is a bare `::<token>::` line. */
const GITHUB_RESUME_TOKEN = /^::[\w-]+::\s*$/;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/**
 * One line without its CI decoration, or null when the line is pure CI bookkeeping (end of group, set
 * variable, add mask …). Group titles and error/warning messages are kept as text: they say what ran.
 */
export function stripCiPrefix(line: string): string | null {
  const text = line.replace(CI_TIMESTAMP, '');

  const azure = AZURE_FORMAT.exec(text);
  if (azure) {
    const [, kind = '', rest = ''] = azure;
    if (kind.toLowerCase() === 'endgroup' || kind.toLowerCase() === 'debug') return null;
    return rest;
  }

  const vso = AZURE_VSO.exec(text);
  if (vso) {
    const [, area = '', message = ''] = vso;
    return area.toLowerCase() === 'task.logissue' ? message : null;
  }

  const github = GITHUB_COMMAND.exec(text);
  if (github) {
    const [, command = '', rest = ''] = github;
    const keep = ['error', 'warning', 'notice', 'group'];
    return keep.includes(command.toLowerCase()) ? rest : null;
  }
  if (GITHUB_RESUME_TOKEN.test(text)) return null;

  return text;
}

/** A spinner or progress bar redraws its line with `\r`: only the last drawing is what a reader saw. */
function lastRedraw(line: string): string {
  if (!line.includes('\r')) return line;
  const parts = line.split('\r').filter((part) => part.length > 0);
  return parts[parts.length - 1] ?? '';
}

/**
 * Lines longer than this (minified bundles, base64 blobs, source maps) are cut: nothing past it helps a
 * reader, and it keeps the cost of every pattern run over a line bounded.
 */
export const MAX_LINE_CHARS = 2000;

/** The whole log as clean lines (trailing whitespace trimmed, CI bookkeeping lines removed). */
export function cleanLogLines(log: string): string[] {
  const lines: string[] = [];
  for (const raw of stripAnsi(log).replace(/\r\n/g, '\n').split('\n')) {
    const stripped = stripCiPrefix(lastRedraw(raw));
    if (stripped === null) continue;
    const line = stripped.trimEnd();
    lines.push(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line);
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
