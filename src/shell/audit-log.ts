import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AuditEntry, AuditSink } from './types.js';

/**
 * `logs/audit-<id>.jsonl`: one JSON object per line, appended synchronously so that the trail is complete
 * and ordered even when the run dies right after a command. Entries arrive already redacted.
 */
export class JsonlAuditLog implements AuditSink {
  readonly filePath: string;

  constructor(filePath: string) {
    this.filePath = filePath;
    mkdirSync(path.dirname(filePath), { recursive: true });
  }

  record(entry: AuditEntry): void {
    appendFileSync(this.filePath, `${JSON.stringify(entry)}\n`, 'utf8');
  }

  /** Nothing is buffered; kept so that callers can treat every sink alike. */
  async close(): Promise<void> {}
}

/** Keeps entries in memory, for tests and for callers that report them later. */
export class MemoryAuditLog implements AuditSink {
  readonly entries: AuditEntry[] = [];

  record(entry: AuditEntry): void {
    this.entries.push(entry);
  }

  async close(): Promise<void> {}
}

/** Reads a JSONL audit file back (for reports and tests); blank lines are ignored. */
export function parseAuditLines(text: string): AuditEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditEntry);
}
