/** What a caller asks the guarded shell to run. */
export interface ShellRequest {
  /** A shell command line (run with `bash -c` after the policy has judged it). */
  readonly command: string;
  readonly cwd: string;
  /** Who asked, for the audit log: `gate:lint`, `fixer:format`, `devops:raise-node-heap`, `verifier:smoke` … */
  readonly actor: string;
  readonly timeoutMs: number;
  /** Extra environment variables on top of the scrubbed base environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** A mutating command is printed, not run, in dry-run mode. Gates and fixers in the work tree are not "mutating". */
  readonly mutates?: boolean;
  readonly signal?: AbortSignal;
  /** Cap on captured output; the head and the tail are kept. Default 1 MiB. */
  readonly maxOutputBytes?: number;
  /**
   * When set, the whole output (interleaved, redacted) is also written to this file as it arrives, in bounded
   * memory, whatever its size; the folder is created. Not written for a denied or dry-run request.
   */
  readonly outputLogPath?: string;
}

export type ShellVerdict = 'allowed' | 'denied' | 'dry-run';

export interface ShellResult {
  readonly command: string;
  readonly verdict: ShellVerdict;
  /** Exit code; null when killed by a signal, denied, or not run. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  /** Stopped because the caller's AbortSignal fired (SIGINT of the run). */
  readonly canceled: boolean;
  /** stdout and stderr interleaved in arrival order, redacted, bounded (head + tail). */
  readonly output: string;
  readonly outputBytes: number;
  readonly truncated: boolean;
  readonly durationMs: number;
  /** The file holding the whole output when the request asked for one and it was written completely, else null. */
  readonly outputLogPath: string | null;
}

/** One line of `logs/audit-<id>.jsonl`. */
export interface AuditEntry {
  readonly time: string;
  readonly actor: string;
  readonly command: string;
  readonly cwd: string;
  readonly verdict: ShellVerdict;
  readonly rule: string | null;
  readonly reason: string | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
}

export interface AuditSink {
  record(entry: AuditEntry): void;
}
