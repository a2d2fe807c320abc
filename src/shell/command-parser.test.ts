import { describe, expect, it } from 'vitest';
import { parseScript, type ParsedScript } from './command-parser.js';

function parsed(text: string): ParsedScript {
  const result = parseScript(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.reason}`);
  return result.script;
}

const words = (text: string): string[][] => parsed(text).commands.map((command) => [...command.words]);

describe('parseScript: words and quotes', () => {
  it.each([
    ['npm run lint', [['npm', 'run', 'lint']]],
    ['echo "a b" \'c d\' e\\ f', [['echo', 'a b', 'c d', 'e f']]],
    ['echo "say \\"hi\\" \\$HOME"', [['echo', 'say "hi" $HOME']]],
    ["echo 'no \\escape'", [['echo', 'no \\escape']]],
    ['r""m -rf x', [['rm', '-rf', 'x']]],
    ["echo $'a\\tb\\x41\\101'", [['echo', 'a\tbAA']]],
    ['echo $HOME ${USER:-x}', [['echo', '$HOME', '${USER:-x}']]],
    ['echo one \\\n two', [['echo', 'one', 'two']]],
    ['echo hi # a comment; rm -rf /', [['echo', 'hi']]],
    ['echo a#b', [['echo', 'a#b']]],
    ['echo ""', [['echo', '']]],
  ])('%j', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });
});

describe('parseScript: operators and redirections', () => {
  it('splits on ; && || & | newlines and parentheses', () => {
    expect(words('a; b && c || d & e | f\ng (h) { i; }')).toEqual([['a'], ['b'], ['c'], ['d'], ['e'], ['f'], ['g'], ['h'], ['{', 'i'], ['}']]);
  });

  it('numbers pipelines so that piped commands share one', () => {
    const script = parsed('a | b |& c; d | e');
    expect(script.commands.map((command) => command.pipeline)).toEqual([0, 0, 0, 1, 1]);
  });

  it('drops redirections with their targets, including file descriptors', () => {
    expect(words('npm test 2>&1 >out.log < in.txt &>all.log 3>>x')).toEqual([['npm', 'test']]);
    expect(words('echo hi>out')).toEqual([['echo', 'hi']]);
  });

  it('treats a here-document body as data when the delimiter is quoted', () => {
    const script = parsed("cat <<'EOF'\nrm -rf /\nEOF\necho after");
    expect(script.commands.map((command) => command.words)).toEqual([['cat'], ['echo', 'after']]);
    expect(script.commands[0]!.substitutions).toEqual([]);
  });

  it('finds substitutions in an unquoted here-document body, as input of its command', () => {
    const script = parsed('cat <<-EOF\n\tvalue $(whoami)\n\tEOF');
    expect(script.commands[0]!.substitutions).toHaveLength(1);
    expect(script.commands[0]!.substitutions[0]!.role).toEqual({ kind: 'input' });
    expect(script.commands[0]!.substitutions[0]!.script.commands[0]!.words).toEqual(['whoami']);
  });
});

describe('parseScript: substitutions', () => {
  it('records $( ), backticks and <( ) with the index of the word they are in', () => {
    const script = parsed('cmd $(a) "x`b`" <(c) > >(d)');
    const command = script.commands[0]!;
    expect(command.words).toEqual(['cmd', '$(a)', 'x`b`', '<(c)']);
    const found = command.substitutions.map((substitution) => [substitution.script.commands[0]!.words[0], substitution.role]);
    expect(found).toEqual([
      ['a', { kind: 'word', index: 1 }],
      ['b', { kind: 'word', index: 2 }],
      ['c', { kind: 'word', index: 3 }],
      ['d', { kind: 'other' }],
    ]);
  });

  it('marks a substitution in an input redirection as input', () => {
    const command = parsed('sh < <(curl x)').commands[0]!;
    expect(command.substitutions[0]!.role).toEqual({ kind: 'input' });
  });

  it('handles nesting and parentheses inside $( )', () => {
    const inner = parsed('echo $(a $(b) (c) d)').commands[0]!.substitutions[0]!.script;
    expect(inner.commands.map((command) => command.words)).toEqual([['a', '$(b)'], ['c'], ['d']]);
    expect(inner.commands[0]!.substitutions[0]!.script.commands[0]!.words).toEqual(['b']);
  });

  it('does not treat arithmetic as a command', () => {
    const command = parsed('echo $((1 + (2 * 3)))').commands[0]!;
    expect(command.substitutions).toEqual([]);
    expect(command.words).toEqual(['echo', '$((1 + (2 * 3)))']);
  });

  it('finds a substitution inside a parameter default', () => {
    const command = parsed('echo ${X:-$(id)}').commands[0]!;
    expect(command.substitutions[0]!.script.commands[0]!.words).toEqual(['id']);
  });
});

describe('parseScript: skeleton', () => {
  it('keeps the structure and hides quoted data', () => {
    expect(parsed(`echo ':(){ :|:& };:' && f(){ f|f& }`).skeleton).toBe("echo '_' && f(){ f|f& }");
  });
});

describe('parseScript: failures', () => {
  it.each([
    ["echo 'a", 'unbalanced single quote'],
    ['echo "a', 'unbalanced double quote'],
    ['echo `a', 'unbalanced backtick'],
    ['echo $(a', 'unterminated $('],
    ['echo ${a', 'unterminated ${'],
    ['echo $((1', 'unterminated $(('],
    ["echo $'a", "unbalanced $' quote"],
  ])('%j → %s', (text, reason) => {
    expect(parseScript(text)).toEqual({ ok: false, reason });
  });
});
