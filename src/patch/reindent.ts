/**
 * Added lines keep the file's indentation style when the model drifted from it (spaces for tabs, 4 for 2, a
 * whole hunk shifted). The mapping is learnt from the hunk's own lines that matched the file: first an exact
 * table (this patch indentation became that file indentation), then a linear fit for depths the table lacks.
 */
export interface IndentStyle {
  readonly unit: 'tab' | 'space';
  /** Columns per level (a tab counts as TAB_COLUMNS). */
  readonly width: number;
}

/** A line of the hunk and the file line it matched. */
export interface IndentPair {
  readonly patch: string;
  readonly file: string;
}

const TAB_COLUMNS = 4;

export function leadingWhitespace(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/** Tabs or spaces, and the most common step between consecutive indentation depths (2 when unknown). */
export function detectIndentStyle(lines: readonly string[]): IndentStyle {
  let tabLines = 0;
  let spaceLines = 0;
  const steps = new Map<number, number>();
  let previous: number | null = null;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = leadingWhitespace(line);
    if (indent.startsWith('\t')) {
      tabLines += 1;
      previous = null;
      continue;
    }
    if (indent.length > 0) spaceLines += 1;
    const step = previous === null ? 0 : Math.abs(indent.length - previous);
    if (step >= 2 && step <= 8) steps.set(step, (steps.get(step) ?? 0) + 1);
    previous = indent.length;
  }
  if (tabLines > spaceLines) return { unit: 'tab', width: TAB_COLUMNS };
  const [width] = [...steps.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [2];
  return { unit: 'space', width };
}

/**
 * Re-indents added lines from the patch's style to the file's; unchanged when every matched pair agrees already
 * (`styles` is only computed otherwise: detecting a large file's style is not free).
 */
export function reindentAdded(
  added: readonly string[],
  pairs: readonly IndentPair[],
  styles: () => { readonly patch: IndentStyle; readonly file: IndentStyle },
): string[] {
  const usable = pairs.filter((pair) => pair.patch.trim() !== '' && pair.file.trim() !== '');
  if (usable.every((pair) => leadingWhitespace(pair.patch) === leadingWhitespace(pair.file))) return [...added];
  const { patch: patchStyle, file: fileStyle } = styles();
  const table = new Map<string, Map<string, number>>();
  for (const pair of usable) {
    const from = leadingWhitespace(pair.patch);
    const counts = table.get(from) ?? new Map<string, number>();
    const to = leadingWhitespace(pair.file);
    counts.set(to, (counts.get(to) ?? 0) + 1);
    table.set(from, counts);
  }
  const scale = fileStyle.width / patchStyle.width;
  const offset = mostCommon(usable.map((pair) => columns(leadingWhitespace(pair.file)) - scaled(leadingWhitespace(pair.patch), patchStyle, scale)));
  return added.map((line) => {
    if (line.trim() === '') return '';
    const indent = leadingWhitespace(line);
    const rest = line.slice(indent.length);
    const known = table.get(indent);
    if (known !== undefined) return mostCommon([...known.entries()].flatMap(([to, count]) => Array<string>(count).fill(to))) + rest;
    return render(Math.max(0, Math.round(scaled(indent, patchStyle, scale) + offset)), fileStyle) + rest;
  });
}

function columns(indent: string): number {
  let total = 0;
  for (const char of indent) total += char === '\t' ? TAB_COLUMNS : 1;
  return total;
}

/** Whole levels scale to the file's width; the remainder (alignment, ` * ` of a doc comment) stays as it is. */
function scaled(indent: string, style: IndentStyle, scale: number): number {
  const total = columns(indent);
  const remainder = total % style.width;
  return (total - remainder) * scale + remainder;
}

function render(total: number, style: IndentStyle): string {
  if (style.unit === 'space') return ' '.repeat(total);
  return '\t'.repeat(Math.floor(total / TAB_COLUMNS)) + ' '.repeat(total % TAB_COLUMNS);
}

function mostCommon<T>(values: readonly T[]): T {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best = values[0] as T;
  for (const [value, count] of counts) if (count > (counts.get(best) ?? 0)) best = value;
  return best;
}
