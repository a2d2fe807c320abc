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

/**
 * What a CI decoration said about the job's steps: a step starts (`##[group]Run …` on GitHub,
 * `##[section]Starting: …` on Azure), a step failed (`##[error]Process completed with exit code 1.`,
 * `##[error]Bash exited with code '1'.`), or the CI marked a warning / an error line.
 */
export type CiMark = 'step-start' | 'step-failed' | 'warning' | 'error';

export interface CleanLine {
  readonly text: string;
  readonly mark: CiMark | null;
}

const STEP_START = /^(?:##\[group\]|::group::)Run |^##\[section\]Starting: /;
const STEP_FAILED =
  /^##\[error\](?:Process completed with exit code [1-9]\d*\.|(?:Bash|Cmd\.exe|PowerShell|pwsh) exited with code '?[1-9]|Script failed with |The process '.*' failed with exit code |Error: \w+ failed with return code)/;
const CI_WARNING = /^(?:##\[warning\]|::warning\b)/;
const CI_ERROR = /^(?:##\[error\]|::error\b)/;
/** `docker build --progress=plain` prefixes its steps' output with `#8 0.532 `, and repeats it later as `0.532 `. */
const BUILDKIT_STEP_LINE = /^#\d+ \d+\.\d+ /;
const BUILDKIT_REPEAT = /^\d+\.\d+ /;
const BUILDKIT_SEEN = /^#\d+ \[/;

function ciMark(text: string): CiMark | null {
  const first = text.charCodeAt(0);
  if (first !== 35 /* # */ && first !== 58 /* : */) return null;
  if (STEP_START.test(text)) return 'step-start';
  if (STEP_FAILED.test(text)) return 'step-failed';
  if (CI_WARNING.test(text)) return 'warning';
  return CI_ERROR.test(text) ? 'error' : null;
}

/**
 * Cleans raw lines one at a time (the stream's unit): ANSI, CI timestamps and decoration, progress redraws,
 * BuildKit prefixes. Stateful only to recognise a docker build log.
 */
export class LineCleaner {
  private buildkit = false;

  /** The clean line, or null for CI bookkeeping that carries nothing a reader needs. */
  clean(raw: string): CleanLine | null {
    // Only 7-bit escapes are looked for here (a native scan): 8-bit CSI (U+009B) does not occur in UTF-8 logs.
    let text = raw.includes('\u001b') ? stripAnsi(raw) : raw;
    if (text.includes('\r')) text = lastRedraw(text);
    if (text.length > 20 && text.charCodeAt(4) === 45 /* - */) text = text.replace(CI_TIMESTAMP, '');
    const mark = ciMark(text);
    let stripped: string | null = text;
    if (mark !== null || text.startsWith('##') || text.startsWith('::')) stripped = stripCiPrefix(text);
    if (stripped === null) return null;
    if (!this.buildkit && stripped.startsWith('#') && BUILDKIT_SEEN.test(stripped)) this.buildkit = true;
    if (this.buildkit) stripped = stripped.replace(BUILDKIT_STEP_LINE, '').replace(BUILDKIT_REPEAT, '');
    const last = stripped.charCodeAt(stripped.length - 1);
    const line = last === 32 || last === 9 || last === 13 ? stripped.trimEnd() : stripped;
    return { text: line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line, mark };
  }
}

/** The whole log as clean lines (trailing whitespace trimmed, CI bookkeeping lines removed). */
export function cleanLogLines(log: string): string[] {
  const cleaner = new LineCleaner();
  const lines: string[] = [];
  for (const raw of log.split('\n')) {
    const cleaned = cleaner.clean(raw);
    if (cleaned !== null) lines.push(cleaned.text);
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
