import { expandToField, expandValue, type ExpandContext } from './expand.js';
import type { StdinSource } from './facts.js';
import type { Field } from './fields.js';
import type { ShRedirect, ShScript, ShWord } from './shell-ast.js';
import type { Frame, SubstitutionInfo, Walker } from './walker.js';

/**
 * Redirections of one command (or compound command): files written are recorded as write facts, and the last
 * input redirection (`< file`, here-document, here-string) becomes the command's standard input.
 */
export interface RedirectOutcome {
  /** Standard input set by the redirections, or null when they leave it alone. */
  readonly stdin: StdinSource | null;
  /** Files written (also recorded on the walker). */
  readonly written: readonly Field[];
}

const WRITE_OPERATORS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);

export function redirectWords(redirects: readonly ShRedirect[]): ShWord[] {
  return redirects.flatMap((redirect) => [
    ...(redirect.target ? [redirect.target] : []),
    ...(redirect.heredoc?.expanded ? [redirect.heredoc.expanded] : []),
  ]);
}

export function applyRedirects(
  walker: Walker,
  redirects: readonly ShRedirect[],
  frame: Frame,
  by: string,
  known?: ReadonlyMap<ShScript, SubstitutionInfo>,
): RedirectOutcome {
  if (redirects.length === 0) return { stdin: null, written: [] };
  const subs = known ?? walker.walkWords(redirectWords(redirects), frame);
  const context: ExpandContext = { state: frame.state, substitution: (script) => subs.get(script) ?? walker.substitute(script, frame) };
  let stdin: StdinSource | null = null;
  const written: Field[] = [];
  for (const redirect of redirects) {
    const readsStdin = redirect.fd === null || redirect.fd === 0;
    if (redirect.heredoc) {
      if (readsStdin) stdin = textInput(redirect.heredoc.expanded, redirect.heredoc.text, context);
      continue;
    }
    if (!redirect.target) continue;
    if (redirect.op === '<<<') {
      if (readsStdin) stdin = textInput(redirect.target, null, context);
      continue;
    }
    const target = expandToField(redirect.target, context);
    if (redirect.op === '<') {
      if (readsStdin) stdin = { kind: 'file', path: target };
    } else if (WRITE_OPERATORS.has(redirect.op) || (redirect.op === '>&' && !isDescriptor(target))) {
      written.push(target);
      walker.writes.push({ target, cwd: frame.state.cwd, by });
    }
  }
  return { stdin, written };
}

/** `2>&1`, `>&-`: a file descriptor, not a file. */
function isDescriptor(target: Field): boolean {
  return target.value !== null && /^(\d+|-|\d+-)$/.test(target.value);
}

function textInput(word: ShWord | null, raw: string | null, context: ExpandContext): StdinSource {
  if (word === null) return { kind: 'text', text: raw, tainted: false, remote: false };
  const value = expandValue(word, context);
  const text = value.values !== null && value.values.length === 1 ? value.values[0]! : null;
  return { kind: 'text', text, tainted: value.tainted, remote: value.remote };
}
