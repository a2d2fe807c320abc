import type { Analysis } from './facts.js';
import { judgeCloud } from './rules/cloud.js';
import { judgeFileEffects, judgeWrite } from './rules/filesystem.js';
import { judgeGit } from './rules/git.js';
import { judgeKubernetes } from './rules/kubernetes.js';
import { judgeNetwork } from './rules/network.js';
import type { CommandRule, RuleContext, Violation } from './rules/rule-types.js';
import { judgeSystem } from './rules/system.js';

export type { RuleContext, Violation } from './rules/rule-types.js';

/**
 * The rules no configuration can switch off, applied to every command the walk found. The first problem
 * wins; the walk's own findings (unknown command names, scripts it cannot see) come after them.
 */
const COMMAND_RULES: readonly CommandRule[] = [judgeSystem, judgeNetwork, judgeFileEffects, judgeKubernetes, judgeCloud, judgeGit];

/** Every rule id the policy can report, for documentation and tests. */
export const BUILTIN_RULE_IDS = [
  'builtin:wipe-root', 'builtin:wipe-home', 'builtin:wipe-repo', 'builtin:delete-outside-repo', 'builtin:write-outside-repo',
  'builtin:chmod-outside-repo', 'builtin:ci-config-change', 'builtin:git-internals', 'builtin:mkfs', 'builtin:dd-device',
  'builtin:fork-bomb', 'builtin:shutdown', 'builtin:kill-all', 'builtin:k8s-namespace-delete', 'builtin:k8s-destructive',
  'builtin:k8s-scale-to-zero', 'builtin:az-delete', 'builtin:cloud-delete', 'builtin:secret-write', 'builtin:force-push',
  'builtin:protected-branch', 'builtin:git-exec-config', 'builtin:pipe-to-shell', 'builtin:secret-exfiltration', 'builtin:inline-code',
] as const;

export function judgeBuiltins(analysis: Analysis, context: RuleContext): Violation | null {
  for (const fact of analysis.commands) {
    for (const rule of COMMAND_RULES) {
      const found = rule(fact, context);
      if (found) return found;
    }
  }
  for (const write of analysis.writes) {
    const found = judgeWrite(write, context);
    if (found) return found;
  }
  const builtin = analysis.findings.find((finding) => finding.rule.startsWith('builtin:'));
  return builtin ?? analysis.findings[0] ?? null;
}
