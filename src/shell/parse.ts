/**
 * The only module that knows the parser dependency (unbash, pinned): it turns its tree into fleet-orch's own
 * `ShScript` and refuses anything it cannot represent faithfully. Parse errors anywhere (also inside nested
 * substitutions) and nesting deeper than MAX_SYNTAX_DEPTH fail the parse: the policy fails closed on them.
 */
import { parse as unbashParse } from 'unbash';
import type * as U from 'unbash';
import { enter, MAX_SYNTAX_DEPTH, ParseFailure } from './parse-failure.js';
import { wordConverter } from './parse-words.js';
import type { ShAssignment, ShHeredoc, ShNode, ShPart, ShRedirect, ShScript, ShWord } from './shell-ast.js';

export { MAX_SYNTAX_DEPTH };

export type ParseOutcome =
  | { readonly ok: true; readonly script: ShScript }
  | { readonly ok: false; readonly why: 'syntax' | 'too-deep'; readonly reason: string };


export function parseShell(source: string): ParseOutcome {
  try {
    return { ok: true, script: convertScript(unbashParse(source), 0) };
  } catch (error) {
    if (error instanceof ParseFailure) return { ok: false, why: error.why, reason: error.message };
    // The parser itself gave up (it should not): refuse rather than guess.
    return { ok: false, why: 'syntax', reason: `the parser failed (${error instanceof Error ? error.message : String(error)})` };
  }
}

function convertScript(script: U.ParsedScript | undefined, depth: number): ShScript {
  if (script === undefined) throw new ParseFailure('syntax', 'a substitution could not be parsed');
  const error = script.errors?.[0];
  if (error) throw new ParseFailure('syntax', error.message);
  return { body: convertStatements(script.commands, enter(depth)) };
}

function convertStatements(statements: readonly U.Statement[], depth: number): ShNode {
  return {
    type: 'list',
    items: statements.map((statement) => ({ node: convertNode(statement.command, depth), background: statement.background === true })),
  };
}

function convertList(list: U.CompoundList, depth: number): ShNode {
  return convertStatements(list.commands, enter(depth));
}

type AnyNode = U.PipelineNode | U.AndOr | U.CompoundList;

function convertNode(node: AnyNode, depth: number): ShNode {
  const at = enter(depth);
  switch (node.type) {
    case 'Command':
      return convertCommand(node, at);
    case 'AndOr':
      return { type: 'and-or', items: node.commands.map((item) => convertNode(item, at)), operators: node.operators };
    case 'Pipeline':
      return node.commands.length === 1 ? convertNode(node.commands[0]!, at) : { type: 'pipeline', stages: node.commands.map((item) => convertNode(item, at)) };
    case 'Redirected':
      return { type: 'redirected', node: convertNode(node.command, at), redirects: node.redirects.map((item) => convertRedirect(item, at)) };
    case 'CompoundList':
      return convertList(node, at);
    case 'Subshell':
    case 'BraceGroup':
      return { type: 'group', subshell: node.type === 'Subshell', body: convertList(node.body, at) };
    case 'If':
      return {
        type: 'if',
        clauses: [node, ...node.elif].map((clause) => ({ condition: convertList(clause.clause, at), body: convertList(clause.then, at) })),
        otherwise: node.else ? convertList(node.else, at) : null,
      };
    case 'Case':
      return {
        type: 'case',
        word: convertWord(node.word, at),
        items: node.items.map((item) => ({ patterns: item.pattern.map((word) => convertWord(word, at)), body: convertList(item.body, at) })),
      };
    case 'For':
    case 'Select':
      return {
        type: 'loop',
        variable: node.name.value,
        words: node.wordlist ? node.wordlist.map((word) => convertWord(word, at)) : null,
        condition: null,
        body: convertList(node.body, at),
        headWords: [],
        assigns: [],
      };
    case 'While':
      return { type: 'loop', variable: null, words: null, condition: convertList(node.clause, at), body: convertList(node.body, at), headWords: [], assigns: [] };
    case 'ArithmeticFor': {
      const head = arithmeticParts([node.initialize, node.test, node.update], at);
      return { type: 'loop', variable: null, words: null, condition: null, body: convertList(node.body, at), headWords: head.words, assigns: head.assigns };
    }
    case 'Function':
      return { type: 'function', name: node.name.value, body: convertNode(node.body, at) };
    case 'Coproc':
      return { type: 'coproc', body: convertNode(node.body, at) };
    case 'TestCommand':
      return { type: 'test', words: testWords(node.expression, at), assigns: [] };
    case 'ArithmeticCommand': {
      const arithmetic = arithmeticParts([node.expression], at);
      return { type: 'test', words: arithmetic.words, assigns: arithmetic.assigns };
    }
    default:
      throw new ParseFailure('syntax', `unsupported shell syntax (${(node as { type: string }).type})`);
  }
}

function convertCommand(command: U.Command, depth: number): ShNode {
  const assignments: ShAssignment[] = [];
  const words: ShWord[] = [];
  const redirects: ShRedirect[] = [];
  for (const item of command.prefix) {
    if (item.type === 'Assignment') assignments.push(convertAssignment(item, depth));
    else redirects.push(convertRedirect(item, depth));
  }
  if (command.name) words.push(convertWord(command.name, depth));
  for (const item of command.suffix) {
    if (item.type === 'Word') words.push(convertWord(item, depth));
    else if (item.type === 'Assignment') words.push(assignmentWord(item, depth));
    else redirects.push(convertRedirect(item, depth));
  }
  return { type: 'command', assignments, words, redirects };
}

function convertAssignment(assignment: U.Assignment, depth: number): ShAssignment {
  const value = assignment.value;
  const base = { name: assignment.name, append: assignment.append === true, indexed: assignment.index !== undefined };
  if (value.type === 'ArrayValue') return { ...base, value: null, elements: value.elements.map((word) => convertWord(word, depth)) };
  // An index can hold a substitution (`x[$(cmd)]=1`): keep it as an element so that it is walked.
  const elements = assignment.index ? [convertWord(assignment.index, depth)] : [];
  return { ...base, value: convertWord(value, depth), elements };
}

/** `export X=1` as an argument word: `X=` followed by the value's parts, with the assignment attached. */
function assignmentWord(assignment: U.Assignment, depth: number): ShWord {
  const converted = convertAssignment(assignment, depth);
  const head: ShPart = { type: 'literal', value: `${assignment.name}${assignment.append ? '+' : ''}=`, quoted: true };
  const valueParts: ShPart[] = converted.value
    ? [...converted.value.parts]
    : [{ type: 'opaque', text: assignment.text, quoted: true, words: converted.elements }];
  return { text: assignment.text, parts: [head, ...valueParts], assignment: converted };
}

function convertRedirect(redirect: U.Redirection, depth: number): ShRedirect {
  const fd = redirect.descriptor?.type === 'FileDescriptor' ? redirect.descriptor.value : null;
  if (redirect.type === 'HereDoc') {
    const heredoc: ShHeredoc = {
      text: redirect.body.text,
      expanded:
        redirect.delimiter?.quoted === true || !redirect.body.parts
          ? null
          : { text: redirect.body.text, parts: convertParts(redirect.body.parts, true, depth) },
    };
    return { op: redirect.operator, fd, target: null, heredoc };
  }
  return { op: redirect.operator, fd, target: redirect.target ? convertWord(redirect.target, depth) : null, heredoc: null };
}

const { convertWord, convertParts, arithmeticParts, testWords } = wordConverter(convertScript);
