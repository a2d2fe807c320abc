import { DiffParseError, parseDiffFiles } from '../diff-lines.js';
import type { ReviewFinding } from '../types.js';
import { binaryFileRule } from './binary-file.js';
import { blastRadiusRule } from './blast-radius.js';
import { dangerousApiRule } from './dangerous-api.js';
import { hiddenCharactersRule } from './hidden-characters.js';
import { newDependencyRule } from './new-dependency.js';
import { protectedPathRule } from './protected-path.js';
import { finding, type Rule, type RuleOptions } from './rule.js';
import { secretRule } from './secret.js';
import { shellConcatRule } from './shell-concat.js';
import { sqlConcatRule } from './sql-concat.js';
import { tlsDisabledRule } from './tls-disabled.js';
import { weakenedTestRule } from './weakened-test.js';

export type { Rule, RuleOptions } from './rule.js';
export { isBlocking } from './rule.js';

/** Every deterministic check, in the order its findings are listed. */
export const RULES: readonly Rule[] = [
  secretRule,
  protectedPathRule,
  blastRadiusRule,
  binaryFileRule,
  weakenedTestRule,
  hiddenCharactersRule,
  dangerousApiRule,
  shellConcatRule,
  sqlConcatRule,
  tlsDisabledRule,
  newDependencyRule,
];

/** Enough to explain a rejection; the rest is summarised in one finding. */
export const MAX_FINDINGS = 50;

/**
 * Runs every rule on the diff; pure and deterministic. A diff that cannot be read, or changes nothing, is
 * itself a blocking finding: what cannot be judged is not approved.
 */
export function runRules(diff: string, options: RuleOptions): ReviewFinding[] {
  let files;
  try {
    files = parseDiffFiles(diff);
  } catch (error) {
    const reason = error instanceof DiffParseError ? error.message : 'unreadable diff';
    return [finding('malformed-diff', 'high', reason)];
  }
  if (files.length === 0) return [finding('malformed-diff', 'high', 'the diff changes no file')];

  const findings = RULES.flatMap((rule) => rule(files, options));
  if (findings.length <= MAX_FINDINGS) return findings;
  const kept = findings.slice(0, MAX_FINDINGS - 1);
  const rest = findings.slice(MAX_FINDINGS - 1);
  const worst = rest.some((item) => item.severity === 'critical') ? 'critical' : rest.some((item) => item.severity === 'high') ? 'high' : 'medium';
  return [...kept, finding('summary', worst, `and ${rest.length} more findings of the same kinds`)];
}
