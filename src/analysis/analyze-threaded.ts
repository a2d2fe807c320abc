import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { installRoot } from '../install-root.js';
import type { StreamMeta } from './analyze-stream.js';
import type { CleanBatch } from './clean-batch.js';
import { LogAnalyzer } from './log-analyzer.js';
import type { FailureAnalysis } from './types.js';

/**
 * The analysis of a big log file on two threads: a worker thread reads, decodes, splits and cleans the log
 * (cleaning-worker.ts: about half the work) while this thread analyses the clean lines it posts, so the two
 * halves overlap. Same lines, same analyzer, same result as on one thread (analyze-threaded.test.ts); memory stays
 * bounded (the worker is at most MAX_IN_FLIGHT batches ahead).
 */

export interface CleaningRequest {
  readonly path: string;
  readonly chunkBytes: number;
  readonly maxInFlight: number;
}

export type WorkerMessage =
  | { readonly kind: 'batch' | 'done'; readonly batch: CleanBatch }
  | { readonly kind: 'error'; readonly message: string; readonly code: string | null };

/** From this size on a second thread pays for starting it (tens of milliseconds). */
export const THREADED_MIN_BYTES = 16 * 1024 * 1024;
const CHUNK_BYTES = 1 << 16;
const MAX_IN_FLIGHT = 4;
/**
 * The worker holds a few chunks and batches at a time: a small young generation keeps the process's peak RSS
 * near the one-thread analysis (about 80 MB for 100 MB, 100 MB for 300 MB or 600 MB; 110–130 MB with V8's
 * defaults) and is no slower. No node options of this process either (`--input-type` would stop a script file
 * from loading): the worker only computes.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 };

/** The worker's script, built with the CLI (scripts/bundle.mjs); null when it is not there (the analysis then runs on one thread). */
export function cleaningWorkerScript(): string | null {
  try {
    const script = path.join(installRoot(), 'dist', 'bin', 'analysis-worker.js');
    return existsSync(script) ? script : null;
  } catch {
    return null;
  }
}

/** Whether a log of `bytes` is worth a second thread on this machine. */
export function worthThreading(bytes: number): boolean {
  return bytes >= THREADED_MIN_BYTES && availableParallelism() >= 2;
}

/** `chunkBytes`: how much the worker reads at a time (one batch each). */
export async function analyzeLogFileThreaded(
  file: string,
  meta: StreamMeta,
  script: string,
  chunkBytes = CHUNK_BYTES,
): Promise<FailureAnalysis> {
  const analyzer = new LogAnalyzer(meta);
  const request: CleaningRequest = { path: file, chunkBytes, maxInFlight: MAX_IN_FLIGHT };
  const worker = new Worker(script, { workerData: request, execArgv: [], resourceLimits: WORKER_LIMITS });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        try {
          if (message.kind === 'error') {
            reject(Object.assign(new Error(message.message), { code: message.code ?? undefined }));
            return;
          }
          // Acknowledged first, so that the worker reads and cleans the next chunk while this one is analysed.
          if (message.kind === 'batch') worker.postMessage(null);
          analyzer.pushCleaned(message.batch);
          if (message.kind === 'done') resolve();
        } catch (error) {
          reject(error as Error);
        }
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the log cleaning worker stopped early (exit code ${code})`)));
    });
  } finally {
    await worker.terminate();
  }
  return analyzer.finish(meta);
}
