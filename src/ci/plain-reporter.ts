import type { Annotation, CiReporter, StepResult } from './reporter.js';

/**
 * A local terminal or a CI without logging commands (GitLab): human-readable lines, no CI state. Output,
 * masking, summaries and step results have nowhere to go, so they are no-ops (the run report has them all).
 */
export class PlainReporter implements CiReporter {
  constructor(private readonly write: (line: string) => void) {}

  group(title: string): void {
    this.write(`== ${title.replace(/[\r\n]+/g, ' ')}`);
  }

  endGroup(): void {}

  error(annotation: Annotation): void {
    const column = annotation.column === null ? '' : `:${annotation.column}`;
    this.writeLines(`${annotation.file}:${annotation.line}${column}: error: ${annotation.message}`);
  }

  warning(message: string): void {
    this.writeLines(`warning: ${message}`);
  }

  mask(_secret: string): void {}

  setOutput(_name: string, _value: string): void {}

  publishSummary(_markdownPath: string): void {}

  complete(_result: StepResult): void {}

  echoUntrusted(text: string): void {
    this.writeLines(text);
  }

  private writeLines(text: string): void {
    for (const line of text.split(/\r\n|\r|\n/)) this.write(line);
  }
}
