/** Why a parse failed; the policy fails closed on it. */
export class ParseFailure extends Error {
  constructor(
    readonly why: 'syntax' | 'too-deep',
    message: string,
  ) {
    super(message);
  }
}

/** Structural nesting (compound commands and substitutions together) beyond which a line is refused. */
export const MAX_SYNTAX_DEPTH = 40;

export function enter(depth: number): number {
  if (depth >= MAX_SYNTAX_DEPTH) throw new ParseFailure('too-deep', `nested more than ${MAX_SYNTAX_DEPTH} levels deep`);
  return depth + 1;
}
