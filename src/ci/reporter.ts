import { AzureReporter } from './azure-reporter.js';
import type { CiContext } from './detect.js';
import { GithubReporter } from './github-reporter.js';
import { PlainReporter } from './plain-reporter.js';

/** A problem at a place in a repository file (repository-relative path, 1-based line and column). */
export interface Annotation {
  file: string;
  line: number;
  column: number | null;
  message: string;
}

export type StepResult = 'Succeeded' | 'SucceededWithIssues' | 'Failed';

/**
 * What fleet-orch tells the CI it runs in. Every implementation escapes what it is given: callers pass raw
 * text (model output, gate output, file names) and never pre-escape.
 */
export interface CiReporter {
  group(title: string): void;
  endGroup(): void;
  /** A file annotation. */
  error(annotation: Annotation): void;
  warning(message: string): void;
  /** Hide a value (a derived secret) from the CI log from now on. */
  mask(secret: string): void;
  /** A step output a later step/job can read. */
  setOutput(name: string, value: string): void;
  /** Attach a Markdown file to the run page / step summary. */
  publishSummary(markdownPath: string): void;
  /** Azure only: the step result (`SucceededWithIssues` has no GitHub equivalent). */
  complete(result: StepResult): void;
  /** Echo untrusted output (gate logs, model text) so that none of it can act as a logging command. */
  echoUntrusted(text: string): void;
}

export interface ReporterOptions {
  env: NodeJS.ProcessEnv;
  /** Writes one line to the CI's command stream (stdout); the caller decides where that goes. */
  write: (line: string) => void;
}

export function createReporter(ci: CiContext, options: ReporterOptions): CiReporter {
  switch (ci.kind) {
    case 'azure-pipelines':
      return new AzureReporter(options.write);
    case 'github-actions':
      return new GithubReporter({
        write: options.write,
        outputFile: options.env['GITHUB_OUTPUT'] || null,
        summaryFile: options.env['GITHUB_STEP_SUMMARY'] || null,
      });
    case 'gitlab':
    case 'local':
      return new PlainReporter(options.write);
  }
}
