/**
 * A field is one argument as the command will receive it, after the policy's own expansion of a word:
 * either a known string or unknown ("could be anything"), with what is known about where it came from.
 */
export interface Field {
  /** null: not known before running (an environment variable, a command substitution, `read` …). */
  readonly value: string | null;
  /** Contains unquoted glob characters: `value` is a pattern. */
  readonly glob: boolean;
  /** May carry a secret (a secret-named variable, the output of `env`, a credential file). */
  readonly tainted: boolean;
  /** May come from the network (the output of curl/wget …). */
  readonly remote: boolean;
  /** Starts with a home directory whose path is not known (`~`, `$HOME` without a configured home). */
  readonly home: boolean;
  /** The source text of the word, for messages. */
  readonly text: string;
}

export function literalField(value: string, text = value): Field {
  return { value, glob: false, tainted: false, remote: false, home: false, text };
}

export function unknownField(text: string, flags: Partial<Pick<Field, 'tainted' | 'remote' | 'home'>> = {}): Field {
  return { value: null, glob: false, tainted: flags.tainted ?? false, remote: flags.remote ?? false, home: flags.home ?? false, text };
}

export function isStatic(field: Field): field is Field & { readonly value: string } {
  return field.value !== null;
}

/** The values of a list of fields, or null when one of them is unknown. */
export function staticValues(fields: readonly Field[]): string[] | null {
  const values: string[] = [];
  for (const field of fields) {
    if (field.value === null) return null;
    values.push(field.value);
  }
  return values;
}

/** A command line made of fields, for messages: known values, or the source text of unknown ones. */
export function describeFields(fields: readonly Field[]): string {
  return fields.map((field) => field.value ?? field.text).join(' ');
}

/** Glob characters that make an unquoted word a pattern. */
export const GLOB_CHARS = /[*?[]/;
