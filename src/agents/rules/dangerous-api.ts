import { addedCode, finding, where, type Rule } from './rule.js';

/** Code that turns strings into code: a patch has no business adding it. */
const DANGEROUS: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /(?<![\w$.])eval\s*\(/, what: 'eval()' },
  { pattern: /\bnew\s+Function\s*\(/, what: 'new Function()' },
  { pattern: /\bvm\s*\.\s*(?:runInNewContext|runInThisContext|runInContext|compileFunction)\s*\(/, what: 'vm code execution' },
  { pattern: /\b(?:setTimeout|setInterval)\s*\(\s*["'`]/, what: 'a timer that evaluates a string' },
];

export const dangerousApiRule: Rule = (files) => {
  const findings = [];
  for (const { file, added } of addedCode(files)) {
    const hit = DANGEROUS.find((entry) => entry.pattern.test(added.text));
    if (hit !== undefined) {
      findings.push(finding('dangerous-api', 'high', `${where(file, added)} adds ${hit.what}`, file.path, added.line));
    }
  }
  return findings;
};
