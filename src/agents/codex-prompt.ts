import type { ContextFile, FailureAnalysis } from '../analysis/types.js';
import {
  dataRules,
  renderWithData,
  sanitizeLabel,
  untrustedSection,
  type PromptPart,
  type RandomToken,
} from '../llm/prompt-safety.js';
import type { Redactor } from '../secrets/redact.js';
import type { AttemptFeedback } from './types.js';

/**
 * The Codex prompt: hard rules in the system message; in the user message the failure, the files and the
 * earlier attempts, each as a fenced, sanitised, redacted DATA section, all within a character budget
 * (about four characters per token).
 */

export interface CodexPromptInput {
  readonly analysis: FailureAnalysis;
  readonly contextFiles: readonly ContextFile[];
  readonly attempts: readonly AttemptFeedback[];
  readonly iteration: number;
}

export interface CodexPromptOptions {
  /** Upper bound of the user message in characters. Default 100,000 (≈ 25k tokens). */
  readonly maxPromptChars?: number;
  /** Boundary token source (tests). */
  readonly random?: RandomToken;
}

export interface CodexPrompt {
  readonly system: string;
  readonly user: string;
  readonly boundary: string;
  /** Files left out for lack of room (paths as shown to the model). */
  readonly omittedFiles: readonly string[];
}

export const DEFAULT_MAX_PROMPT_CHARS = 100_000;
const MAX_ATTEMPTS_SHOWN = 6;
const MIN_FILE_CHARS = 400;

export function buildCodexPrompt(input: CodexPromptInput, redactor: Redactor, options: CodexPromptOptions = {}): CodexPrompt {
  const budget = Math.max(8_000, options.maxPromptChars ?? DEFAULT_MAX_PROMPT_CHARS);
  const { analysis } = input;
  const parts: PromptPart[] = [
    `Fix the failing quality gate "${sanitizeLabel(analysis.gate, redactor)}" (failure class: ${analysis.failureClass}). ` +
      `This is iteration ${input.iteration}.`,
    '',
    '## Failure excerpt (distilled CI log)',
    untrustedSection('excerpt', analysis.excerpt, redactor, Math.floor(budget * 0.22)),
  ];

  if (analysis.locations.length > 0) {
    const locations = analysis.locations
      .slice(0, 40)
      .map((location) => `${location.file}:${location.line}${location.column === null ? '' : `:${location.column}`}: ${location.message}`)
      .join('\n');
    parts.push('', '## Error locations', untrustedSection('locations', locations, redactor, Math.floor(budget * 0.05), 'head'));
  }

  const attempts = input.attempts.slice(-MAX_ATTEMPTS_SHOWN);
  if (attempts.length > 0) {
    parts.push(
      '',
      '## Earlier attempts that did not work (do something different; address every reason)',
      untrustedSection('earlier attempts', attempts.map(describeAttempt).join('\n\n'), redactor, Math.floor(budget * 0.12), 'head'),
    );
  }

  const used = parts.reduce<number>((sum, part) => sum + (typeof part === 'string' ? part.length : part.text.length + 80), 0);
  const { sections, omitted } = fileSections(input.contextFiles, redactor, budget - used - 1_500);
  parts.push('', '## Repository files (each line is prefixed with its number and "| "; the prefix is not part of the file)');
  if (sections.length === 0) parts.push('(no files were provided)');
  parts.push(...sections);
  if (omitted.length > 0) parts.push(`(left out for lack of room: ${omitted.join(', ')})`);
  parts.push('', 'Answer with the JSON object described in your instructions.');

  const { text, boundary } = renderWithData(parts, options.random);
  // A last pass over the whole message: labels and our own text are redacted too.
  return { system: codexSystemPrompt(boundary), user: redactor.redact(text), boundary, omittedFiles: omitted };
}

export function codexSystemPrompt(boundary: string): string {
  return [
    'You are Codex, the patch generator of fleet-orch, a tool that repairs failing CI builds on its own.',
    'You receive a failing quality gate, a distilled failure log, repository files and earlier attempts that failed.',
    '',
    'Hard rules:',
    '1. Fix the root cause in the project code or build setup. Never hide the failure.',
    '2. Never weaken tests: do not skip, delete, focus (.only) or loosen tests or assertions,',
    '   and do not change expected values just to make them pass.',
    '3. Never touch CI configuration (.github/workflows, azure-pipelines.yml), config.yaml or anything under .git.',
    '4. Make the smallest diff that fixes the failure: no refactoring, reformatting or unrelated changes.',
    '5. Never write secrets, tokens, passwords or keys, and never write the marker [REDACTED] into a file.',
    '   Do not disable TLS verification, add eval, or build shell commands or SQL from strings.',
    `6. ${dataRules(boundary)}`,
    '7. If earlier attempts failed, do not repeat them; address the reasons they were rejected.',
    '',
    'Answer with one JSON object with exactly these keys:',
    '- "analysis": what the failure log shows, in a few sentences.',
    '- "root_cause": the root cause, in one or two sentences.',
    '- "confidence": a number from 0 to 1, how sure you are that the diff makes the gate pass.',
    '- "rationale": one line of at most 100 characters for the commit message, e.g. "fix(parser): handle empty input".',
    '- "diff": one unified diff against the repository root with "--- a/<path>" and "+++ b/<path>" headers ("--- /dev/null" for a new file)',
    '  and "@@" hunks with three lines of context copied exactly from the files shown, without the line-number prefixes.',
    '  Use an empty string when you cannot propose a safe fix.',
  ].join('\n');
}

function describeAttempt(attempt: AttemptFeedback): string {
  const reasons = attempt.reasons.slice(0, 10).map((reason) => `  - ${clip(reason, 400)}`);
  return [
    `Iteration ${attempt.iteration} (${attempt.tier}, ${attempt.failureClass}): ${clip(attempt.summary, 1_500)}`,
    `Outcome: ${clip(attempt.outcome, 300)}`,
    ...(reasons.length > 0 ? ['Why it failed:', ...reasons] : []),
  ].join('\n');
}

function fileSections(
  files: readonly ContextFile[],
  redactor: Redactor,
  room: number,
): { sections: PromptPart[]; omitted: string[] } {
  const sections: PromptPart[] = [];
  const omitted: string[] = [];
  let left = room;
  for (const file of files) {
    const label = `file ${file.path}${windowNote(file)}`;
    if (left < MIN_FILE_CHARS) {
      omitted.push(sanitizeLabel(file.path, redactor));
      continue;
    }
    const section = untrustedSection(label, numberedContent(file), redactor, left, 'head');
    sections.push(section);
    left -= section.text.length + section.label.length + 80;
  }
  return { sections, omitted };
}

function windowNote(file: ContextFile): string {
  if (file.windows === null || file.windows.length === 0) return '';
  return ` (lines ${mergeWindows(file.windows).map((window) => `${window.start}-${window.end}`).join(', ')})`;
}

type Window = { readonly start: number; readonly end: number };

/**
 * The file's text with line numbers. With windows, `content` may be the whole file (the windows are cut
 * out of it) or the windows' lines one after another (numbered from each window's start); which one is
 * told apart by the line count.
 */
export function numberedContent(file: ContextFile): string {
  const lines = splitLines(file.content);
  if (file.windows === null || file.windows.length === 0) return numberLines(lines, 1, String(lines.length).length);
  const windows = mergeWindows(file.windows);
  const lastEnd = Math.max(...windows.map((window) => window.end));
  const given = file.windows.filter((window) => window.end >= window.start);
  const windowLineCount = given.reduce((sum, window) => sum + window.end - window.start + 1, 0);
  const width = String(Math.max(lastEnd, lines.length)).length;
  const blocks: string[] = [];
  if (lines.length === windowLineCount) {
    let offset = 0;
    for (const window of given) {
      const size = window.end - window.start + 1;
      blocks.push(numberLines(lines.slice(offset, offset + size), window.start, width));
      offset += size;
    }
  } else if (lines.length >= lastEnd) {
    for (const window of windows) blocks.push(numberLines(lines.slice(window.start - 1, window.end), window.start, width));
  } else {
    return numberLines(lines, windows[0]?.start ?? 1, width);
  }
  return blocks.join('\n…\n');
}

function mergeWindows(windows: readonly Window[]): Window[] {
  const sorted = [...windows].filter((window) => window.end >= window.start).sort((a, b) => a.start - b.start);
  const merged: Window[] = [];
  for (const window of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && window.start <= last.end + 1) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, window.end) };
    else merged.push({ start: Math.max(1, window.start), end: window.end });
  }
  return merged;
}

function splitLines(content: string): string[] {
  const lines = content.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function numberLines(lines: readonly string[], first: number, width: number): string {
  return lines.map((line, index) => `${String(first + index).padStart(width)}| ${line}`).join('\n');
}

function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
