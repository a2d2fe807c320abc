import type { FindingSeverity, ReviewFinding } from '../types.js';
import type { DiffFile, DiffLine } from '../diff-lines.js';

export interface RuleOptions {
  readonly protectedPaths: readonly string[];
  readonly maxFilesChanged: number;
  readonly maxLinesChanged: number;
}

/** A deterministic check over the parsed diff; pure. */
export type Rule = (files: readonly DiffFile[], options: RuleOptions) => ReviewFinding[];

export function finding(
  rule: string,
  severity: FindingSeverity,
  message: string,
  file: string | null = null,
  line: number | null = null,
): ReviewFinding {
  return { rule, severity, message, file, line };
}

/** High and critical findings reject a patch whatever the model says. */
export function isBlocking(item: ReviewFinding): boolean {
  return item.severity === 'critical' || item.severity === 'high';
}

/** A line that is only a comment cannot run: code-pattern rules skip it (secret rules do not). */
export function isCommentOnly(text: string): boolean {
  return /^\s*(?:\/\/|\/\*|\*|#(?!!)|--\s|<!--)/.test(text);
}

/** Added lines that carry code, with their file. */
export function* addedCode(files: readonly DiffFile[]): Generator<{ file: DiffFile; added: DiffLine }> {
  for (const file of files) {
    for (const added of file.added) {
      if (!isCommentOnly(added.text)) yield { file, added };
    }
  }
}

const TEST_FILE = [
  /(?:^|\/)(?:__tests__|__specs?__|tests?|specs?|e2e)\//i,
  /\.(?:test|spec|e2e)\.[cm]?[jt]sx?$/i,
  /(?:^|\/)test_[^/]*\.py$/i,
  /_test\.(?:py|go)$/i,
  /(?:^|\/)conftest\.py$/i,
  /Tests?\.(?:java|kt|cs)$/,
];

export function isTestFile(path: string | null): boolean {
  return path !== null && TEST_FILE.some((pattern) => pattern.test(path));
}

/** `file:line` for messages. */
export function where(file: DiffFile, line: DiffLine): string {
  return `${file.path}:${line.line}`;
}
