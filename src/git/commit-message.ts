import { isRefSafeToken, RUN_TRAILER } from './branch-names.js';

export interface FixCommitInput {
  readonly failureClass: string;
  readonly gate: string;
  readonly files: readonly string[];
  /** One line from the fixer or the model; untrusted text, normalised before use. */
  readonly rationale: string;
  readonly tier: 'fixer' | 'model';
  readonly runId: string;
  readonly iteration: number;
}

const SUBJECT_MAX = 72;
const BODY_WIDTH = 72;
const RATIONALE_MAX = 1000;
const FILES_LISTED_MAX = 20;

/**
 * `fix(<class>): make gate "<gate>" pass in <file>` (at most 72 characters), a body with the rationale, the
 * files and the tier, and the `Fleet-Orch-Run: <id>` trailer as the last paragraph.
 */
export function fixCommitMessage(input: FixCommitInput): string {
  if (!isRefSafeToken(input.runId)) throw new RangeError(`not a usable run id: ${JSON.stringify(input.runId)}`);
  const files = input.files.map(singleLine);
  const rationale = singleLine(input.rationale).slice(0, RATIONALE_MAX);
  const paragraphs = [fixSubject(input.failureClass, input.gate, files)];
  if (rationale !== '') paragraphs.push(wrap(rationale, BODY_WIDTH));
  if (files.length > 0) paragraphs.push(fileList(files));
  paragraphs.push(`Made by fleet-orch: ${input.tier} tier, iteration ${input.iteration}.`);
  paragraphs.push(`${RUN_TRAILER}: ${input.runId}`);
  return `${paragraphs.join('\n\n')}\n`;
}

/** The run id from the `Fleet-Orch-Run` trailer in the last paragraph, or null. */
export function runIdFromMessage(message: string): string | null {
  const paragraphs = message.replace(/\r\n?/g, '\n').trimEnd().split(/\n[ \t]*\n/);
  const lines = (paragraphs[paragraphs.length - 1] ?? '').split('\n').reverse();
  const key = RUN_TRAILER.toLowerCase();
  for (const line of lines) {
    const match = /^([A-Za-z0-9-]+)[ \t]*:[ \t]*(\S+)[ \t]*$/.exec(line);
    if (match?.[1]?.toLowerCase() === key && match[2] !== undefined && isRefSafeToken(match[2])) return match[2];
  }
  return null;
}

function fixSubject(failureClass: string, gate: string, files: readonly string[]): string {
  const scope = failureClass.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'unknown';
  const gateName = singleLine(gate).replace(/"/g, "'");
  const head = (name: string): string => `fix(${scope}): make gate "${name}" pass`;
  const [first] = files;
  const more = files.length - 1;
  const candidates: string[] = [];
  if (first !== undefined) {
    const tail = more > 0 ? ` and ${more} more` : '';
    candidates.push(`${head(gateName)} in ${first}${tail}`, `${head(gateName)} in ${baseName(first)}${tail}`);
    if (more > 0) candidates.push(`${head(gateName)} in ${files.length} files`);
  }
  candidates.push(head(gateName));
  const fitting = candidates.find((candidate) => candidate.length <= SUBJECT_MAX);
  if (fitting !== undefined) return fitting;
  const room = SUBJECT_MAX - head('').length - 1;
  return room > 0 ? head(`${gateName.slice(0, room)}…`) : head('').slice(0, SUBJECT_MAX);
}

function fileList(files: readonly string[]): string {
  const listed = files.slice(0, FILES_LISTED_MAX).map((file) => `- ${file}`);
  if (files.length > FILES_LISTED_MAX) listed.push(`- … and ${files.length - FILES_LISTED_MAX} more`);
  return ['Files:', ...listed].join('\n');
}

/** Collapses whitespace and replaces control characters, so untrusted text cannot add lines or trailers. */
function singleLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '?').trim();
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current === '') current = word;
    else if (current.length + 1 + word.length <= width) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current !== '') lines.push(current);
  return lines.join('\n');
}
