import { END_OF_TEXT, firstChars, firstNonBlankCode } from './first-chars.js';
import { screenFor, type Screen } from './literal-screen.js';
import { CharSet, splitAlternatives } from './regex-source.js';

/**
 * One matcher for a list of patterns, built for speed on hundreds of megabytes of log lines: the patterns'
 * top-level alternatives are regrouped by flags into one alternation anchored at the start of the line
 * (`^(?:a|b|…)`, which the engine tries at one position only; `^\s*(?:…)` for those starting with `^\s*`) and
 * one unanchored alternation. Each is only run when it can match: an anchored one when the line's first
 * (non-blank) character is one it can start with (first-chars.ts), and any of them when the line holds one of
 * the literals every match contains (literal-screen.ts). Most log lines then cost few regular expressions or
 * none. Patterns must not use backreferences or lookbehinds that depend on their own position in the alternation.
 */

export interface LineMatcher {
  test(text: string): boolean;
}

/** From this many alternatives on, one automaton pass over the line is cheaper than the engine's own scan. */
const AUTOMATON_MIN_ALTERNATIVES = 8;

interface Part {
  readonly pattern: RegExp;
  /** Run first, when it says no the pattern cannot match (null: none). */
  readonly screen: Screen | null;
  /** The characters a match can start with, as CharSet bits (null: any); for `indented`, the first non-blank one. */
  readonly starts: Uint32Array | null;
  readonly startsAtEnd: boolean;
  readonly indented: boolean;
}

function anchoredPart(alternatives: readonly string[], flags: string, indented: boolean): Part {
  const pattern = new RegExp(indented ? `^\\s*(?:${alternatives.join('|')})` : `^(?:${alternatives.join('|')})`, flags);
  const starts = new CharSet();
  let startsAtEnd = false;
  for (const alternative of alternatives) {
    const first = firstChars(alternative, flags, indented);
    starts.addAll(first.set);
    startsAtEnd ||= first.atEnd;
  }
  const screen = screenFor(alternatives, flags, false);
  return { pattern, screen, starts: starts.isAny ? null : starts.toBits(), startsAtEnd, indented };
}

function floatingPart(alternatives: readonly string[], flags: string): Part {
  const screen = screenFor(alternatives, flags, alternatives.length >= AUTOMATON_MIN_ALTERNATIVES);
  return { pattern: new RegExp(alternatives.join('|'), flags), screen, starts: null, startsAtEnd: true, indented: false };
}

/** The parts of a matcher: built on first use, so that importing a module of patterns costs nothing. */
function partsOf(patterns: readonly RegExp[]): Part[] {
  const groups = new Map<string, { indented: string[]; anchored: string[]; floating: string[] }>();
  for (const pattern of patterns) {
    const flags = pattern.flags.replace(/[gy]/g, '');
    const group = groups.get(flags) ?? { indented: [], anchored: [], floating: [] };
    groups.set(flags, group);
    for (const alternative of splitAlternatives(pattern.source)) {
      if (alternative.startsWith('^\\s*')) group.indented.push(alternative.slice(4));
      else if (alternative.startsWith('^')) group.anchored.push(alternative.slice(1));
      else group.floating.push(alternative);
    }
  }
  const anchored: Part[] = [];
  const floating: Part[] = [];
  for (const [flags, group] of groups) {
    // `^\s*a|^\s*b` as `^\s*(?:a|b)`: the leading blanks are skipped once, not once per alternative.
    if (group.indented.length > 0) anchored.push(anchoredPart(group.indented, flags, true));
    if (group.anchored.length > 0) anchored.push(anchoredPart(group.anchored, flags, false));
    if (group.floating.length > 0) floating.push(floatingPart(group.floating, flags));
  }
  return [...anchored, ...floating];
}

export function anyOf(patterns: readonly RegExp[]): LineMatcher {
  return new PartsMatcher(patterns);
}

class PartsMatcher implements LineMatcher {
  private parts: readonly Part[] | null = null;

  constructor(private readonly patterns: readonly RegExp[]) {}

  compiledParts(): readonly Part[] {
    return (this.parts ??= partsOf(this.patterns));
  }

  test(text: string): boolean {
    this.parts ??= partsOf(this.patterns);
    let firstNonBlank: number | null = null;
    for (const part of this.parts) {
      const starts = part.starts;
      if (starts !== null) {
        const code = part.indented ? (firstNonBlank ??= firstNonBlankCode(text)) : text.length === 0 ? END_OF_TEXT : text.charCodeAt(0);
        if (code === END_OF_TEXT ? !part.startsAtEnd : (starts[code >>> 5]! & (1 << (code & 31))) === 0) continue;
      }
      if (part.screen !== null && !part.screen.test(text)) continue;
      if (part.pattern.test(text)) return true;
    }
    return false;
  }
}

/**
 * For matchers tested on the same lines, which of them can match a line at all, judged from its first
 * characters by two table lookups: a matcher that cannot match costs no call at all.
 */
export class StartScreen {
  private tables: { always: number; byLead: Int32Array; byFirst: Int32Array } | null = null;

  /** At most 31 matchers, each made by `anyOf`; bit i of `candidates` stands for matchers[i]. */
  constructor(private readonly matchers: readonly LineMatcher[]) {}

  candidates(text: string): number {
    const tables = (this.tables ??= this.build());
    const lead = text.length === 0 ? END_OF_TEXT : text.charCodeAt(0);
    return tables.always | tables.byLead[lead + 1]! | tables.byFirst[firstNonBlankCode(text) + 1]!;
  }

  private build(): { always: number; byLead: Int32Array; byFirst: Int32Array } {
    let always = 0;
    const byLead = new Int32Array(65537);
    const byFirst = new Int32Array(65537);
    this.matchers.forEach((matcher, index) => {
      const bit = 1 << index;
      const parts = matcher instanceof PartsMatcher ? matcher.compiledParts() : null;
      for (const part of parts ?? []) {
        if (part.starts === null) always |= bit;
        else {
          const table = part.indented ? byFirst : byLead;
          if (part.startsAtEnd) table[0]! |= bit;
          part.starts.forEach((word, wordIndex) => {
            for (let unit = 0; word !== 0 && unit < 32; unit += 1) if ((word & (1 << unit)) !== 0) table[wordIndex * 32 + unit + 1]! |= bit;
          });
        }
      }
      if (parts === null) always |= bit;
    });
    return { always, byLead, byFirst };
  }
}
