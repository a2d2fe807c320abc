import path from 'node:path';
import winston from 'winston';
import type { Redactor } from '../secrets/redact.js';

export type Logger = winston.Logger;

/**
 * The run's file log (`<log-dir>/orchestrator.log`): human-readable lines, every message and metadata value
 * redacted before it is written. Console output is the progress reporter's job, not winston's.
 */
export function createFileLogger(logDir: string, redactor: Redactor, level: 'debug' | 'info'): Logger {
  const redact = winston.format((info) => {
    info.message = redactor.redact(String(info.message));
    for (const key of Object.keys(info)) {
      if (key !== 'message' && key !== 'level' && typeof info[key] === 'string') {
        info[key] = redactor.redact(info[key] as string);
      }
    }
    return info;
  });
  return winston.createLogger({
    level,
    format: winston.format.combine(
      redact(),
      winston.format.timestamp(),
      winston.format.printf(({ timestamp, level: lvl, message, runId }) => {
        const run = typeof runId === 'string' ? ` [${runId}]` : '';
        return `${String(timestamp)} ${lvl.toUpperCase().padEnd(5)}${run} ${String(message)}`;
      }),
    ),
    transports: [new winston.transports.File({ filename: path.join(logDir, 'orchestrator.log') })],
  });
}

/** Resolves once everything logged so far is on disk. */
export function closeLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const transports = logger.transports.length;
    if (transports === 0) {
      resolve();
      return;
    }
    logger.on('finish', () => resolve());
    logger.end();
  });
}
