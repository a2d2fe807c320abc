import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { CleanBatchWriter } from './clean-batch.js';
import { CleanLineSource } from './clean-lines.js';
import type { CleaningRequest, WorkerMessage } from './analyze-threaded.js';

/**
 * The worker thread of analyze-threaded.ts: reads a log file, decodes, splits and cleans it, and posts the clean
 * lines in batches, one per chunk read, never more than `maxInFlight` ahead of the analysing thread (each batch
 * it takes is acknowledged), so memory stays bounded whatever the log's size.
 */

const port = parentPort!;
const request = workerData as CleaningRequest;
let credits = request.maxInFlight;
let resume: (() => void) | null = null;
port.on('message', () => {
  credits += 1;
  resume?.();
  resume = null;
});

function post(message: WorkerMessage): void {
  port.postMessage(message);
}

async function clean(): Promise<void> {
  const writer = new CleanBatchWriter();
  const source = new CleanLineSource((line) => writer.add(line));
  const decoder = new TextDecoder('utf-8');
  let rawLinesPosted = 0;
  const take = (bytes: number) => {
    const batch = writer.take(source.rawLineCount - rawLinesPosted, bytes);
    rawLinesPosted = source.rawLineCount;
    return batch;
  };
  for await (const chunk of createReadStream(request.path, { highWaterMark: request.chunkBytes }) as AsyncIterable<Buffer>) {
    source.push(decoder.decode(chunk, { stream: true }));
    if (credits === 0) await new Promise<void>((wake) => (resume = wake));
    credits -= 1;
    post({ kind: 'batch', batch: take(chunk.byteLength) });
  }
  const rest = decoder.decode();
  if (rest !== '') source.push(rest);
  source.end();
  post({ kind: 'done', batch: take(0) });
}

clean().catch((error: unknown) => {
  const { message, code } = error as NodeJS.ErrnoException;
  post({ kind: 'error', message: String(message ?? error), code: code ?? null });
});
