import { estimateTokens } from './distill.js';
import type { FailureAnalysis, FailureClass } from './types.js';

/**
 * The one JSON object `fleet-orch analyze --json` prints (issue 5):
 * `{"class", "excerpt", "files", "locations": [{path, line, column, message}], "stats": {bytes, lines, excerpt_tokens}}`.
 * `files` are the distinct location files in order of first appearance.
 */
export interface AnalysisJson {
  readonly class: FailureClass;
  readonly excerpt: string;
  readonly files: readonly string[];
  readonly locations: readonly { path: string; line: number; column: number | null; message: string }[];
  readonly stats: { bytes: number; lines: number; excerpt_tokens: number };
}

export function analysisJson(analysis: FailureAnalysis): AnalysisJson {
  return {
    class: analysis.failureClass,
    excerpt: analysis.excerpt,
    files: [...new Set(analysis.locations.map((location) => location.file))],
    locations: analysis.locations.map((location) => ({
      path: location.file,
      line: location.line,
      column: location.column,
      message: location.message,
    })),
    stats: {
      bytes: analysis.stats?.bytes ?? 0,
      lines: analysis.stats?.lines ?? 0,
      excerpt_tokens: analysis.stats?.excerptTokens ?? estimateTokens(analysis.excerpt),
    },
  };
}
