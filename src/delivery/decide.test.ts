import { describe, expect, it } from 'vitest';
import { decideDelivery, type DecisionInput } from './decide.js';

function input(overrides: Partial<DecisionInput> & { mode?: DecisionInput['config']['mode'] } = {}): DecisionInput {
  const { mode = 'pull_request', ...rest } = overrides;
  return {
    config: { mode, auto_push_threshold: 0.9, pull_request_threshold: 0.6 },
    confidence: 0.8,
    green: true,
    commits: 1,
    workBranch: 'fleet-orch/fix-1',
    targetBranch: 'feature/x',
    protectedBranches: [],
    ...rest,
  };
}

describe('decideDelivery', () => {
  it.each([
    ['mode none', input({ mode: 'none', confidence: 1 }), 'none', 'delivery.mode is none'],
    ['no commits', input({ commits: 0 }), 'none', 'no fix commits to deliver'],
    ['not green', input({ green: false }), 'none', 'the run did not end green'],
    ['no target', input({ targetBranch: null }), 'none', 'set delivery.target_branch'],
    ['pull request above its threshold', input({ confidence: 0.6 }), 'pull_request', 'confidence 0.60 ≥ pull_request_threshold 0.6'],
    ['pull request mode never pushes', input({ confidence: 1 }), 'pull_request', 'pull request fleet-orch/fix-1 → feature/x'],
    ['below the pull request threshold: patch only', input({ confidence: 0.59 }), 'none', 'the fix stays a patch file'],
    ['push when confident', input({ mode: 'push', confidence: 0.9 }), 'push', 'push onto feature/x'],
    ['push mode falls back to a pull request', input({ mode: 'push', confidence: 0.89 }), 'pull_request', 'confidence 0.89 < auto_push_threshold 0.9; '],
    ['push mode below both thresholds', input({ mode: 'push', confidence: 0.1 }), 'none', 'the fix stays a patch file'],
    ['main is never pushed to', input({ mode: 'push', confidence: 1, targetBranch: 'main' }), 'pull_request', 'main is protected'],
    ['configured protection', input({ mode: 'push', confidence: 1, targetBranch: 'release/1', protectedBranches: ['release/*'] }), 'pull_request', 'release/1 is protected'],
    ['target is the work branch', input({ targetBranch: 'fleet-orch/fix-1' }), 'none', 'is the work branch'],
  ] as const)('%s', (_name, decisionInput, action, reasonPart) => {
    const decision = decideDelivery(decisionInput);
    expect(decision.action).toBe(action);
    expect(decision.reason).toContain(reasonPart);
  });
});
