/**
 * A real GuardedShell for tests, with the settings most tests want: confined to `dir`, the default forbidden
 * commands, a minimal environment with HOME in `dir`, a short kill grace so that timeouts stay fast.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FORBIDDEN_COMMANDS } from '../../src/config/schema.js';
import { Redactor } from '../../src/secrets/redact.js';
import { MemoryAuditLog } from '../../src/shell/audit-log.js';
import { GuardedShell } from '../../src/shell/guarded-shell.js';
import type { CommandJudge, DeclaredCommands } from '../../src/shell/policy.js';
import type { AuditSink } from '../../src/shell/types.js';

export const FIXTURE_BIN = fileURLToPath(new URL('../fixtures/bin/', import.meta.url));

/** A shell command that runs one of the test/fixtures/bin scripts with this Node, every word quoted. */
export function fixtureCommand(name: string, ...args: string[]): string {
  return [process.execPath, path.join(FIXTURE_BIN, name), ...args].map((word) => `'${word}'`).join(' ');
}

/** PATH of the test process, HOME in `dir`, a UTF-8 locale; nothing secret. */
export function testEnv(dir: string): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'], HOME: dir, LANG: 'C.UTF-8' };
}

export interface TestShellOptions {
  readonly dryRun?: boolean;
  /** Default `testEnv(dir)`; the redactor learns its secret-named values. */
  readonly env?: NodeJS.ProcessEnv;
  readonly passEnv?: readonly string[];
  /** Default DEFAULT_FORBIDDEN_COMMANDS. */
  readonly forbiddenCommands?: readonly string[];
  /** Allow-list mode (null or absent: off). */
  readonly allowedCommands?: readonly string[] | null;
  readonly declaredCommands?: DeclaredCommands | null;
  readonly protectedBranches?: readonly string[];
  /** Default 300 ms. */
  readonly killGraceMs?: number;
  readonly judge?: CommandJudge;
}

export interface TestShell<Audit extends AuditSink> {
  readonly shell: GuardedShell;
  readonly audit: Audit;
  readonly env: NodeJS.ProcessEnv;
}

/** Audits to a fresh MemoryAuditLog, or to `audit` when given (a log the test file shares, a JSONL file). */
export function testShell(dir: string, options?: TestShellOptions): TestShell<MemoryAuditLog>;
export function testShell<Audit extends AuditSink>(dir: string, options: TestShellOptions & { readonly audit: Audit }): TestShell<Audit>;
export function testShell(dir: string, options: TestShellOptions & { readonly audit?: AuditSink } = {}): TestShell<AuditSink> {
  const env = options.env ?? testEnv(dir);
  const audit = options.audit ?? new MemoryAuditLog();
  const shell = new GuardedShell({
    repoRoot: dir,
    forbiddenCommands: options.forbiddenCommands ?? DEFAULT_FORBIDDEN_COMMANDS,
    allowedCommands: options.allowedCommands ?? null,
    declaredCommands: options.declaredCommands ?? null,
    protectedBranches: options.protectedBranches,
    redactor: Redactor.fromEnv(env),
    audit,
    dryRun: options.dryRun ?? false,
    env,
    passEnv: options.passEnv,
    killGraceMs: options.killGraceMs ?? 300,
    judge: options.judge,
  });
  return { shell, audit, env };
}
