import type { CommandFact } from '../facts.js';
import type { Field } from '../fields.js';

/** A broken rule: a stable id (`builtin:wipe-root`) and one line for the user. */
export interface Violation {
  readonly rule: string;
  readonly reason: string;
}

export interface RuleContext {
  /** Absolute, normalised repository root. */
  readonly repoRoot: string;
  /** The user's home directory, when known. */
  readonly home: string | null;
  /** Branch names (or `release/*` patterns) nobody may push to or delete. */
  readonly protectedBranches: readonly string[];
}

/** A rule over one command; returns the first problem it sees. */
export type CommandRule = (fact: CommandFact, context: RuleContext) => Violation | null;

export function violation(id: string, reason: string): Violation {
  return { rule: id, reason };
}

/** A field for a message: its source text, and its value when that differs (`$X` (= /)). */
export function show(field: Field): string {
  if (field.value === null) return field.text;
  return field.text === field.value || field.text === '' ? field.value : `${field.text} (= ${field.value})`;
}

/** Unknown words where the rule needs to know them. */
export function dynamicArgument(fact: CommandFact, field: Field, what: string): Violation {
  return violation('unparseable:dynamic-argument', `${fact.program}: ${what} ${field.text} is only known when it runs`);
}

/** Positional words (not options), with `--` handled; options in `withValue` consume the next word. */
export function positionalsOf(args: readonly Field[], withValue: ReadonlySet<string>): Field[] {
  const found: Field[] = [];
  let afterDashes = false;
  for (let index = 0; index < args.length; index += 1) {
    const value = args[index]!.value;
    if (afterDashes || value === null || !value.startsWith('-') || value === '-') found.push(args[index]!);
    else if (value === '--') afterDashes = true;
    else if (withValue.has(value)) index += 1;
  }
  return found;
}

/** Does any argument equal one of these options (also `--opt=value`, and short clusters `-xvf` for single letters)? */
export function hasOption(args: readonly Field[], names: readonly string[]): boolean {
  return args.some((arg) => {
    const value = arg.value;
    if (value === null || !value.startsWith('-')) return false;
    if (value.startsWith('--')) return names.includes(value.split('=')[0]!);
    return names.includes(value) || names.some((name) => /^-[a-zA-Z0-9]$/.test(name) && /^-[a-zA-Z]+$/.test(value) && value.includes(name[1]!));
  });
}
