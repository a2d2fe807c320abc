import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { Redactor } from '../secrets/redact.js';
import { renderMarkdown } from './markdown.js';
import type { RunReport } from './run-report.js';

/** Creates the log directory (and its parents); a folder that cannot be created is a usage error, exit 2. */
export async function ensureLogDir(logDir: string): Promise<void> {
  try {
    await mkdir(logDir, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create the log directory ${logDir}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** Paths of the files one run writes under the log directory. */
export function reportFiles(logDir: string, runId: string): RunReport['files'] {
  return {
    json: path.join(logDir, `run-${runId}.json`),
    markdown: path.join(logDir, `run-${runId}.md`),
    audit: path.join(logDir, `audit-${runId}.jsonl`),
    log: path.join(logDir, 'orchestrator.log'),
  };
}

/** Writes run-<id>.json and run-<id>.md, redacted. */
export async function writeRunReport(report: RunReport, redactor: Redactor): Promise<void> {
  const safe = redactor.redactDeep(report);
  await mkdir(path.dirname(report.files.json), { recursive: true });
  await writeFile(report.files.json, `${JSON.stringify(safe, null, 2)}\n`);
  await writeFile(report.files.markdown, renderMarkdown(safe));
}

/** Keeps every patch tried, applied or not, under `<log-dir>/patches/`. Returns the file's path. */
export async function savePatch(logDir: string, name: string, diff: string, redactor: Redactor): Promise<string> {
  const dir = path.join(logDir, 'patches');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await writeFile(file, redactor.redact(diff.endsWith('\n') ? diff : `${diff}\n`));
  return file;
}
