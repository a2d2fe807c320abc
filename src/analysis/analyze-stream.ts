import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { GateResult } from '../gates/types.js';
import { analyzeGate, outcomeOf, type AnalyzeOptions } from './analyze.js';
import { analyzeLogFileThreaded, cleaningWorkerScript, worthThreading } from './analyze-threaded.js';
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
  /**
   * analyzeLogFile on two threads: unset lets the log's size and the machine decide (and falls back to one thread
   * when the worker cannot run); true insists (an error if the worker cannot run); false keeps to one.
   */
  readonly threads?: boolean;
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

/**
 * Analyses the log file at `path`: a big one on two threads when the machine has two cores (analyze-threaded.ts),
 * otherwise on this one (read in 64 KiB chunks, the next one read while this one is analysed).
 */
export async function analyzeLogFile(path: string, meta: StreamMeta): Promise<FailureAnalysis> {
  const script = meta.threads === false ? null : cleaningWorkerScript();
  if (meta.threads === true) {
    if (script === null) throw new Error('the log cleaning worker is not built (npm run build)');
    return analyzeLogFileThreaded(path, meta, script);
  }
  if (script !== null && worthThreading((await stat(path).catch(() => null))?.size ?? 0)) {
    try {
      return await analyzeLogFileThreaded(path, meta, script);
    } catch {
      // A worker that cannot start or read: the same work on this thread, which reports a file error as it is.
    }
  }
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
