import { stringLiterals } from './code-text.js';
import { addedCode, finding, where, type Rule } from './rule.js';

/**
 * SQL built by concatenation or interpolation is an injection: refuses a string that reads as SQL and is
 * concatenated (`'… WHERE id = ' + id`), interpolated in an untagged template (`\`… ${id}\``; tagged
 * templates such as sql`…` are parameterised and fine) or formatted (f-strings, `%`, `.format`).
 */
const SQL_SHAPE = /\bselect\b[\s\S]*\bfrom\b|\binsert\s+into\b|\bupdate\s+[\w."`[\]]+\s+set\b|\bdelete\s+from\b|\bwhere\s+[\w."`[\]]+\s*(?:=|<|>|like\b|in\b)/i;

export const sqlConcatRule: Rule = (files) => {
  const findings = [];
  for (const { file, added } of addedCode(files)) {
    if (buildsSql(added.text)) {
      findings.push(finding('sql-concat', 'high', `${where(file, added)} builds SQL from strings (SQL injection); use parameters`, file.path, added.line));
    }
  }
  return findings;
};

function buildsSql(text: string): boolean {
  for (const literal of stringLiterals(text)) {
    if (!SQL_SHAPE.test(literal.body)) continue;
    const before = text.slice(0, literal.start);
    const after = text.slice(literal.end);
    if (literal.quote === '`') {
      if (literal.body.includes('${') && literal.tag === '') return true;
      continue;
    }
    if (/^[fF][rR]?$|^[rR][fF]$/.test(literal.tag) && /\{[^}]*\}/.test(literal.body)) return true;
    if (/^\s*\+/.test(after) || /\+\s*$/.test(before)) return true;
    if (/^\s*%\s*[\w(]/.test(after) || /^\s*\.format\s*\(/.test(after)) return true;
  }
  // A line inside a multi-line template: SQL and an interpolation on the same line, no tag in sight.
  return SQL_SHAPE.test(text) && text.includes('${') && !/[\w$]`/.test(text);
}
