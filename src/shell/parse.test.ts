import { describe, expect, it } from 'vitest';
import { MAX_SYNTAX_DEPTH, parseShell } from './parse.js';
import type { ShCommand, ShNode, ShScript } from './shell-ast.js';

function parsed(source: string): ShScript {
  const outcome = parseShell(source);
  if (!outcome.ok) throw new Error(`unexpected parse failure: ${outcome.reason}`);
  return outcome.script;
}

/** The simple commands of a node, depth first (substitutions not included). */
function commands(node: ShNode): ShCommand[] {
  switch (node.type) {
    case 'command':
      return [node];
    case 'list':
      return node.items.flatMap((item) => commands(item.node));
    case 'and-or':
      return node.items.flatMap(commands);
    case 'pipeline':
      return node.stages.flatMap(commands);
    case 'group':
    case 'function':
    case 'coproc':
      return commands(node.body);
    case 'redirected':
      return commands(node.node);
    case 'if':
      return [...node.clauses.flatMap((clause) => [...commands(clause.condition), ...commands(clause.body)]), ...(node.otherwise ? commands(node.otherwise) : [])];
    case 'case':
      return node.items.flatMap((item) => commands(item.body));
    case 'loop':
      return [...(node.condition ? commands(node.condition) : []), ...commands(node.body)];
    case 'test':
      return [];
  }
}

describe('parseShell', () => {
  it('keeps assignments, words with their quoting, and redirections apart', () => {
    const [command] = commands(parsed(`X=1 "a b" 'c'$HOME 2>&1 >out.txt`).body);
    expect(command!.assignments.map((assignment) => assignment.name)).toEqual(['X']);
    expect(command!.words.map((word) => word.text)).toEqual(['"a b"', "'c'$HOME"]);
    expect(command!.words[1]!.parts).toEqual([
      { type: 'literal', value: 'c', quoted: true },
      { type: 'param', name: 'HOME', quoted: false, op: 'plain', colon: false, operand: null, inner: [] },
    ]);
    expect(command!.redirects.map((redirect) => [redirect.op, redirect.fd, redirect.target?.text])).toEqual([['>&', 2, '1'], ['>', null, 'out.txt']]);
  });

  it('gives nested scripts for $(…), backticks, <(…) and arithmetic substitutions', () => {
    const [command] = commands(parsed('echo "$(a)" `b` <(c) $(( $(d) + 1 ))').body);
    expect(command!.words.slice(1).map((word) => word.parts.map((part) => part.type))).toEqual([
      ['literal', 'command-sub'],
      ['command-sub'],
      ['process-sub'],
      ['arith'],
    ]);
  });

  it('covers compound commands: if, case, for, while, functions, subshells, groups', () => {
    const script = parsed('if a; then b; elif c; then d; else e; fi; case x in y) f;; esac; for i in 1 2; do g; done; while h; do i; done; k() { l; }; (m); { n; }');
    expect(commands(script.body).map((command) => command.words[0]!.text)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'l', 'm', 'n']);
  });

  it('marks a leading ~ as a tilde and keeps brace expansions and globs', () => {
    const [command] = commands(parsed('ls ~/src {a,b} *.ts').body);
    expect(command!.words.slice(1).map((word) => word.parts[0]!.type)).toEqual(['tilde', 'brace', 'glob']);
  });

  it('keeps a here-document body, expandable only when the delimiter is unquoted', () => {
    const [open] = commands(parsed('cat <<EOF\n$(id)\nEOF').body);
    const [quoted] = commands(parsed("cat <<'EOF'\n$(id)\nEOF").body);
    expect(open!.redirects[0]!.heredoc!.expanded!.parts.some((part) => part.type === 'command-sub')).toBe(true);
    expect(quoted!.redirects[0]!.heredoc).toEqual({ text: '$(id)\n', expanded: null });
  });

  it.each([
    ["echo 'open", 'unterminated single quote'],
    ['echo "open', 'unterminated double quote'],
    ['echo $(ls', 'unterminated command substitution'],
    ['echo "$(echo \'x)"', 'unterminated'],
    ['if true; then x', "expected 'fi'"],
  ])('fails on %j', (source, reason) => {
    const outcome = parseShell(source);
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : `${outcome.why}: ${outcome.reason}`).toContain(reason);
  });

  it(`fails closed beyond ${MAX_SYNTAX_DEPTH} levels of nesting`, () => {
    const deep = `${'( '.repeat(MAX_SYNTAX_DEPTH)}true${' )'.repeat(MAX_SYNTAX_DEPTH)}`;
    expect(parseShell(deep)).toMatchObject({ ok: false, why: 'too-deep' });
    expect(parseShell(`${'( '.repeat(5)}true${' )'.repeat(5)}`).ok).toBe(true);
  });
});
