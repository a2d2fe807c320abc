import type * as U from 'unbash';
import { enter, ParseFailure } from './parse-failure.js';
import type { ShPart, ShScript, ShWord } from './shell-ast.js';

/**
 * Words of the parser's tree as fleet-orch's `ShWord`s: quoting, expansions, brace and tilde parts, and the
 * scripts nested in them (converted by the `convertScript` the parser module hands in).
 */
export type ScriptConverter = (script: U.ParsedScript | undefined, depth: number) => ShScript;

export interface WordConverter {
  convertWord(word: U.Word, depth: number): ShWord;
  convertParts(parts: readonly U.WordPart[], quoted: boolean, depth: number): ShPart[];
  arithmeticParts(expressions: readonly (U.ArithmeticExpression | undefined)[], depth: number): { words: ShWord[]; assigns: string[] };
  testWords(expression: U.TestExpression, depth: number): ShWord[];
}

export function wordConverter(convertScript: ScriptConverter): WordConverter {
  function convertWord(word: U.Word, depth: number): ShWord {
    if (!word.parts) return { text: word.text, parts: withTilde([{ type: 'literal', value: word.value, quoted: word.text !== word.value }], word.text) };
    return { text: word.text, parts: withTilde(convertParts(word.parts, false, depth), word.text) };
  }

  /** A leading unquoted `~` or `~user` (up to the first `/`) is a tilde expansion. */
  function withTilde(parts: ShPart[], text: string): ShPart[] {
    const first = parts[0];
    if (!text.startsWith('~') || first?.type !== 'literal' || !first.value.startsWith('~')) return parts;
    const slash = first.value.indexOf('/');
    const user = first.value.slice(1, slash < 0 ? undefined : slash);
    const rest = slash < 0 ? '' : first.value.slice(slash);
    const tilde: ShPart = { type: 'tilde', user };
    return rest === '' ? [tilde, ...parts.slice(1)] : [tilde, { type: 'literal', value: rest, quoted: false }, ...parts.slice(1)];
  }

  function convertParts(parts: readonly U.WordPart[], quoted: boolean, depth: number): ShPart[] {
    return parts.flatMap((part) => convertPart(part, quoted, depth));
  }

  function convertPart(part: U.WordPart, quoted: boolean, depth: number): ShPart | ShPart[] {
    switch (part.type) {
      case 'Literal':
        return { type: 'literal', value: part.value, quoted: quoted || part.text !== part.value };
      case 'SingleQuoted':
      case 'AnsiCQuoted':
        return { type: 'literal', value: part.value, quoted: true };
      case 'DoubleQuoted':
      case 'LocaleString':
        // Their children are quoted; `""` still makes an (empty) field, which an empty quoted literal keeps.
        return [{ type: 'literal', value: '', quoted: true }, ...convertParts(part.parts, true, depth)];
      case 'SimpleExpansion':
        return { type: 'param', name: part.text.slice(1), quoted, op: 'plain', colon: false, operand: null, inner: [] };
      case 'ParameterExpansion':
        return convertParameter(part, quoted, depth);
      case 'CommandExpansion':
        return { type: 'command-sub', script: convertScript(part.script, depth), quoted };
      case 'ProcessSubstitution':
        return { type: 'process-sub', script: convertScript(part.script, depth), direction: part.operator };
      case 'ArithmeticExpansion': {
        const arithmetic = arithmeticParts([part.expression], depth);
        if (part.expression === undefined) throw new ParseFailure('syntax', 'an arithmetic expansion could not be parsed');
        return { type: 'arith', quoted, words: arithmetic.words, assigns: arithmetic.assigns };
      }
      case 'Glob':
      case 'ExtendedGlob':
        if (quoted) return { type: 'literal', value: part.text, quoted: true };
        return part.parts?.some((inner) => inner.type !== 'Literal' && inner.type !== 'Glob')
          ? { type: 'opaque', text: part.text, quoted, words: [{ text: part.text, parts: convertParts(part.parts, false, depth) }] }
          : { type: 'glob', pattern: part.text };
      case 'BraceExpansion':
        return part.parts?.some((inner) => inner.type !== 'Literal')
          ? { type: 'opaque', text: part.text, quoted, words: [{ text: part.text, parts: convertParts(part.parts, false, depth) }] }
          : { type: 'brace', text: part.text };
      default:
        throw new ParseFailure('syntax', `unsupported word syntax (${(part as { type: string }).type})`);
    }
  }

  function convertParameter(part: U.ParameterExpansionPart, quoted: boolean, depth: number): ShPart {
    const operation = part.operation;
    const inner: ShWord[] = [];
    if (part.index) inner.push(convertWord(part.index, depth));
    const base = { type: 'param' as const, name: part.parameter, quoted };
    if (part.prefix === undefined && part.index === undefined && operation === undefined) {
      return { ...base, op: 'plain', colon: false, operand: null, inner };
    }
    if (operation?.type === 'Default' && part.prefix === undefined && part.index === undefined) {
      const kind = operation.operator.replace(':', '');
      const op = kind === '-' ? 'default' : kind === '=' ? 'assign' : kind === '+' ? 'alternative' : 'error';
      return { ...base, op, colon: operation.operator.startsWith(':'), operand: convertWord(operation.operand, depth), inner };
    }
    for (const word of operationWords(operation)) inner.push(convertWord(word, depth));
    return { ...base, op: 'other', colon: false, operand: null, inner };
  }

  function operationWords(operation: U.ParameterOperation | undefined): U.Word[] {
    if (!operation) return [];
    switch (operation.type) {
      case 'Default':
      case 'Remove':
      case 'Transform':
        return [operation.operand];
      case 'Replace':
        return [operation.pattern, operation.replacement];
      case 'Slice':
        return operation.length ? [operation.offset, operation.length] : [operation.offset];
      case 'CaseModification':
        return operation.operand ? [operation.operand] : [];
      default:
        return [];
    }
  }

  const ARITHMETIC_ASSIGNMENT = new Set(['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '^=', '|=']);

  /** Words inside arithmetic (for their substitutions) and the variables it assigns. */
  function arithmeticParts(expressions: readonly (U.ArithmeticExpression | undefined)[], depth: number): { words: ShWord[]; assigns: string[] } {
    const words: ShWord[] = [];
    const assigns: string[] = [];
    const nameOf = (expression: U.ArithmeticExpression): string | null =>
      expression.type === 'ArithmeticWord' ? (/^[A-Za-z_][A-Za-z0-9_]*/.exec(expression.value)?.[0] ?? null) : null;
    const visit = (expression: U.ArithmeticExpression | undefined, level: number): void => {
      if (!expression) return;
      const at = enter(level);
      switch (expression.type) {
        case 'ArithmeticWord':
          if (expression.parts) words.push({ text: expression.value, parts: convertParts(expression.parts, false, at) });
          return;
        case 'ArithmeticCommandExpansion':
          words.push({ text: expression.text, parts: [{ type: 'command-sub', script: convertScript(expression.script, at), quoted: true }] });
          return;
        case 'ArithmeticBinary': {
          const target = ARITHMETIC_ASSIGNMENT.has(expression.operator) ? nameOf(expression.left) : null;
          if (target) assigns.push(target);
          visit(expression.left, at);
          visit(expression.right, at);
          return;
        }
        case 'ArithmeticUnary': {
          const target = expression.operator === '++' || expression.operator === '--' ? nameOf(expression.operand) : null;
          if (target) assigns.push(target);
          visit(expression.operand, at);
          return;
        }
        case 'ArithmeticTernary':
          visit(expression.test, at);
          visit(expression.consequent, at);
          visit(expression.alternate, at);
          return;
        case 'ArithmeticGroup':
          visit(expression.expression, at);
          return;
      }
    };
    for (const expression of expressions) visit(expression, depth);
    return { words, assigns };
  }

  function testWords(expression: U.TestExpression, depth: number): ShWord[] {
    const at = enter(depth);
    switch (expression.type) {
      case 'TestUnary':
        return [convertWord(expression.operand, at)];
      case 'TestBinary':
        return [convertWord(expression.left, at), convertWord(expression.right, at)];
      case 'TestLogical':
        return expression.operands.flatMap((operand) => testWords(operand, at));
      case 'TestNot':
        return testWords(expression.operand, at);
      case 'TestGroup':
        return testWords(expression.expression, at);
    }
  }

  return { convertWord, convertParts, arithmeticParts, testWords };
}
