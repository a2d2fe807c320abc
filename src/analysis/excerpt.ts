import type { ErrorRecord, KeptLine } from './error-collector.js';

/**
 * Chooses what the excerpt shows within a budget of characters and renders it in log order, with `…` where
 * lines were left out. Every distinct error line comes first (tool-reported ones before mere `Error:`
 * messages when not all fit, then a note of how many were left out); then the details of each, round by
 * round so that every error gets its most telling detail before any gets a second one (a location in the
 * project, then the values of an assertion diff, then the code frame), up to a few each; then two lines of
 * context around each, nearest first; then the remaining details.
 */

export const GAP = '…';
const DETAILS_PER_ERROR_FIRST = 8;

export interface ExcerptResult {
  readonly text: string;
  /** Distinct error lines that did not fit. */
  readonly omittedErrors: number;
}

const LOCATED = /[\w-]\.[A-Za-z]\w{0,15}:\d+|", line \d+/;
const DIFF_VALUE = /^\s*[-+]\s*(?!Expected\b|Received\b)\S|^\s*(?:Expected|Received|left|right):/;
const CODE_LINE = /^\s*>?\s*\d+\s*[|│]/;

/** Lower is more telling. */
function detailRank(text: string): number {
  if (LOCATED.test(text)) return 0;
  if (DIFF_VALUE.test(text)) return 1;
  return CODE_LINE.test(text) ? 2 : 3;
}

function byRank(details: readonly KeptLine[]): KeptLine[] {
  return details
    .slice(0, 2 * DETAILS_PER_ERROR_FIRST)
    .map((line, index) => ({ line, index, rank: detailRank(line.text) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((ranked) => ranked.line);
}

function displayError(record: ErrorRecord): string {
  return record.count > 1 ? `${record.text} (×${record.count})` : record.text;
}

export function renderExcerpt(records: readonly ErrorRecord[], tail: readonly KeptLine[], budgetChars: number): ExcerptResult {
  const budget = Math.max(0, Math.floor(budgetChars));
  const selected = new Map<number, string>();
  let used = 0;
  // Each line may need a gap marker before it; charging for it up front keeps the rendering within budget.
  const cost = (text: string): number => text.length + 1 + GAP.length + 1;
  const take = (line: KeptLine): boolean => {
    if (selected.has(line.seq)) return true;
    if (used + cost(line.text) > budget) return false;
    selected.set(line.seq, line.text);
    used += cost(line.text);
    return true;
  };

  if (records.length === 0) {
    for (let index = tail.length - 1; index >= 0 && take(tail[index]!); index -= 1);
    return { text: render(selected, ''), omittedErrors: 0 };
  }

  const byStrength = [...records.filter((record) => record.strong), ...records.filter((record) => !record.strong)];
  const kept: ErrorRecord[] = [];
  for (const record of byStrength) {
    if (!take({ seq: record.seq, text: displayError(record) })) break;
    kept.push(record);
  }
  let note = '';
  if (kept.length < records.length) {
    const noteFor = (omitted: number) => `${GAP} ${omitted} more distinct error line${omitted === 1 ? '' : 's'} not shown`;
    while (kept.length > 0 && used + noteFor(records.length - kept.length).length + 1 > budget) {
      const dropped = kept.pop()!;
      selected.delete(dropped.seq);
      used -= cost(displayError(dropped));
    }
    const candidate = noteFor(records.length - kept.length);
    if (used + candidate.length + 1 <= budget) {
      note = candidate;
      used += candidate.length + 1;
    }
  }

  kept.sort((a, b) => a.seq - b.seq);
  const ranked = kept.map((record) => byRank(record.details));
  for (let round = 0; round < DETAILS_PER_ERROR_FIRST; round += 1) {
    for (const details of ranked) {
      const detail = details[round];
      if (detail) take(detail);
    }
  }
  for (let distance = 1; distance <= 2; distance += 1) {
    for (const record of kept) {
      const before = record.before[record.before.length - distance];
      const after = record.after[distance - 1];
      if (before) take(before);
      if (after) take(after);
    }
  }
  for (const record of kept) record.details.forEach(take);
  return { text: render(selected, note), omittedErrors: records.length - kept.length };
}

function render(selected: ReadonlyMap<number, string>, note: string): string {
  const ordered = [...selected.keys()].sort((a, b) => a - b);
  const out: string[] = [];
  let previous: number | null = null;
  for (const seq of ordered) {
    if (previous !== null && seq > previous + 1) out.push(GAP);
    out.push(selected.get(seq)!);
    previous = seq;
  }
  if (note !== '') out.push(note);
  return out.join('\n');
}
