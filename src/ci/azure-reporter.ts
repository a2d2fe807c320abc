import { resolve } from 'node:path';
import {
  assertOutputName,
  escapeAzureData,
  escapeAzureProperty,
  neutralizeLogLine,
  secretLines,
  singleLine,
} from './escape.js';
import { FlatGroups } from './flat-groups.js';
import type { Annotation, CiReporter, StepResult } from './reporter.js';

type Properties = Readonly<Record<string, string | null>>;

/**
 * `##vso[area.action key=value;…]data` exactly as azure-pipelines-task-lib formats it (trailing `;` after each
 * property), with task-lib escaping: a value can never end the command's line.
 */
export function azureCommand(command: string, properties: Properties, data: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([key, value]) => `${key}=${escapeAzureProperty(value)};`)
    .join('');
  return `##vso[${command}${props === '' ? '' : ` ${props}`}]${escapeAzureData(data)}`;
}

/**
 * Formatting commands (`##[group]`) are not unescaped by the agent, so their text is kept on one line and
 * neutralised instead: the agent would otherwise act on a `##vso[` anywhere in the title.
 */
function formattingText(text: string): string {
  return neutralizeLogLine(singleLine(text), 'azure-pipelines');
}

export class AzureReporter implements CiReporter {
  private readonly groups: FlatGroups;

  constructor(private readonly write: (line: string) => void) {
    this.groups = new FlatGroups(
      (title) => this.write(`##[group]${formattingText(title)}`),
      () => this.write('##[endgroup]'),
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
      azureCommand(
        'task.logissue',
        {
          type: 'error',
          sourcepath: annotation.file,
          linenumber: String(annotation.line),
          columnnumber: annotation.column === null ? null : String(annotation.column),
        },
        annotation.message,
      ),
    );
  }

  warning(message: string): void {
    this.write(azureCommand('task.logissue', { type: 'warning' }, message));
  }

  mask(secret: string): void {
    const lines = secretLines(secret);
    // The agent masks per log line: a multi-line value is registered whole and line by line.
    const values = lines.length > 1 ? [secret, ...lines] : lines;
    for (const value of values) this.write(azureCommand('task.setsecret', {}, value));
  }

  setOutput(name: string, value: string): void {
    assertOutputName(name);
    this.write(azureCommand('task.setvariable', { variable: name, isOutput: 'true' }, value));
  }

  publishSummary(markdownPath: string): void {
    this.write(azureCommand('task.uploadsummary', {}, resolve(markdownPath)));
  }

  complete(result: StepResult): void {
    this.write(azureCommand('task.complete', { result }, 'DONE'));
  }

  echoUntrusted(text: string): void {
    for (const line of neutralizeLogLine(text, 'azure-pipelines').split('\n')) this.write(line);
  }
}
