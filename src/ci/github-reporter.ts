import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import {
  assertOutputName,
  escapeGithubData,
  escapeGithubProperty,
  neutralizeLogLine,
  secretLines,
} from './escape.js';
import { FlatGroups } from './flat-groups.js';
import type { Annotation, CiReporter, StepResult } from './reporter.js';

/** The runner refuses a step summary above 1 MiB ("supports content up to a size of 1024k"). */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;

const TRUNCATION_NOTICE =
  '\n\n> **fleet-orch:** this summary was cut to fit the 1 MiB step-summary limit; the full report is in the run logs.\n';

type Properties = Readonly<Record<string, string | null>>;

/** `::command key=value,…::data` with actions/toolkit escaping. */
export function githubCommand(command: string, properties: Properties, data: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([key, value]) => `${key}=${escapeGithubProperty(value)}`)
    .join(',');
  return `::${command}${props === '' ? '' : ` ${props}`}::${escapeGithubData(data)}`;
}

/**
 * One `$GITHUB_OUTPUT` entry. Single-line values use `name=value`; a value with a line break uses a heredoc
 * whose delimiter is random, so the value cannot close it early and smuggle in further outputs.
 */
export function formatOutputEntry(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  assertOutputName(name);
  if (!/[\r\n]/.test(value)) return `${name}=${value}\n`;
  if (value.includes(delimiter)) throw new RangeError('output value contains its heredoc delimiter');
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/**
 * Cuts `content` so that it fits in `budgetBytes` together with a notice, at a UTF-8 character boundary.
 * Returns null when not even the notice fits.
 */
export function fitSummary(content: Buffer, budgetBytes: number): Buffer | null {
  if (content.length <= budgetBytes) return content;
  const notice = Buffer.from(TRUNCATION_NOTICE, 'utf8');
  const room = budgetBytes - notice.length;
  if (room <= 0) return null;
  let end = room;
  // content[end] is the first byte left out; while it is a continuation byte its character started earlier.
  while (end > 0 && ((content[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return Buffer.concat([content.subarray(0, end), notice]);
}

export interface GithubReporterOptions {
  write: (line: string) => void;
  /** `$GITHUB_OUTPUT`; null when the runner did not provide it. */
  outputFile: string | null;
  /** `$GITHUB_STEP_SUMMARY`; null when the runner did not provide it. */
  summaryFile: string | null;
}

export class GithubReporter implements CiReporter {
  private readonly write: (line: string) => void;

  private readonly groups: FlatGroups;

  constructor(private readonly options: GithubReporterOptions) {
    this.write = options.write;
    this.groups = new FlatGroups(
      (title) => this.write(githubCommand('group', {}, title)),
      () => this.write('::endgroup::'),
    );
  }

  group(title: string): void {
    this.groups.group(title);
  }

  endGroup(): void {
    this.groups.endGroup();
  }

  error(annotation: Annotation): void {
    this.write(
      githubCommand(
        'error',
        {
          file: annotation.file,
          line: String(annotation.line),
          col: annotation.column === null ? null : String(annotation.column),
        },
        annotation.message,
      ),
    );
  }

  warning(message: string): void {
    this.write(githubCommand('warning', {}, message));
  }

  mask(secret: string): void {
    for (const line of secretLines(secret)) this.write(githubCommand('add-mask', {}, line));
  }

  setOutput(name: string, value: string): void {
    const entry = formatOutputEntry(name, value);
    if (this.options.outputFile === null) {
      this.warning(`fleet-orch: GITHUB_OUTPUT is not set, so the step output "${name}" was not written`);
      return;
    }
    appendFileSync(this.options.outputFile, entry, 'utf8');
  }

  publishSummary(markdownPath: string): void {
    if (this.options.summaryFile === null) {
      this.warning('fleet-orch: GITHUB_STEP_SUMMARY is not set, so the run summary was not published');
      return;
    }
    const used = existingSize(this.options.summaryFile);
    const fitted = fitSummary(readFileSync(markdownPath), STEP_SUMMARY_LIMIT_BYTES - used);
    if (fitted === null) {
      this.warning('fleet-orch: the step summary is already at its 1 MiB limit; the run summary was not added');
      return;
    }
    appendFileSync(this.options.summaryFile, fitted);
  }

  complete(_result: StepResult): void {
    // GitHub has no step-result command: the exit code decides (ECOSYSTEM §7).
  }

  echoUntrusted(text: string): void {
    for (const line of neutralizeLogLine(text, 'github-actions').split('\n')) this.write(line);
  }
}

/** The limit is per step and the runner gives each step its own file, but this step may have written to it already. */
function existingSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
