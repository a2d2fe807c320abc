import type { Field } from './fields.js';

/**
 * What the walk of a command line found: every command that would run (with its arguments as fields), every
 * file a redirection writes, and the problems it saw on the way (unknown command names, scripts it cannot
 * see). The rules judge these facts; they never look at the text again.
 */
export type StdinSource =
  | { readonly kind: 'none' }
  /** Fed by the earlier stages of a pipeline. */
  | { readonly kind: 'pipe'; readonly upstream: readonly CommandFact[] }
  /** A here-document or here-string; `text` is null when it contains unknown expansions. */
  | { readonly kind: 'text'; readonly text: string | null; readonly tainted: boolean; readonly remote: boolean }
  /** `< file`. */
  | { readonly kind: 'file'; readonly path: Field };

export interface CommandFact {
  /** Base name of the program (`/usr/bin/rm` → `rm`). */
  readonly program: string;
  /** The program word as written (after expansion), for path checks (`./install.sh`). */
  readonly programPath: string;
  readonly args: readonly Field[];
  /** Absolute working directory; null when not known (`cd "$X"`, a remote host). */
  readonly cwd: string | null;
  readonly stdin: StdinSource;
  /** Wrappers passed through to reach this command, outermost first (`sudo`, `timeout`, `xargs` …). */
  readonly wrappers: readonly string[];
  /** Runs on another machine or container (`ssh host cmd`, `kubectl exec … -- cmd`). */
  readonly remoteHost: boolean;
  /** Its arguments or input carry a secret (a secret variable, a credential file, the output of `env`). */
  readonly carriesSecrets: boolean;
  /** Its output may hold secrets: it carries some, or prints the environment or a token (`az account get-access-token`). */
  readonly emitsSecrets: boolean;
  /** Talks to the network. */
  readonly network: boolean;
}

export interface WriteFact {
  /** The file written; `value` null when not known. */
  readonly target: Field;
  readonly cwd: string | null;
  /** The program whose output goes there ('' for a redirection on no command). */
  readonly by: string;
}

export interface Finding {
  /** `unparseable:<why>` or `builtin:<id>`. */
  readonly rule: string;
  readonly reason: string;
}

export interface Analysis {
  readonly commands: readonly CommandFact[];
  readonly writes: readonly WriteFact[];
  readonly findings: readonly Finding[];
}
