/**
 * Bash brace expansion of a literal `{…}` (`{a,b}`, `{1..3}`, `{a..e..2}`, nested `{a,{b,c}}`), as bash does it
 * before any other expansion: each result becomes a separate word. Returns null when the expansion would be
 * too large to judge (the policy then treats the word as unknown).
 */
export const MAX_BRACE_RESULTS = 64;

export function expandBraces(text: string): string[] | null {
  const results = expand(text, 0);
  return results !== null && results.length <= MAX_BRACE_RESULTS ? results : null;
}

function expand(text: string, depth: number): string[] | null {
  if (depth > 8) return null;
  const open = findBraceExpression(text);
  if (open === null) return [text];
  if (open === TOO_LARGE) return null;
  const { start, end, items } = open;
  const prefix = text.slice(0, start);
  const suffix = text.slice(end + 1);
  const out: string[] = [];
  for (const item of items) {
    const expanded = expand(`${prefix}${item}${suffix}`, depth + 1);
    if (expanded === null) return null;
    out.push(...expanded);
    if (out.length > MAX_BRACE_RESULTS) return null;
  }
  return out;
}

const TOO_LARGE = 'too-large';

/** The first `{…}` that is a real brace expression (a top-level comma or a sequence), with its items. */
function findBraceExpression(text: string): { start: number; end: number; items: string[] } | typeof TOO_LARGE | null {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    const commas: number[] = [];
    for (let at = start; at < text.length; at += 1) {
      const ch = text[at];
      if (ch === '{') depth += 1;
      else if (ch === '}') {
        depth -= 1;
        if (depth === 0) {
          const body = text.slice(start + 1, at);
          if (commas.length > 0) {
            const bounds = [start, ...commas, at];
            return { start, end: at, items: bounds.slice(1).map((bound, index) => text.slice(bounds[index]! + 1, bound)) };
          }
          const sequence = expandSequence(body);
          if (sequence === TOO_LARGE) return TOO_LARGE;
          if (sequence !== null) return { start, end: at, items: sequence };
          break;
        }
      } else if (ch === ',' && depth === 1) commas.push(at);
    }
  }
  return null;
}

function expandSequence(body: string): string[] | typeof TOO_LARGE | null {
  const match = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
  if (!match) return null;
  const [, from, to, stepText] = match as unknown as [string, string, string, string | undefined];
  const step = Math.abs(Number(stepText ?? '1')) || 1;
  const numeric = /^-?\d+$/.test(from) && /^-?\d+$/.test(to);
  if (!numeric && (/\d/.test(from) || /\d/.test(to))) return null;
  const start = numeric ? Number(from) : from.charCodeAt(0);
  const end = numeric ? Number(to) : to.charCodeAt(0);
  const count = Math.floor(Math.abs(end - start) / step) + 1;
  if (count > MAX_BRACE_RESULTS) return TOO_LARGE;
  const direction = end >= start ? 1 : -1;
  return Array.from({ length: count }, (_, index) => {
    const value = start + direction * step * index;
    return numeric ? String(value) : String.fromCharCode(value);
  });
}
