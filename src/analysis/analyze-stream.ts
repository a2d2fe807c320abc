import { createReadStream } from 'node:fs';
import type { GateResult } from '../gates/types.js';
import { analyzeGate, outcomeOf, type AnalyzeOptions } from './analyze.js';
import { LogAnalyzer, type OutcomeDetails } from './log-analyzer.js';
import type { FailureAnalysis } from './types.js';

/**
 * Analyses a whole log from a file or a stream without holding it: chunks are split into lines as they
 * arrive and each line is analysed and dropped, so memory stays bounded by the excerpt budget and fixed caps
 * whatever the log's size (see bench/analysis.bench.mjs). Same analysis as `analyzeGate`.
 */

export interface StreamMeta extends OutcomeDetails {
  readonly repoRoot: string;
  readonly maxExcerptTokens: number;
  readonly fileExists?: (relPath: string) => boolean;
}

export type LogSource = NodeJS.ReadableStream | AsyncIterable<string | Buffer | Uint8Array>;

const READ_CHUNK_BYTES = 1 << 16;

export async function analyzeLogStream(source: LogSource, meta: StreamMeta): Promise<FailureAnalysis> {
  const analyzer = new LogAnalyzer(meta);
  // TextDecoder in streaming mode keeps a character split across chunks whole (and is faster than StringDecoder).
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source as AsyncIterable<string | Buffer | Uint8Array>) {
    if (typeof chunk === 'string') analyzer.pushText(chunk);
    else analyzer.pushText(decoder.decode(chunk, { stream: true }), chunk.byteLength);
  }
  const rest = decoder.decode();
  if (rest !== '') analyzer.pushText(rest, 0);
  return analyzer.finish(meta);
}

/** Analyses the log file at `path` (read in 64 KiB chunks, the next one read while this one is analysed). */
export async function analyzeLogFile(path: string, meta: StreamMeta): Promise<FailureAnalysis> {
  return analyzeLogStream(createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }), meta);
}

/**
 * The analysis of a failed gate. When its bounded capture lost the middle of the output and the whole output
 * is in a log file, the file is analysed (streamed, in bounded memory), so that an error printed in the middle
 * of a long log is found; otherwise the capture is the whole output and is analysed as it is. A log file that
 * cannot be read falls back to the capture.
 */
export async function analyzeFailedGate(gate: GateResult, options: AnalyzeOptions): Promise<FailureAnalysis> {
  if (!gate.outputTruncated || gate.outputLogPath === null) return analyzeGate(gate, options);
  try {
    return await analyzeLogFile(gate.outputLogPath, { ...options, ...outcomeOf(gate), outputTruncated: false });
  } catch {
    return analyzeGate(gate, options);
  }
}
