import { atomsOf, CharSet, splitAlternatives, WHITESPACE } from './regex-source.js';

/**
 * The characters a regular expression can start a match with, worked out from its source, so that a matcher
 * can skip a pattern anchored at the start of a line whose first character it can never start with (most log
 * lines, for most patterns). Conservative: whatever is not understood allows every character, so the set is
 * always a superset and skipping never changes a result. Non-unicode patterns only (no `u`/`v` flag).
 */

/** Stands for "no character": the end of the text (`$`, or an empty or blank line). */
export const END_OF_TEXT = -1;

export interface FirstChars {
  readonly set: CharSet;
  /** A match can start at the end of the text. */
  readonly atEnd: boolean;
}

const BLANKS = new CharSet();
for (const unit of WHITESPACE) BLANKS.add(unit);
const BLANK_BITS = BLANKS.toBits();

/** The last line asked about, and its answer: every matcher asks about the same line in turn. */
let lastText: string | null = null;
let lastFirstNonBlank = END_OF_TEXT;

/** The first character of `text` that `\s` does not match, or END_OF_TEXT. */
export function firstNonBlankCode(text: string): number {
  if (text === lastText) return lastFirstNonBlank;
  let found = END_OF_TEXT;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code !== 32 && code !== 9 && (code < 9 || code > 13) && (code < 0xa0 || (BLANK_BITS[code >>> 5]! & (1 << (code & 31))) === 0)) {
      found = code;
      break;
    }
  }
  lastText = text;
  lastFirstNonBlank = found;
  return found;
}

interface Scan {
  readonly set: CharSet;
  readonly atEnd: boolean;
  /** The sequence can match without consuming anything, so what follows it decides. */
  readonly nullable: boolean;
}

/** `set` without the blanks, and whether it had any. */
function splitBlanks(set: CharSet): { nonBlank: CharSet; hadBlanks: boolean } {
  if (set.isAny) return { nonBlank: set, hadBlanks: true };
  const nonBlank = new CharSet();
  let hadBlanks = false;
  for (const unit of set.units()) {
    if (BLANKS.has(unit)) hadBlanks = true;
    else nonBlank.add(unit);
  }
  return { nonBlank, hadBlanks };
}

function scanAlternatives(alternatives: readonly string[], skipBlanks: boolean): Scan {
  const set = new CharSet();
  let atEnd = false;
  let nullable = false;
  for (const alternative of alternatives) {
    const scan = scanSequence(alternative, skipBlanks);
    set.addAll(scan.set);
    atEnd ||= scan.atEnd;
    nullable ||= scan.nullable;
  }
  return { set, atEnd, nullable };
}

/**
 * With `skipBlanks`, the first character that is not a blank: characters an atom can match that are blanks
 * count as if the atom could match nothing, since the match goes on past them.
 */
function scanSequence(alternative: string, skipBlanks: boolean): Scan {
  const set = new CharSet();
  let atEnd = false;
  for (const atom of atomsOf(alternative)) {
    if (atom.kind === 'assertion') {
      if (!atom.end) continue; // zero-width: what follows decides
      return { set, atEnd: true, nullable: false };
    }
    let scan: Scan;
    if (atom.kind === 'group') scan = scanAlternatives(atom.alternatives, skipBlanks);
    else if (!skipBlanks) scan = { set: atom.set, atEnd: false, nullable: false };
    else {
      const { nonBlank, hadBlanks } = splitBlanks(atom.set);
      scan = { set: nonBlank, atEnd: false, nullable: hadBlanks };
    }
    set.addAll(scan.set);
    atEnd ||= scan.atEnd;
    if (set.isAny) return { set, atEnd, nullable: false };
    if (atom.min > 0 && !scan.nullable) return { set, atEnd, nullable: false };
  }
  return { set, atEnd, nullable: true };
}

/**
 * The characters a match of `source` (a pattern's source, or one alternative of it) can start with; with
 * `skipBlanks`, the first non-blank character it can hold (for `^\s*source`, whose match may start on a blank
 * the `\s*` gave back). Any character when it can match the empty string (or only blanks), since the match
 * then goes on with whatever follows.
 */
export function firstChars(source: string, flags: string, skipBlanks = false): FirstChars {
  if (/[uv]/.test(flags)) return { set: CharSet.any(), atEnd: true };
  const scan = scanAlternatives(splitAlternatives(source), skipBlanks);
  if (scan.nullable) return { set: CharSet.any(), atEnd: true };
  return { set: flags.includes('i') ? scan.set.withBothCases() : scan.set, atEnd: scan.atEnd };
}
