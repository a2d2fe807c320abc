import { stat } from 'node:fs/promises';
import path from 'node:path';
import { analysisJson } from '../../analysis/analysis-json.js';
import { analyzeLogFile, analyzeLogStream, type StreamMeta } from '../../analysis/analyze-stream.js';
import { UsageError } from '../../errors.js';
import type { CliIo } from '../output.js';

export interface AnalyzeFlags {
  gate?: string;
  command?: string;
  exitCode?: string;
  repo?: string;
  json?: boolean;
}

/** The excerpt budget when no config says otherwise (analysis.max_excerpt_tokens' default). */
const DEFAULT_EXCERPT_TOKENS = 2000;

/**
 * `fleet-orch analyze <log-file|->`: classifies a CI log and distills it, streaming (any size, bounded
 * memory; a big file on two threads). The exit code of the step that wrote the log comes from --exit-code or
 * CI_LOG_EXIT_CODE.
 */
export async function analyzeCommand(source: string, flags: AnalyzeFlags, io: CliIo, stdin: NodeJS.ReadableStream): Promise<void> {
  const repoRoot = path.resolve(io.cwd, flags.repo ?? '.');
  const exitCode = parseExitCode(flags.exitCode ?? io.env['CI_LOG_EXIT_CODE']);
  const meta: StreamMeta = {
    gate: flags.gate ?? 'log',
    command: flags.command ?? '',
    exitCode,
    signal: null,
    timedOut: false,
    repoRoot,
    maxExcerptTokens: DEFAULT_EXCERPT_TOKENS,
  };
  const analysis = source === '-' ? await analyzeLogStream(stdin, meta) : await analyzeLogFile(await logFile(io.cwd, source), meta);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(analysisJson(analysis))}\n`);
    return;
  }
  const lines = [`class: ${analysis.failureClass}`, '', analysis.excerpt, ''];
  if (analysis.locations.length > 0) {
    lines.push('locations:');
    for (const location of analysis.locations) {
      const column = location.column === null ? '' : `:${location.column}`;
      lines.push(`  ${location.file}:${location.line}${column}: ${location.message}`);
    }
  }
  io.stdout.write(`${lines.join('\n')}\n`);
}

async function logFile(cwd: string, source: string): Promise<string> {
  const file = path.resolve(cwd, source);
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) throw new UsageError(`cannot read the log file ${source}`);
  return file;
}

function parseExitCode(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`the exit code must be a whole number, got "${value}"`);
  return Number(value);
}
