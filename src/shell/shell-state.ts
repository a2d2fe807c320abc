import path from 'node:path';
import { SECRET_ENV_NAME } from '../secrets/patterns.js';
import type { ShNode } from './shell-ast.js';

/**
 * What the policy knows about the shell while it walks a command line: variable values (as sets of possible
 * values, or unknown), the working directory, positional parameters, functions, and files written by a
 * download or holding secrets. Where paths of execution meet (after `if`, `||`, a loop) states are joined:
 * a value known on one path only becomes unknown, so the policy never assumes more than bash would do.
 */
export interface VarValue {
  /** Possible values; null when unknown. */
  readonly values: readonly string[] | null;
  readonly tainted: boolean;
  readonly remote: boolean;
  readonly exported: boolean;
}

export interface Positional {
  /** `$0`, when known (`bash -c 'script' name …`). */
  readonly zero?: VarValue;
  readonly list: readonly VarValue[];
  /** More unknown parameters may follow (xargs appends its input). */
  readonly more: boolean;
}

/** More alternatives than this for one variable: it is treated as unknown. */
export const MAX_VALUES = 8;
export const DEFAULT_IFS = ' \t\n';

const UNKNOWN_CLEAN: VarValue = { values: null, tainted: false, remote: false, exported: true };

export interface StateRoots {
  readonly cwd: string | null;
  readonly home: string | null;
}

export class ShellState {
  vars: Map<string, VarValue>;
  cwd: string | null;
  positional: Positional;
  functions: Map<string, ShNode[]>;
  allExport: boolean;
  /** Absolute paths written by a downloader in this line; `unknownDownload` when the name is not known. */
  downloads: Set<string>;
  unknownDownload: boolean;
  /** Absolute paths written with secret content (`env > e.txt`). */
  secretFiles: Set<string>;
  /**
   * Set by `cd`: the directory the shell stays in if that `cd` fails. `a && b` runs b only after success; after
   * `;` either may hold. The walker consumes it right after the command.
   */
  failedCwd: string | null | undefined;
  /** `exit` ran: nothing after it runs on this path, which joins contribute nothing to. */
  dead: boolean;
  readonly home: string | null;

  constructor(roots: StateRoots) {
    this.vars = new Map();
    this.cwd = roots.cwd;
    this.home = roots.home;
    this.positional = { list: [], more: false };
    this.functions = new Map();
    this.allExport = false;
    this.downloads = new Set();
    this.unknownDownload = false;
    this.secretFiles = new Set();
    this.failedCwd = undefined;
    this.dead = false;
  }

  clone(): ShellState {
    const copy = new ShellState({ cwd: this.cwd, home: this.home });
    copy.vars = new Map(this.vars);
    copy.positional = this.positional;
    copy.functions = new Map(this.functions);
    copy.allExport = this.allExport;
    copy.downloads = new Set(this.downloads);
    copy.unknownDownload = this.unknownDownload;
    copy.secretFiles = new Set(this.secretFiles);
    copy.failedCwd = this.failedCwd;
    copy.dead = this.dead;
    return copy;
  }

  /** The state if the last command failed (only `cd` makes a difference), or null when it is the same. */
  failureBranch(): ShellState | null {
    if (this.failedCwd === undefined) return null;
    const failed = this.clone();
    failed.changeDirectory(this.failedCwd);
    failed.failedCwd = undefined;
    this.failedCwd = undefined;
    return failed;
  }

  /** After a command whose failure does not stop the line: success or failure, either may hold. */
  settleFailure(): void {
    const failed = this.failureBranch();
    if (failed) this.joinWith(failed);
  }

  get(name: string): VarValue {
    const own = this.vars.get(name);
    if (own) return own;
    if (name === 'HOME') return known(this.home === null ? null : [this.home], true);
    if (name === 'PWD') return known(this.cwd === null ? null : [this.cwd], true);
    if (name === 'IFS') return known([DEFAULT_IFS], false);
    return SECRET_ENV_NAME.test(name) ? { ...UNKNOWN_CLEAN, tainted: true } : UNKNOWN_CLEAN;
  }

  set(name: string, value: Omit<VarValue, 'exported'>, exported?: boolean): void {
    // A variable first set here counts as not exported: a child shell then sees it empty or with this value.
    const wasExported = this.vars.get(name)?.exported ?? false;
    const tainted = value.tainted || SECRET_ENV_NAME.test(name);
    this.vars.set(name, { ...capped(value), tainted, exported: exported ?? (wasExported || this.allExport) });
  }

  setUnknown(name: string): void {
    this.set(name, { values: null, tainted: false, remote: false });
  }

  /** After `source file` or anything that may run unseen code in this shell: nothing is known any more. */
  forgetEverything(): void {
    for (const name of this.vars.keys()) this.setUnknown(name);
    this.cwd = null;
    this.positional = { list: [], more: true };
  }

  /** The working directory after `cd target` (null target: unknown). */
  changeDirectory(target: string | null): void {
    // `cd /` cannot fail; any other directory may not exist.
    this.failedCwd = target === '/' ? undefined : this.cwd;
    if (target === null) this.cwd = null;
    else if (path.posix.isAbsolute(target)) this.cwd = path.posix.resolve(target);
    else this.cwd = this.cwd === null ? null : path.posix.resolve(this.cwd, target);
    this.vars.set('PWD', known(this.cwd === null ? null : [this.cwd], true));
  }

  /**
   * The state a child shell (`bash -c …`) starts from: exported variables keep their values; a variable set
   * here but not exported is empty there unless the environment already had it, so it may be either.
   */
  forChild(): ShellState {
    const child = this.clone();
    for (const [name, value] of this.vars) {
      if (value.exported || value.values === null) continue;
      child.vars.set(name, { ...capped({ ...value, values: [...value.values, ''] }), exported: true });
    }
    child.functions = new Map(this.functions);
    child.positional = { list: [], more: false };
    return child;
  }

  /** Joins another path of execution into this one (a path that ran `exit` adds nothing). */
  joinWith(other: ShellState): void {
    if (other.dead) return;
    if (this.dead) return this.assign(other);
    const names = new Set([...this.vars.keys(), ...other.vars.keys()]);
    for (const name of names) this.vars.set(name, joinValues(this.get(name), other.get(name)));
    if (this.cwd !== other.cwd) this.cwd = null;
    this.positional = joinPositional(this.positional, other.positional);
    for (const [name, bodies] of other.functions) {
      const mine = this.functions.get(name) ?? [];
      this.functions.set(name, [...mine, ...bodies.filter((body) => !mine.includes(body))]);
    }
    this.allExport = this.allExport && other.allExport;
    for (const file of other.downloads) this.downloads.add(file);
    this.unknownDownload ||= other.unknownDownload;
    for (const file of other.secretFiles) this.secretFiles.add(file);
  }

  /** Replaces this state's content with another's (the state a compound command leaves behind). */
  assign(other: ShellState): void {
    this.vars = other.vars;
    this.cwd = other.cwd;
    this.positional = other.positional;
    this.functions = other.functions;
    this.allExport = other.allExport;
    this.downloads = other.downloads;
    this.unknownDownload = other.unknownDownload;
    this.secretFiles = other.secretFiles;
    this.failedCwd = other.failedCwd;
    this.dead = other.dead;
  }
}

export function known(values: readonly string[] | null, exported: boolean): VarValue {
  return { values, tainted: false, remote: false, exported };
}

function capped<T extends Omit<VarValue, 'exported'>>(value: T): T {
  if (value.values === null) return value;
  const unique = [...new Set(value.values)];
  return { ...value, values: unique.length > MAX_VALUES ? null : unique };
}

function joinValues(a: VarValue, b: VarValue): VarValue {
  const values = a.values === null || b.values === null ? null : [...a.values, ...b.values];
  return {
    ...capped({ values, tainted: a.tainted || b.tainted, remote: a.remote || b.remote }),
    exported: a.exported && b.exported,
  };
}

function joinPositional(a: Positional, b: Positional): Positional {
  if (a === b) return a;
  if (a.list.length !== b.list.length) return { list: [], more: true };
  return { list: a.list.map((value, index) => joinValues(value, b.list[index]!)), more: a.more || b.more };
}
