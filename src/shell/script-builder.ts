/** The result shape of the command-line scanner, and the builder that accumulates it while scanning. */

/** Where a substitution's output goes in the command that contains it. */
export type SubstitutionRole =
  | { readonly kind: 'word'; readonly index: number }
  | { readonly kind: 'input' }
  | { readonly kind: 'other' };

export interface Substitution {
  readonly role: SubstitutionRole;
  readonly script: ParsedScript;
}

export interface SimpleCommand {
  /** Words after quote removal; redirections and their targets are left out. Expansions stay literal. */
  readonly words: readonly string[];
  /** Commands joined by `|` share a pipeline number within their script. */
  readonly pipeline: number;
  readonly substitutions: readonly Substitution[];
}

export interface ParsedScript {
  readonly commands: readonly SimpleCommand[];
  /** The script with quoted text replaced by `_`: its structure without its data, for shape rules. */
  readonly skeleton: string;
}

interface PendingHeredoc {
  /** The command the here-document feeds (its index in the script). */
  readonly commandIndex: number;
  readonly delimiter: string;
  readonly stripTabs: boolean;
  readonly expands: boolean;
}

/** Accumulates words, commands and substitutions while the scanner walks one script. */
export class ScriptBuilder {
  skeleton = '';
  private readonly commands: { words: string[]; pipeline: number; substitutions: Substitution[] }[] = [];
  private commandHasHeredoc = false;
  private words: string[] = [];
  private substitutions: Substitution[] = [];
  private word: string | null = null;
  private wordQuoted = false;
  private redirect: 'input' | 'other' | null = null;
  private heredoc: { stripTabs: boolean } | null = null;
  private heredocs: PendingHeredoc[] = [];
  private pipeline = 0;

  inWord(): boolean {
    return this.word !== null;
  }

  append(text: string, quoted: boolean): void {
    this.word = (this.word ?? '') + text;
    if (quoted) this.wordQuoted = true;
  }

  addSubstitution(script: ParsedScript): void {
    this.substitutions.push({ role: this.currentRole(), script });
  }

  /** A substitution found in the body of a here-document, which is read after its command ended. */
  addHeredocSubstitution(commandIndex: number, script: ParsedScript): void {
    this.commands[commandIndex]?.substitutions.push({ role: { kind: 'input' }, script });
  }

  allSubstitutions(): readonly Substitution[] {
    return this.substitutions;
  }

  /** `2>` : a word of digits right before a redirection is a file descriptor, not an argument. */
  dropFileDescriptorWord(): void {
    if (this.word !== null && !this.wordQuoted && /^\d+$/.test(this.word)) this.word = null;
    this.endWord();
  }

  startRedirect(kind: 'input' | 'other'): void {
    this.endWord();
    this.redirect = kind;
  }

  startHeredoc(stripTabs: boolean): void {
    this.endWord();
    this.heredoc = { stripTabs };
  }

  takeHeredocs(): PendingHeredoc[] {
    const pending = this.heredocs;
    this.heredocs = [];
    return pending;
  }

  endWord(): void {
    if (this.word === null) return;
    if (this.heredoc) {
      const commandIndex = this.commands.length;
      this.heredocs.push({ commandIndex, delimiter: this.word, stripTabs: this.heredoc.stripTabs, expands: !this.wordQuoted });
      this.commandHasHeredoc = true;
      this.heredoc = null;
    } else if (this.redirect) {
      this.redirect = null;
    } else {
      this.words.push(this.word);
    }
    this.word = null;
    this.wordQuoted = false;
  }

  endCommand(newPipeline: boolean): void {
    this.endWord();
    this.redirect = null;
    this.heredoc = null;
    if (this.words.length > 0 || this.substitutions.length > 0 || this.commandHasHeredoc) {
      this.commands.push({ words: this.words, pipeline: this.pipeline, substitutions: this.substitutions });
    }
    this.commandHasHeredoc = false;
    this.words = [];
    this.substitutions = [];
    if (newPipeline) this.pipeline += 1;
  }

  finish(): ParsedScript {
    return { commands: this.commands, skeleton: this.skeleton };
  }

  private currentRole(): SubstitutionRole {
    if (this.heredoc) return { kind: 'other' };
    if (this.redirect) return { kind: this.redirect };
    return { kind: 'word', index: this.words.length };
  }
}

/** Decodes one escape of a `$'...'` string: `n`, `x41`, `101`. */
export function decodeAnsiCEscape(body: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v' };
  if (body.startsWith('x')) return String.fromCharCode(Number.parseInt(body.slice(1), 16));
  if (/^[0-7]+$/.test(body)) return String.fromCharCode(Number.parseInt(body, 8));
  return simple[body] ?? body;
}
