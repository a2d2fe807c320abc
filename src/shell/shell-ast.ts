/**
 * fleet-orch's own small syntax tree of a shell command line: what the policy needs and nothing more. It is
 * produced by `parse.ts` from the parser dependency, so that the parser can be replaced without touching the
 * policy. Words keep their parts (quoting, expansions, nested scripts); nothing is expanded here.
 */

export interface ShScript {
  readonly body: ShNode;
}

export type ShNode =
  | ShCommand
  | { readonly type: 'list'; readonly items: readonly { readonly node: ShNode; readonly background: boolean }[] }
  | { readonly type: 'and-or'; readonly items: readonly ShNode[]; readonly operators: readonly ('&&' | '||')[] }
  | { readonly type: 'pipeline'; readonly stages: readonly ShNode[] }
  | { readonly type: 'group'; readonly subshell: boolean; readonly body: ShNode }
  | { readonly type: 'redirected'; readonly node: ShNode; readonly redirects: readonly ShRedirect[] }
  | { readonly type: 'if'; readonly clauses: readonly ShClause[]; readonly otherwise: ShNode | null }
  | { readonly type: 'case'; readonly word: ShWord; readonly items: readonly { readonly patterns: readonly ShWord[]; readonly body: ShNode }[] }
  | ShLoop
  | { readonly type: 'function'; readonly name: string; readonly body: ShNode }
  /** `[[ … ]]`, `(( … ))`: only their expansions run; `assigns` are variables an arithmetic expression sets. */
  | { readonly type: 'test'; readonly words: readonly ShWord[]; readonly assigns: readonly string[] }
  | { readonly type: 'coproc'; readonly body: ShNode };

export interface ShClause {
  readonly condition: ShNode;
  readonly body: ShNode;
}

export interface ShLoop {
  readonly type: 'loop';
  /** `for NAME in WORDS` / `select`; null for while/until and arithmetic for. */
  readonly variable: string | null;
  /** The words of `for x in …`; null when `in` is absent (iterates over "$@"). */
  readonly words: readonly ShWord[] | null;
  readonly condition: ShNode | null;
  readonly body: ShNode;
  /** Expansions of an arithmetic `for ((…))` head, and the variables it sets. */
  readonly headWords: readonly ShWord[];
  readonly assigns: readonly string[];
}

export interface ShCommand {
  readonly type: 'command';
  /** `NAME=value` before the command name. */
  readonly assignments: readonly ShAssignment[];
  /** Command name and arguments, in order (`export X=1` keeps `X=1` as a word with `assignment` set). */
  readonly words: readonly ShWord[];
  readonly redirects: readonly ShRedirect[];
}

export interface ShAssignment {
  readonly name: string;
  /** null for an array value `x=(a b)`: its elements are in `elements`. */
  readonly value: ShWord | null;
  readonly elements: readonly ShWord[];
  readonly append: boolean;
  /** `x[i]=…`. */
  readonly indexed: boolean;
}

export interface ShWord {
  /** Source text, for messages. */
  readonly text: string;
  readonly parts: readonly ShPart[];
  /** Set when the word is an assignment given as an argument (`export X=1`, `declare -x Y=2`). */
  readonly assignment?: ShAssignment;
}

export type ShPart =
  | { readonly type: 'literal'; readonly value: string; readonly quoted: boolean }
  /** Unquoted `*`, `?`, `[…]` or an extended glob. */
  | { readonly type: 'glob'; readonly pattern: string }
  /** Unquoted `{a,b}` or `{1..3}` (the text with its braces). */
  | { readonly type: 'brace'; readonly text: string }
  /** A leading `~` or `~user`. */
  | { readonly type: 'tilde'; readonly user: string }
  | ShParameter
  | { readonly type: 'command-sub'; readonly script: ShScript; readonly quoted: boolean }
  | { readonly type: 'process-sub'; readonly script: ShScript; readonly direction: '<' | '>' }
  /** `$((…))`: a number; `words` hold its expansions (and substitutions), `assigns` the variables it sets. */
  | { readonly type: 'arith'; readonly quoted: boolean; readonly words: readonly ShWord[]; readonly assigns: readonly string[] }
  /** Syntax whose value the policy does not compute (`{$(x),y}`, `@(a|$(b))`): unknown, its `words` still walked. */
  | { readonly type: 'opaque'; readonly text: string; readonly quoted: boolean; readonly words: readonly ShWord[] };

export interface ShParameter {
  readonly type: 'param';
  /** `X`, `1`, `@`, `?` … */
  readonly name: string;
  readonly quoted: boolean;
  /** plain `$X`; `default` `${X:-w}`; `assign` `${X:=w}`; `alternative` `${X:+w}`; `error` `${X:?w}`; `other` anything else. */
  readonly op: 'plain' | 'default' | 'assign' | 'alternative' | 'error' | 'other';
  /** The `:` of `:-`, `:=` … (an empty value counts as unset). */
  readonly colon: boolean;
  /** The operand of default/assign/alternative/error. */
  readonly operand: ShWord | null;
  /** Other words inside the expansion (patterns, indexes): only their nested scripts matter. */
  readonly inner: readonly ShWord[];
}

export interface ShRedirect {
  /** `>`, `>>`, `<`, `<>`, `>&`, `<&`, `>|`, `&>`, `&>>`, `<<`, `<<-`, `<<<`. */
  readonly op: string;
  readonly fd: number | null;
  /** The file (or fd number); the string of a here-string; null for a here-document. */
  readonly target: ShWord | null;
  readonly heredoc: ShHeredoc | null;
}

export interface ShHeredoc {
  /** The raw body. */
  readonly text: string;
  /** The body as a word when the delimiter is unquoted (its expansions run); null when quoted. */
  readonly expanded: ShWord | null;
}
