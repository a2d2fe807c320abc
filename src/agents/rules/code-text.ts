/** Tiny lexical helpers for the line-based code rules (no full parser: a patch line is rarely a whole statement). */

/** The text of the first argument of the call whose `(` is at `openParen`, to the end of the line if unclosed. */
export function firstArgument(text: string, openParen: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let index = openParen + 1; index < text.length; index += 1) {
    const char = text[index];
    if (quote !== null) {
      if (char === '\\') index += 1;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') quote = char;
    else if (char === '(' || char === '[' || char === '{') depth += 1;
    else if (char === ')' || char === ']' || char === '}') {
      if (depth === 0) return text.slice(openParen + 1, index);
      depth -= 1;
    } else if (char === ',' && depth === 0) return text.slice(openParen + 1, index);
  }
  return text.slice(openParen + 1);
}

/** True when the expression builds a string from parts: `+` outside quotes, `${}` in a template, Python formatting. */
export function buildsString(expression: string): boolean {
  if (/`[^`]*\$\{/.test(expression)) return true;
  if (/(?:^|[^\w])[fF][rR]?(["'])[^"']*\{[^}]*\}/.test(expression)) return true;
  if (/["']\s*%\s*[\w(]/.test(expression) || /["']\s*\.format\s*\(/.test(expression)) return true;
  return hasTopLevelPlus(expression);
}

function hasTopLevelPlus(expression: string): boolean {
  let quote: string | null = null;
  for (let index = 0; index < expression.length; index += 1) {
    const char = expression[index];
    if (quote !== null) {
      if (char === '\\') index += 1;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') quote = char;
    else if (char === '+' && expression[index + 1] !== '+' && expression[index - 1] !== '+') return true;
  }
  return false;
}

/** A string literal in a line: its quote, its body, the identifier tag before it (`sql`, `f`), and where it ends. */
export interface StringLiteral {
  readonly quote: string;
  readonly body: string;
  readonly tag: string;
  readonly start: number;
  readonly end: number;
}

const LITERAL = /([A-Za-z_$][\w$.]*)?(`(?:[^`\\]|\\.)*`|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/g;

export function stringLiterals(text: string): StringLiteral[] {
  const literals: StringLiteral[] = [];
  for (const match of text.matchAll(LITERAL)) {
    const tag = match[1] ?? '';
    const quoted = match[2] ?? '';
    const start = (match.index ?? 0) + tag.length;
    literals.push({ quote: quoted[0] ?? '', body: quoted.slice(1, -1), tag, start, end: start + quoted.length });
  }
  return literals;
}
