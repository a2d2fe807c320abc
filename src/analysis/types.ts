export const FAILURE_CLASSES = [
  'dependency',
  'lint',
  'format',
  'typecheck',
  'test',
  'build',
  'oom',
  'timeout',
  'network',
  'config',
  'unknown',
] as const;

export type FailureClass = (typeof FAILURE_CLASSES)[number];

export interface ErrorLocation {
  /** Repository-relative, forward slashes, only files that exist in the repository. */
  readonly file: string;
  readonly line: number;
  readonly column: number | null;
  readonly message: string;
}

export interface FailureAnalysis {
  readonly gate: string;
  readonly failureClass: FailureClass;
  /** The distilled log shown to the model and in reports. */
  readonly excerpt: string;
  /** Distinct error lines, normalised (numbers, paths, timestamps made stable) for progress detection. */
  readonly errorSignatures: readonly string[];
  readonly locations: readonly ErrorLocation[];
}

/** A repository file (or a window of it) given to the model as context. */
export interface ContextFile {
  readonly path: string;
  readonly content: string;
  /** Set when only windows of the file are shown: 1-based inclusive line ranges. */
  readonly windows: readonly { readonly start: number; readonly end: number }[] | null;
}
