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
/** The same, sticky: its `lastIndex` after a match is where the line's text starts (no replaced copy). */
const LEADING_TIMESTAMP = new RegExp(CI_TIMESTAMP.source, 'y');

/** Azure formatting commands: `##[group]Title`, `##[endgroup]`, `##[error]msg`, `##[section]Starting: x` … */
const AZURE_FORMAT = /^##\[(group|endgroup|section|warning|error|debug|command)\](.*)$/i;
/** Azure logging commands: `##vso[area.action props]message`. */
const AZURE_VSO = /^##vso\[([\w.]+)[^\]]*\](.*)$/i;
/** GitHub workflow commands: `::error file=a.ts,line=1::message`, `::group::Title`, `::endgroup::` … */
const GITHUB_COMMAND = /^::([a-z-]+)(?: .*?)?::(.*)$/i;
/** The resume token after `::stop-commands::<token>` is a bare `::<token>::` line. */
const GITHUB_RESUME_TOKEN = /^::[\w-]+::\s*$/;

/**
 * Where the escape sequence starting at `at` (an ESC) ends, or -1 when none does: what ANSI_PATTERN matches
 * there, read by hand because a quarter of a colourful log's lines have escapes.
 */
function escapeEnd(text: string, at: number): number {
  const kind = text.charCodeAt(at + 1);
  let index = at + 2;
  if (kind === 0x5b /* [ */) {
    let code = text.charCodeAt(index);
    while (code >= 0x30 && code <= 0x3f) code = text.charCodeAt(++index); // parameters
    while (code >= 0x20 && code <= 0x2f) code = text.charCodeAt(++index); // intermediates
    return code >= 0x40 && code <= 0x7e ? index + 1 : -1;
  }
  if (kind === 0x5d /* ] */) {
    let code = text.charCodeAt(index);
    while (index < text.length && code !== 0x07 && code !== 0x1b) code = text.charCodeAt(++index);
    if (code === 0x07) return index + 1;
    if (code === 0x1b && text.charCodeAt(index + 1) === 0x5c) return index + 2;
    return at + 2; // an unterminated OSC is still a two-character escape
  }
  return (kind >= 0x40 && kind <= 0x5a) || (kind >= 0x5c && kind <= 0x5f) ? at + 2 : -1;
}

export function stripAnsi(text: string): string {
  if (text.includes('\u009b')) return text.replace(ANSI_PATTERN, ''); // 8-bit CSI: rare, left to the pattern
  let escape = text.indexOf('\u001b');
  let kept = '';
  let from = 0;
  while (escape !== -1) {
    const end = escapeEnd(text, escape);
    if (end === -1) {
      escape = text.indexOf('\u001b', escape + 1);
      continue;
    }
    kept += text.slice(from, escape);
    from = end;
    escape = text.indexOf('\u001b', end);
  }
  return from === 0 ? text : kept + text.slice(from);
}

function isDigitAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 48 && code <= 57;
}

/**
 * One line without its CI decoration, or null when the line is pure CI bookkeeping (end of group, set
 * variable, add mask …). Group titles and error/warning messages are kept as text: they say what ran.
 */
export function stripCiPrefix(line: string): string | null {
  const text = isDigitAt(line, 0) ? line.replace(CI_TIMESTAMP, '') : line;

  const azure = AZURE_FORMAT.exec(text);
  if (azure) {
    const [, kind = '', rest = ''] = azure;
    const lowered = kind.toLowerCase();
    return lowered === 'endgroup' || lowered === 'debug' ? null : rest;
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

/**
 * The marks, tested in this order (one pattern: one run per decorated line): a step starts, a step failed, a
 * warning, an error.
 */
const CI_MARK = new RegExp(
  `^(?:${[
    /(?<start>##\[group\]Run |::group::Run |##\[section\]Starting: )/,
    /(?<failed>##\[error\](?:Process completed with exit code [1-9]\d*\.|(?:Bash|Cmd\.exe|PowerShell|pwsh) exited with code '?[1-9]|Script failed with |The process '.*' failed with exit code |Error: \w+ failed with return code))/,
    /(?<warning>##\[warning\]|::warning\b)/,
    /(?<error>##\[error\]|::error\b)/,
  ]
    .map((pattern) => pattern.source)
    .join('|')})`,
);
/** `docker build --progress=plain` prefixes its steps' output with `#8 0.532 `, and repeats it later as `0.532 `. */
const BUILDKIT_STEP_LINE = /^#\d+ \d+\.\d+ /;
const BUILDKIT_REPEAT = /^\d+\.\d+ /;
const BUILDKIT_SEEN = /^#\d+ \[/;

/** Whether the line starts with `##` or `::`, as every CI decoration does. */
function isDecorated(text: string): boolean {
  const first = text.charCodeAt(0);
  return (first === 35 /* # */ || first === 58) /* : */ && text.charCodeAt(1) === first;
}

function ciMark(text: string): CiMark | null {
  const groups = CI_MARK.exec(text)?.groups;
  if (!groups) return null;
  if (groups.start !== undefined) return 'step-start';
  if (groups.failed !== undefined) return 'step-failed';
  return groups.warning !== undefined ? 'warning' : 'error';
}

/**
 * Cleans raw lines one at a time (the stream's unit): ANSI, CI timestamps and decoration, progress redraws,
 * BuildKit prefixes. Stateful only to recognise a docker build log.
 */
export class LineCleaner {
  private buildkit = false;

  /**
   * The clean line, or null for CI bookkeeping that carries nothing a reader needs. `mayHaveReturn` false
   * says the caller knows the line has no `\r` (its whole chunk had none), which saves a scan.
   */
  clean(raw: string, mayHaveReturn = true): CleanLine | null {
    // Only 7-bit escapes are looked for here (a native scan): 8-bit CSI (U+009B) does not occur in UTF-8 logs.
    let text = raw.includes('\u001b') ? stripAnsi(raw) : raw;
    if (mayHaveReturn && text.includes('\r')) text = lastRedraw(text);
    if (text.length > 20 && text.charCodeAt(4) === 45 /* - */) {
      LEADING_TIMESTAMP.lastIndex = 0;
      if (LEADING_TIMESTAMP.test(text)) text = text.slice(LEADING_TIMESTAMP.lastIndex);
    }
    const decorated = isDecorated(text);
    const mark = decorated ? ciMark(text) : null;
    let stripped = decorated ? stripCiPrefix(text) : text;
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
