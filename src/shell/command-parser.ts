/**
 * A small bash command-line scanner for the policy: it splits a line into simple commands, removes quotes and
 * finds the scripts hidden in `$(…)`, backticks and `<(…)`. It does not expand anything. It is deliberately
 * separate from the rules so that a complete shell parser can replace it without touching them.
 */
import { decodeAnsiCEscape, ScriptBuilder, type ParsedScript } from './script-builder.js';

export type { ParsedScript, SimpleCommand, Substitution, SubstitutionRole } from './script-builder.js';

export type ParseResult = { readonly ok: true; readonly script: ParsedScript } | { readonly ok: false; readonly reason: string };

export const MAX_NESTING = 16;

class ParseFailure extends Error {}

export function parseScript(text: string): ParseResult {
  try {
    const scanner = new Scanner(text, 0);
    const script = scanner.scanScript(false);
    return { ok: true, script };
  } catch (error) {
    if (error instanceof ParseFailure) return { ok: false, reason: error.message };
    throw error;
  }
}

/** One escape inside `$'…'`, matched at a given position (sticky). */
const ANSI_C_ESCAPE = /\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.)/sy;

const OPERATOR_CHARS = new Set([';', '&', '|', '(', ')', '<', '>', '\n']);

class Scanner {
  pos = 0;

  constructor(
    private readonly text: string,
    private readonly depth: number,
  ) {
    if (depth > MAX_NESTING) throw new ParseFailure('substitutions nested too deeply');
  }

  /** Scans until the end of the text, or until an unmatched `)` when `closeParen` is set (for `$(…)`). */
  scanScript(closeParen: boolean): ParsedScript {
    const builder = new ScriptBuilder();
    let parenDepth = 0;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      const next = this.text[this.pos + 1];
      if (ch === ' ' || ch === '\t' || ch === '\r') {
        builder.endWord();
        builder.skeleton += ch;
        this.pos += 1;
      } else if (ch === '#' && !builder.inWord()) {
        while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos += 1;
      } else if (ch === '\n') {
        builder.endCommand(true);
        builder.skeleton += ch;
        this.pos += 1;
        this.scanHeredocBodies(builder);
      } else if (ch === '\\') {
        if (next === '\n') {
          this.pos += 2;
        } else {
          builder.append(next ?? '\\', true);
          builder.skeleton += '_';
          this.pos += next === undefined ? 1 : 2;
        }
      } else if (ch === "'") {
        const end = this.text.indexOf("'", this.pos + 1);
        if (end < 0) throw new ParseFailure('unbalanced single quote');
        builder.append(this.text.slice(this.pos + 1, end), true);
        builder.skeleton += "'_'";
        this.pos = end + 1;
      } else if (ch === '"') {
        this.pos += 1;
        builder.append(this.scanDoubleQuoted(builder), true);
        builder.skeleton += '"_"';
      } else if (ch === '$') {
        this.scanDollar(builder);
      } else if (ch === '`') {
        const raw = this.scanBacktick(builder);
        builder.append(raw, false);
        builder.skeleton += '`_`';
      } else if ((ch === '<' || ch === '>') && next === '(') {
        const start = this.pos;
        this.pos += 2;
        builder.addSubstitution(this.scanNested());
        builder.append(this.text.slice(start, this.pos), false);
        builder.skeleton += `${ch}(_)`;
      } else if (ch === '<' || ch === '>') {
        this.scanRedirection(builder);
      } else if (ch === ')' && closeParen && parenDepth === 0) {
        this.pos += 1;
        builder.endCommand(true);
        return builder.finish();
      } else if (OPERATOR_CHARS.has(ch)) {
        if (ch === '(') parenDepth += 1;
        if (ch === ')') parenDepth = Math.max(0, parenDepth - 1);
        this.scanControlOperator(builder);
      } else {
        builder.append(ch, false);
        builder.skeleton += ch;
        this.pos += 1;
      }
    }
    if (closeParen) throw new ParseFailure('unterminated $(');
    builder.endCommand(true);
    return builder.finish();
  }

  private scanControlOperator(builder: ScriptBuilder): void {
    const ch = this.text[this.pos]!;
    const next = this.text[this.pos + 1];
    if (ch === '&' && next === '>') {
      this.pos += this.text[this.pos + 2] === '>' ? 3 : 2;
      builder.startRedirect('other');
      builder.skeleton += '&>';
      return;
    }
    let operator = ch;
    if ((ch === '&' || ch === '|') && next === ch) operator = ch + ch;
    else if (ch === '|' && next === '&') operator = '|&';
    else if (ch === ';' && next === ';' && this.text[this.pos + 2] === '&') operator = ';;&';
    else if (ch === ';' && (next === ';' || next === '&')) operator = ch + next;
    this.pos += operator.length;
    builder.endCommand(operator !== '|' && operator !== '|&');
    builder.skeleton += operator;
  }

  private scanRedirection(builder: ScriptBuilder): void {
    const ch = this.text[this.pos]!;
    builder.dropFileDescriptorWord();
    let operator = ch;
    const rest = this.text.slice(this.pos + 1, this.pos + 3);
    if (ch === '<' && rest.startsWith('<<')) operator = '<<<';
    else if (ch === '<' && rest.startsWith('<-')) operator = '<<-';
    else if (rest[0] === ch || rest[0] === '&' || rest[0] === '|' || (ch === '<' && rest[0] === '>')) operator = ch + rest[0];
    this.pos += operator.length;
    builder.skeleton += operator;
    if (operator === '<<' || operator === '<<-') builder.startHeredoc(operator === '<<-');
    else builder.startRedirect(ch === '<' ? 'input' : 'other');
  }

  private scanDollar(builder: ScriptBuilder): void {
    const next = this.text[this.pos + 1];
    const start = this.pos;
    if (next === '(' && this.text[this.pos + 2] === '(') {
      this.pos = this.skipArithmetic(this.pos + 3);
      builder.skeleton += '$((_))';
    } else if (next === '(') {
      this.pos += 2;
      builder.addSubstitution(this.scanNested());
      builder.skeleton += '$(_)';
    } else if (next === '{') {
      this.pos += 2;
      this.scanParameterExpansion(builder);
      builder.skeleton += '${_}';
    } else if (next === "'") {
      this.pos += 2;
      builder.append(this.scanAnsiCQuoted(), true);
      builder.skeleton += "$'_'";
      return;
    } else if (next === '"') {
      this.pos += 2;
      builder.append(this.scanDoubleQuoted(builder), true);
      builder.skeleton += '$"_"';
      return;
    } else {
      this.pos += 1;
      builder.skeleton += '$';
    }
    builder.append(this.text.slice(start, this.pos), false);
  }

  /** Content of "…" after the opening quote; substitutions inside are recorded on the builder. */
  private scanDoubleQuoted(builder: ScriptBuilder): string {
    let value = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      const next = this.text[this.pos + 1];
      if (ch === '"') {
        this.pos += 1;
        return value;
      }
      if (ch === '\\' && next !== undefined && '$`"\\\n'.includes(next)) {
        if (next !== '\n') value += next;
        this.pos += 2;
      } else if (ch === '$' && next === '(' && this.text[this.pos + 2] !== '(') {
        const start = this.pos;
        this.pos += 2;
        builder.addSubstitution(this.scanNested());
        value += this.text.slice(start, this.pos);
      } else if (ch === '$' && next === '{') {
        const start = this.pos;
        this.pos += 2;
        this.scanParameterExpansion(builder);
        value += this.text.slice(start, this.pos);
      } else if (ch === '`') {
        value += this.scanBacktick(builder);
      } else {
        value += ch;
        this.pos += 1;
      }
    }
    throw new ParseFailure('unbalanced double quote');
  }

  /** `${…}` after the `${`: finds the closing brace, recording substitutions in defaults like `${x:-$(cmd)}`. */
  private scanParameterExpansion(builder: ScriptBuilder): void {
    let depth = 1;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      const next = this.text[this.pos + 1];
      if (ch === '\\') this.pos += 2;
      else if (ch === "'") {
        const end = this.text.indexOf("'", this.pos + 1);
        if (end < 0) throw new ParseFailure('unbalanced single quote');
        this.pos = end + 1;
      } else if (ch === '"') {
        this.pos += 1;
        this.scanDoubleQuoted(builder);
      } else if (ch === '`') this.scanBacktick(builder);
      else if (ch === '$' && next === '(' && this.text[this.pos + 2] !== '(') {
        this.pos += 2;
        builder.addSubstitution(this.scanNested());
      } else if (ch === '$' && next === '{') {
        depth += 1;
        this.pos += 2;
      } else if (ch === '}') {
        depth -= 1;
        this.pos += 1;
        if (depth === 0) return;
      } else this.pos += 1;
    }
    throw new ParseFailure('unterminated ${');
  }

  /** Returns the raw backtick text; the inner script is parsed and recorded. */
  private scanBacktick(builder: ScriptBuilder): string {
    const start = this.pos;
    let inner = '';
    this.pos += 1;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      const next = this.text[this.pos + 1];
      if (ch === '`') {
        this.pos += 1;
        builder.addSubstitution(parseNestedText(inner, this.depth + 1));
        return this.text.slice(start, this.pos);
      }
      if (ch === '\\' && next !== undefined && '$`\\'.includes(next)) {
        inner += next;
        this.pos += 2;
      } else {
        inner += ch;
        this.pos += 1;
      }
    }
    throw new ParseFailure('unbalanced backtick');
  }

  private scanNested(): ParsedScript {
    const inner = new Scanner(this.text, this.depth + 1);
    inner.pos = this.pos;
    const script = inner.scanScript(true);
    this.pos = inner.pos;
    return script;
  }

  private skipArithmetic(from: number): number {
    let depth = 2;
    for (let index = from; index < this.text.length; index += 1) {
      const ch = this.text[index];
      if (ch === '(') depth += 1;
      if (ch === ')') depth -= 1;
      if (depth === 0) return index + 1;
    }
    throw new ParseFailure('unterminated $((');
  }

  private scanAnsiCQuoted(): string {
    let value = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (ch === "'") {
        this.pos += 1;
        return value;
      }
      if (ch !== '\\') {
        value += ch;
        this.pos += 1;
        continue;
      }
      ANSI_C_ESCAPE.lastIndex = this.pos;
      const body = ANSI_C_ESCAPE.exec(this.text)?.[1] ?? '';
      value += decodeAnsiCEscape(body);
      this.pos += 1 + body.length;
    }
    throw new ParseFailure("unbalanced $' quote");
  }

  /** An unquoted here-document body is data, except for its `$(…)`, `${…}` and backtick expansions. */
  collectExpansions(builder: ScriptBuilder): void {
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      const next = this.text[this.pos + 1];
      if (ch === '\\') this.pos += 2;
      else if (ch === '`') this.scanBacktick(builder);
      else if (ch === '$' && (next === '(' || next === '{')) this.scanDollar(builder);
      else this.pos += 1;
    }
  }

  private scanHeredocBodies(builder: ScriptBuilder): void {
    for (const heredoc of builder.takeHeredocs()) {
      let body = '';
      while (this.pos < this.text.length) {
        const lineEnd = this.text.indexOf('\n', this.pos);
        const end = lineEnd < 0 ? this.text.length : lineEnd;
        const line = this.text.slice(this.pos, end);
        this.pos = lineEnd < 0 ? end : end + 1;
        const candidate = heredoc.stripTabs ? line.replace(/^\t+/, '') : line;
        if (candidate === heredoc.delimiter) break;
        body += `${line}\n`;
      }
      if (heredoc.expands) {
        const collector = new ScriptBuilder();
        new Scanner(body, this.depth + 1).collectExpansions(collector);
        for (const { script } of collector.allSubstitutions()) builder.addHeredocSubstitution(heredoc.commandIndex, script);
      }
    }
  }
}

function parseNestedText(text: string, depth: number): ParsedScript {
  return new Scanner(text, depth).scanScript(false);
}
