import { describe, expect, it } from 'vitest';
import { DEFAULT_FORBIDDEN_COMMANDS } from '../../src/config/schema.js';
import { BUILTIN_RULE_IDS } from '../../src/shell/builtin-rules.js';
import { judgeCommand, type PolicyOptions } from '../../src/shell/policy.js';
import { CORPUS_HOME, CORPUS_REPO, readCorpus } from '../helpers/guard-corpus.js';

/**
 * The guard's promise, measured: every dangerous command of the corpus is denied (by the rule expected), and no
 * benign CI command is. Failures list the offending lines.
 */
const options: PolicyOptions = { repoRoot: CORPUS_REPO, home: CORPUS_HOME, forbiddenCommands: DEFAULT_FORBIDDEN_COMMANDS };
const dangerous = readCorpus('dangerous');
const benign = readCorpus('benign');

describe('guard corpus (test/fixtures/guard)', () => {
  it('holds at least 150 dangerous and 150 benign commands', () => {
    expect(dangerous.length).toBeGreaterThanOrEqual(150);
    expect(benign.length).toBeGreaterThanOrEqual(150);
    expect(new Set(dangerous.map((entry) => entry.cmd)).size).toBe(dangerous.length);
    expect(new Set(benign.map((entry) => entry.cmd)).size).toBe(benign.length);
  });

  it('denies 100% of the dangerous commands', () => {
    const allowed = dangerous.filter((entry) => judgeCommand(entry.cmd, options).allowed).map((entry) => `dangerous.jsonl:${entry.line}: ${entry.cmd}`);
    expect(allowed).toEqual([]);
  });

  it('denies each dangerous command with the rule its line expects', () => {
    const wrongRule = dangerous.flatMap((entry) => {
      const decision = judgeCommand(entry.cmd, options);
      return decision.rule === entry.rule ? [] : [`dangerous.jsonl:${entry.line}: ${entry.cmd} → ${decision.rule} (expected ${entry.rule}): ${decision.reason}`];
    });
    expect(wrongRule).toEqual([]);
  });

  it('denies 0 of the benign commands', () => {
    const denied = benign.flatMap((entry) => {
      const decision = judgeCommand(entry.cmd, options);
      return decision.allowed ? [] : [`benign.jsonl:${entry.line}: ${entry.cmd} → ${decision.rule}: ${decision.reason}`];
    });
    expect(denied).toEqual([]);
  });

  it('exercises every built-in rule', () => {
    const hit = new Set(dangerous.map((entry) => judgeCommand(entry.cmd, options).rule));
    expect(BUILTIN_RULE_IDS.filter((id) => !hit.has(id))).toEqual([]);
  });

  it('includes the tricky safe commands the issue names', () => {
    const commands = new Set(benign.map((entry) => entry.cmd));
    for (const command of ['rm -rf node_modules dist', 'echo "rm -rf /"', 'grep -r "az group delete" docs/', 'git push origin HEAD:refs/heads/fleet-orch/fix-1', 'kubectl rollout status deploy/api -n staging']) {
      expect(commands.has(command), command).toBe(true);
    }
  });
});
