/**
 * One matcher for a list of patterns, built for speed on hundreds of megabytes of log lines: the patterns'
 * top-level alternatives are regrouped by flags into one alternation anchored at the start of the line
 * (`^(?:a|b|…)`, which the engine tries at one position only; `^\s*(?:…)` for those starting with `^\s*`) and
 * one unanchored alternation. Patterns must
 * not use backreferences or lookbehinds that depend on their own position in the alternation.
 */
export function anyOf(patterns: readonly RegExp[]): { test(text: string): boolean } {
  const groups = new Map<string, { indented: string[]; anchored: string[]; floating: string[] }>();
  for (const pattern of patterns) {
    const flags = pattern.flags.replace(/[gy]/g, '');
    const group = groups.get(flags) ?? { indented: [], anchored: [], floating: [] };
    groups.set(flags, group);
    for (const alternative of topLevelAlternatives(pattern.source)) {
      if (alternative.startsWith('^\\s*')) group.indented.push(alternative.slice(4));
      else if (alternative.startsWith('^')) group.anchored.push(alternative.slice(1));
      else group.floating.push(alternative);
    }
  }
  const merged: RegExp[] = [];
  for (const [flags, { indented, anchored, floating }] of groups) {
    // `^\s*a|^\s*b` as `^\s*(?:a|b)`: the leading blanks are skipped once, not once per alternative.
    if (indented.length > 0) merged.push(new RegExp(`^\\s*(?:${indented.join('|')})`, flags));
    if (anchored.length > 0) merged.push(new RegExp(`^(?:${anchored.join('|')})`, flags));
    if (floating.length > 0) merged.push(new RegExp(floating.join('|'), flags));
  }
  return { test: (text) => merged.some((pattern) => pattern.test(text)) };
}

/** `a|(b|c)|[|]` → `a`, `(b|c)`, `[|]`: splits on the `|` outside groups and character classes. */
export function topLevelAlternatives(source: string): string[] {
  const alternatives: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index];
    if (char === '\\') index += 1;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    else if (char === '|' && depth === 0) {
      alternatives.push(source.slice(start, index));
      start = index + 1;
    }
  }
  alternatives.push(source.slice(start));
  return alternatives;
}
