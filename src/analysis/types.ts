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

/** Size of the analysed log and of the excerpt (tokens estimated as ceil(characters / 4)). */
export interface AnalysisStats {
  readonly bytes: number;
  readonly lines: number;
  readonly excerptTokens: number;
}

export interface FailureAnalysis {
  readonly gate: string;
  readonly failureClass: FailureClass;
  /** The distilled log shown to the model and in reports. */
  readonly excerpt: string;
  /** Distinct error lines, normalised (numbers, paths, timestamps made stable) for progress detection. */
  readonly errorSignatures: readonly string[];
  readonly locations: readonly ErrorLocation[];
  /** Set by the analysers of src/analysis; absent in analyses built elsewhere (tests, older reports). */
  readonly stats?: AnalysisStats;
  /** The CI step that failed the gate (`npm test`), null when the log has no CI steps. */
  readonly failedStep?: string | null;
}

/** A repository file (or a window of it) given to the model as context. */
export interface ContextFile {
  readonly path: string;
  /**
   * The whole file when `windows` is null. When `windows` is set: only those lines of the file, window after
   * window in order, each window's lines verbatim and the windows separated by one line holding just `…`
   * (so line k of window w is file line `windows[w].start + k - 1`; the file's other lines are not shown).
   */
  readonly content: string;
  /** Set when only windows of the file are shown: 1-based inclusive line ranges, sorted, not overlapping. */
  readonly windows: readonly { readonly start: number; readonly end: number }[] | null;
}
