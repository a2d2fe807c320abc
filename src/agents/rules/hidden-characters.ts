import { finding, where, type Rule } from './rule.js';

/**
 * Bidirectional controls make code read differently from how it runs ("Trojan Source", CVE-2021-42574), and
 * zero-width characters hide differences. The model reviewer never sees them (prompts are stripped of them),
 * so this rule is the only check: refused in any added line.
 */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]|[\u{E0000}-\u{E007F}]/u;

export const hiddenCharactersRule: Rule = (files) =>
  files.flatMap((file) =>
    file.added.flatMap((line) => {
      const kind = BIDI.test(line.text) ? 'bidirectional control' : ZERO_WIDTH.test(line.text) ? 'invisible' : null;
      if (kind === null) return [];
      const message = `${where(file, line)} adds ${kind} characters that hide what the code does`;
      return [finding('hidden-characters', 'high', message, file.path, line.line)];
    }),
  );
