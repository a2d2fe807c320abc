import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { Interrupted, UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import type { CommandJudge, PolicyOptions } from '../../shell/policy.js';
import type { CliIo } from '../output.js';

/**
 * `fleet-orch guard "<command>"`: the shell policy's verdict on one command line (exit 0 allowed, 3 denied).
 * `fleet-orch guard --jsonl`: one `{"id": …, "cmd": "…"}` per stdin line in, one
 * `{"id": …, "allow": …, "rule": …, "reason": …}` per line out, in order, nothing else on stdout.
 * The repository is the working directory; its config (or `-c`) supplies forbidden and allowed commands.
 */
interface GuardFlags {
  jsonl?: boolean;
  config?: string;
}

export function registerGuardCommand(program: Command, io: CliIo, setExit: (code: number) => void, signal: AbortSignal): void {
  program
    .command('guard')
    .description('judge a command line with the guarded shell policy (exit 0 allowed, 3 denied); --jsonl for many')
    .argument('[command...]', 'the command line to judge (quote it)')
    .option('--jsonl', 'read {"id": 1, "cmd": "..."} lines on stdin and write one verdict line each on stdout')
    .option('-c, --config <file>', 'config file for safety.forbidden_commands / allowed_commands (default: config.yaml when present)')
    .action(async (words: string[], flags: GuardFlags) => {
      // Loaded when the command runs, so that `--help` does not load the parser.
      const { judgeCommand } = await import('../../shell/policy.js');
      const options = await policyOptions(flags, io);
      if (flags.jsonl) {
        if (words.length > 0) throw new UsageError('guard --jsonl reads commands from stdin; do not also give one as an argument');
        await judgeLines(judgeCommand, options, io, signal);
        setExit(ExitCode.Ok);
        return;
      }
      if (words.length === 0) throw new UsageError('guard needs a command to judge (quote it), or --jsonl to read commands from stdin');
      const decision = judgeCommand(words.join(' '), options);
      io.stdout.write(decision.allowed ? 'allowed: no rule forbids this command\n' : `denied by ${decision.rule}: ${decision.reason}\n`);
      setExit(decision.allowed ? ExitCode.Ok : ExitCode.SafetyStop);
    });
}

async function policyOptions(flags: GuardFlags, io: CliIo): Promise<PolicyOptions> {
  const base = { repoRoot: io.cwd, cwd: io.cwd, home: io.env['HOME'] ?? null };
  const file = flags.config ?? (existsSync(path.join(io.cwd, 'config.yaml')) ? path.join(io.cwd, 'config.yaml') : null);
  if (file === null) {
    const { DEFAULT_FORBIDDEN_COMMANDS } = await import('../../config/schema.js');
    return { ...base, forbiddenCommands: DEFAULT_FORBIDDEN_COMMANDS, allowedCommands: null };
  }
  const { loadConfig } = await import('../../config/load.js');
  const { config } = await loadConfig(path.resolve(io.cwd, file), io.env);
  return {
    ...base,
    forbiddenCommands: config.safety.forbidden_commands,
    allowedCommands: config.safety.allowed_commands,
    protectedBranches: config.safety.protected_branches,
  };
}

async function judgeLines(judge: CommandJudge, options: PolicyOptions, io: CliIo, signal: AbortSignal): Promise<void> {
  const input = (io as CliIo & { readonly stdin?: NodeJS.ReadableStream }).stdin ?? process.stdin;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    if (signal.aborted) throw new Interrupted(String(signal.reason ?? 'SIGINT'));
    number += 1;
    io.stdout.write(`${JSON.stringify(verdictFor(line, number, judge, options))}\n`);
  }
}

/** The output object for one input line; a malformed line gets allow:false with the reason. */
export function verdictFor(line: string, number: number, judge: CommandJudge, options: PolicyOptions): Record<string, unknown> {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return malformed(undefined, `line ${number} is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return malformed(undefined, `line ${number} is not a JSON object with a "cmd" string`);
  }
  const id = Object.hasOwn(request, 'id') ? { id: (request as { id: unknown }).id } : {};
  const cmd = (request as { cmd?: unknown }).cmd;
  if (typeof cmd !== 'string') return malformed(id, `line ${number} has no "cmd" string`);
  const decision = judge(cmd, options);
  return { ...id, allow: decision.allowed, rule: decision.rule, reason: decision.reason };
}

function malformed(id: { id?: unknown } | undefined, reason: string): Record<string, unknown> {
  return { ...(id ?? {}), allow: false, rule: 'input:malformed', reason };
}
