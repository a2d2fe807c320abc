import { realpathSync } from 'node:fs';
import path from 'node:path';
import { SafetyStop } from '../errors.js';
import type { Redactor } from '../secrets/redact.js';
import { SECRET_ENV_NAME } from '../secrets/patterns.js';
import { buildChildEnv } from './env.js';
import { judgeCommand, type CommandJudge, type DeclaredCommands, type PolicyDecision } from './policy.js';
import { OutputLog } from './output-log.js';
import { ProcessGroups, type GroupRunOutcome } from './process-tree.js';
import { approvalDenial, type ApprovalState } from './rules/approval.js';
import type { AuditSink, ShellRequest, ShellResult, ShellVerdict } from './types.js';

/**
 * The only place fleet-orch runs commands: judge the command, scrub the environment, run it in its own
 * process group with a timeout, bound and redact the output, honour dry-run, and audit every request.
 */
export class CommandDenied extends SafetyStop {
  /** Redacted. */
  readonly command: string;
  readonly rule: string;

  constructor(command: string, rule: string, reason: string) {
    super('command-denied', `refused to run "${displayCommand(command)}": ${reason}`);
    this.command = command;
    this.rule = rule;
  }
}

export interface GuardedShellOptions {
  /** Commands may only run in this directory or below, and may not touch anything outside it. */
  readonly repoRoot: string;
  readonly forbiddenCommands: readonly string[];
  /** Allow-list mode (`safety.allowed_commands`): when set, only commands matching an entry by meaning may run. */
  readonly allowedCommands?: readonly string[] | null;
  /** The DevOps executor: only the commands the action declared may run (and allowedCommands must allow them too). */
  readonly declaredCommands?: DeclaredCommands | null;
  /** Branches nobody may push to or delete, besides main and master (which are always protected). */
  readonly protectedBranches?: readonly string[];
  readonly redactor: Redactor;
  readonly audit: AuditSink;
  readonly dryRun: boolean;
  /** Base environment of every command, before scrubbing. */
  readonly env: NodeJS.ProcessEnv;
  /** Secret-looking variables that commands may still see. */
  readonly passEnv?: readonly string[];
  /** Between SIGTERM and SIGKILL when a process group is killed. Default 2000 ms. */
  readonly killGraceMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
  /** The command policy; defaults to `judgeCommand`. */
  readonly judge?: CommandJudge;
  /**
   * The deployment environment commands act on. When it requires approval and none was given
   * (--approve-production), every request with `mutates: true` is refused (`builtin:approval-required`).
   */
  readonly approval?: ApprovalState | null;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

const CWD_OUTSIDE: PolicyDecision = {
  allowed: false,
  rule: 'builtin:cwd-outside-repo',
  reason: 'the working directory is outside the repository',
};

function realPath(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    return path.resolve(file);
  }
}
export const DEFAULT_KILL_GRACE_MS = 2000;

export class GuardedShell {
  private readonly options: GuardedShellOptions;
  private readonly groups: ProcessGroups;
  private readonly now: () => number;

  constructor(options: GuardedShellOptions) {
    this.options = options;
    this.groups = new ProcessGroups({ killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS });
    this.now = options.now ?? Date.now;
  }

  /**
   * Throws CommandDenied when the policy denies (after auditing it). Never throws for a command that fails,
   * times out or is canceled: that is in the result. In dry-run a request with mutates: true is not executed:
   * verdict 'dry-run', exitCode 0, output states what would have run.
   */
  async run(request: ShellRequest): Promise<ShellResult> {
    const startedAt = this.now();
    const command = this.options.redactor.redact(request.command);
    const judge = this.options.judge ?? judgeCommand;
    const policy = this.isInsideRepository(request.cwd)
      ? judge(request.command, {
          repoRoot: this.options.repoRoot,
          forbiddenCommands: this.options.forbiddenCommands,
          allowedCommands: this.options.allowedCommands ?? null,
          declaredCommands: this.options.declaredCommands ?? null,
          protectedBranches: this.options.protectedBranches,
          cwd: request.cwd,
          home: this.options.env['HOME'] ?? null,
        })
      : CWD_OUTSIDE;
    const decision = (policy.allowed ? approvalDenial(this.options.approval, request) : null) ?? policy;
    if (!decision.allowed) {
      const rule = decision.rule ?? 'denied';
      this.audit(request, command, 'denied', decision, null, 0);
      throw new CommandDenied(command, rule, decision.reason ?? `denied by rule ${rule}`);
    }
    if (this.options.dryRun && request.mutates === true) {
      const result = dryRunResult(command, request.cwd);
      this.audit(request, command, 'dry-run', decision, result, 0);
      return result;
    }
    this.registerRequestSecrets(request.env);
    const log = request.outputLogPath === undefined ? null : OutputLog.open(request.outputLogPath, this.options.redactor);
    const outcome = await this.groups.run({
      file: 'bash',
      // One pipe for both streams (`exec 2>&1`) keeps stdout and stderr in the exact order they were written.
      args: ['-c', `exec 2>&1; ${request.command}`],
      cwd: request.cwd,
      env: buildChildEnv({ base: this.options.env, passEnv: this.options.passEnv, extra: request.env }),
      timeoutMs: request.timeoutMs,
      signal: request.signal,
      maxOutputBytes: request.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      ...(log ? { outputSink: log } : {}),
    });
    if (outcome.startError !== null) log?.append(startErrorNote(outcome.startError));
    const result = this.toResult(command, outcome, this.now() - startedAt, log?.close() ?? null);
    this.audit(request, command, 'allowed', decision, result, result.durationMs);
    return result;
  }

  /** The working directory must be the repository or inside it (symbolic links resolved where they exist). */
  private isInsideRepository(cwd: string): boolean {
    const root = realPath(this.options.repoRoot);
    const relative = path.relative(root, realPath(path.resolve(this.options.repoRoot, cwd)));
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  }

  /** Kill every live process group (SIGTERM, then SIGKILL after a grace period); resolves when they are gone. */
  killAll(): Promise<void> {
    return this.groups.killAll();
  }

  /** Number of process groups still running, for diagnostics and tests. */
  get liveGroupCount(): number {
    return this.groups.liveCount;
  }

  private toResult(command: string, outcome: GroupRunOutcome, durationMs: number, outputLogPath: string | null): ShellResult {
    const output = outcome.startError === null ? outcome.output : `${outcome.output}${startErrorNote(outcome.startError)}`;
    return {
      command,
      verdict: 'allowed',
      exitCode: outcome.exitCode,
      signal: outcome.signal,
      timedOut: outcome.timedOut,
      canceled: outcome.canceled,
      output: this.options.redactor.redact(output),
      outputBytes: outcome.outputBytes,
      truncated: outcome.truncated,
      durationMs,
      outputLogPath,
    };
  }

  /** A secret-looking variable handed to one command is a secret from then on: keep it out of every output. */
  private registerRequestSecrets(env: Readonly<Record<string, string>> | undefined): void {
    for (const [name, value] of Object.entries(env ?? {})) {
      if (SECRET_ENV_NAME.test(name)) this.options.redactor.add(value);
    }
  }

  private audit(
    request: ShellRequest,
    command: string,
    verdict: ShellVerdict,
    decision: PolicyDecision,
    result: ShellResult | null,
    durationMs: number,
  ): void {
    this.options.audit.record({
      time: new Date(this.now()).toISOString(),
      actor: request.actor,
      command,
      cwd: request.cwd,
      verdict,
      rule: decision.rule,
      reason: decision.reason,
      exitCode: result?.exitCode ?? null,
      signal: result?.signal ?? null,
      timedOut: result?.timedOut ?? false,
      durationMs,
    });
  }
}

function dryRunResult(command: string, cwd: string): ShellResult {
  return {
    command,
    verdict: 'dry-run',
    exitCode: 0,
    signal: null,
    timedOut: false,
    canceled: false,
    output: `[dry-run] would run in ${cwd}: ${command}\n`,
    outputBytes: 0,
    truncated: false,
    durationMs: 0,
    outputLogPath: null,
  };
}

function startErrorNote(startError: string): string {
  return `[fleet-orch] could not start the command: ${startError}\n`;
}

/** A command on one short line for a message: whitespace collapsed, long commands shortened. */
function displayCommand(command: string): string {
  const oneLine = command.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 199)}…` : oneLine;
}
