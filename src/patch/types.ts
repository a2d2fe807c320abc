import type { DiffFileStatus } from './diff-files.js';

/**
 * How a hunk was placed, from strictest to loosest: `exact` at the line its header names; `offset` with the
 * same lines elsewhere; `whitespace` equal once whitespace is normalized; `fuzzy` with a few context lines
 * missing or extra.
 */
export type PatchStage = 'exact' | 'offset' | 'whitespace' | 'fuzzy';

export const STAGE_ORDER: readonly PatchStage[] = ['exact', 'offset', 'whitespace', 'fuzzy'];

/** Where one hunk went. */
export interface HunkPlacement {
  /** The file the hunk was applied to (its new name for a rename). */
  readonly file: string;
  /** 1-based, in the order the diff lists the hunks of that file. */
  readonly hunk: number;
  readonly stage: PatchStage;
  /** 1-based line of the original file where the hunk's first matched line is; 0 for a file the patch creates. */
  readonly at: number;
}

export interface PatchOptions {
  /** Globs (safety.protected_paths) no file of the patch may match, old or new name. */
  readonly protectedPaths?: readonly string[];
}

export type PatchOutcome =
  | {
      readonly applied: true;
      /** Every path written or deleted (old and new names of renames), for committing exactly these. */
      readonly files: string[];
      /** The loosest stage any hunk needed. */
      readonly method: PatchStage;
      readonly hunks: HunkPlacement[];
    }
  | {
      readonly applied: false;
      /** One line, naming the file and hunk when one is at fault (it goes back to the model). */
      readonly reason: string;
      /** `unparseable`: the text is not a unified diff; `refused`: it is, but it is not applied. */
      readonly kind: 'unparseable' | 'refused';
    };

/**
 * One line of a hunk; `gap` is a `...` line standing for any number of unchanged lines. `cr`: the line ended
 * with CR in a diff whose own headers did not (git's diff of a CRLF file, not a diff sent with CRLF).
 */
export type HunkOp =
  | { readonly kind: 'context' | 'remove' | 'add'; readonly text: string; readonly noEol: boolean; readonly cr: boolean }
  | { readonly kind: 'gap' };

export interface PatchHunk {
  /** 1-based within its file. */
  readonly number: number;
  readonly header: string;
  /** 0-based old-file line the header points at, or null without numbers. */
  readonly hint: number | null;
  readonly ops: readonly HunkOp[];
}

/** One file of a parsed patch. Paths are repository-relative, without `a/` `b/` prefixes. */
export interface PatchFile {
  readonly oldPath: string | null;
  readonly newPath: string | null;
  readonly status: DiffFileStatus;
  /** git's `rename from`/`copy from` headers said so (a plain diff naming two files is not trusted as a rename). */
  readonly declaredMove: boolean;
  readonly binary: boolean;
  readonly oldMode: string | null;
  readonly newMode: string | null;
  readonly hunks: readonly PatchHunk[];
  /** The diff wrote this file's lines with CRLF (used for the line endings of a file it creates). */
  readonly crlf: boolean;
}
