import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { describeError, Interrupted, UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { PatchOptions, PatchOutcome } from '../../patch/types.js';
import type { CliIo } from '../output.js';

interface PatchApplyFlags {
  dir?: string;
  json?: boolean;
  jsonl?: boolean;
  protect?: string[];
}

/**
 * `fleet-orch patch apply [--dir <dir>] [--json] <patch-file|->`: exit 0 applied, 1 refused (reason on stderr),
 * 2 not a unified diff. `--jsonl`: many jobs from stdin, one result line each on stdout (exit 1 when any job
 * was not applied). No git repository is needed. The patch module is loaded only when the command runs.
 */
export function registerPatchCommand(program: Command, io: CliIo, setExit: (code: number) => void, signal: AbortSignal, stdin?: Readable): void {
  const patch = program.command('patch').description('apply model-written unified diffs robustly (no git needed)');
  patch
    .command('apply')
    .description('apply a unified diff to the files of a directory: all of it, in the one place each hunk fits, or nothing')
    .argument('[patch-file]', 'the diff to apply; - reads it from stdin')
    .option('-d, --dir <dir>', 'directory the diff applies to (default: the current directory)')
    .option('--json', 'print the result as one JSON object on stdout')
    .option('--jsonl', 'read jobs {"id","dir","patch_file"} from stdin, one per line; write {"id","applied","error"} lines')
    .option('--protect <glob>', 'refuse patches touching paths matching this glob (repeatable, like safety.protected_paths)', collect, [])
    .action(async (patchFile: string | undefined, flags: PatchApplyFlags) => {
      const options: PatchOptions = { protectedPaths: flags.protect ?? [] };
      // process.stdin is only touched when the command reads it.
      const input = (): Readable => stdin ?? process.stdin;
      if (flags.jsonl) {
        if (patchFile !== undefined || flags.dir !== undefined || flags.json) throw new UsageError('--jsonl takes its jobs from stdin: give no patch file, --dir or --json');
        setExit(await runJobs(input(), io, options, signal));
        return;
      }
      if (patchFile === undefined) throw new UsageError('missing <patch-file> (use - to read the diff from stdin, or --jsonl for many)');
      const dir = await existingDirectory(resolve(io.cwd, flags.dir ?? '.'));
      const diff = patchFile === '-' ? await readAll(input()) : await readPatchFile(resolve(io.cwd, patchFile));
      const { applyPatchToDirectory } = await import('../../patch/apply-directory.js');
      const outcome = await applyPatchToDirectory(dir, diff, options);
      report(outcome, io, flags.json === true);
      setExit(exitCodeOf(outcome));
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function runJobs(stdin: Readable, io: CliIo, options: PatchOptions, signal: AbortSignal): Promise<number> {
  const { formatJobResult, runJobLine } = await import('../../patch/batch-jobs.js');
  let allApplied = true;
  const lines = createInterface({ input: stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (signal.aborted) throw new Interrupted(String(signal.reason ?? 'signal'));
    if (line.trim() === '') continue;
    const result = await runJobLine(line, io.cwd, options);
    allApplied &&= result.applied;
    io.stdout.write(`${formatJobResult(result)}\n`);
  }
  return allApplied ? ExitCode.Ok : ExitCode.GaveUp;
}

function report(outcome: PatchOutcome, io: CliIo, json: boolean): void {
  if (json) io.stdout.write(`${JSON.stringify(outcome)}\n`);
  if (!outcome.applied) {
    const what = outcome.kind === 'unparseable' ? 'not a unified diff' : 'patch refused';
    io.stderr.write(`fleet-orch: ${what}: ${outcome.reason}\n`);
    return;
  }
  if (json) return;
  io.stdout.write(`applied (${outcome.method}): ${outcome.files.join(', ')}\n`);
  for (const hunk of outcome.hunks) {
    const where = hunk.at === 0 ? 'new file' : `at line ${hunk.at}`;
    io.stdout.write(`  ${hunk.file}: hunk ${hunk.hunk} ${hunk.stage} ${where}\n`);
  }
}

function exitCodeOf(outcome: PatchOutcome): number {
  if (outcome.applied) return ExitCode.Ok;
  return outcome.kind === 'unparseable' ? ExitCode.Usage : ExitCode.GaveUp;
}

async function existingDirectory(dir: string): Promise<string> {
  const stats = await stat(dir).catch(() => null);
  if (stats === null || !stats.isDirectory()) throw new UsageError(`not a directory: ${dir}`);
  return dir;
}

async function readPatchFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read patch file ${file}: ${describeError(error)}`);
  }
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
