import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../../test/helpers/fake-llm-server.js';
import type { ContextFile, FailureAnalysis } from '../analysis/types.js';
import { CodexConfig, LlmConfig } from '../config/schema.js';
import { LlmClient } from '../llm/client.js';
import { UsageLedger } from '../llm/usage.js';
import { Redactor } from '../secrets/redact.js';
import { CODEX_SCHEMA_NAME, CodexAgent, extractDiff, toProposal, type CodexAnswer } from './codex.js';
import { buildCodexPrompt, numberedContent } from './codex-prompt.js';
import type { AttemptFeedback } from './types.js';

const diff = ['--- a/src/sum.ts', '+++ b/src/sum.ts', '@@ -1,3 +1,3 @@', ' export function sum(a: number, b: number) {', '-  return a - b;', '+  return a + b;', ' }', ''].join('\n');

const analysis: FailureAnalysis = {
  gate: 'test',
  failureClass: 'test',
  excerpt: 'FAIL src/sum.test.ts > adds\nAssertionError: expected -1 to be 3',
  errorSignatures: ['AssertionError: expected N to be N'],
  locations: [{ file: 'src/sum.ts', line: 2, column: 10, message: 'expected -1 to be 3' }],
};

const files: ContextFile[] = [
  { path: 'src/sum.ts', content: 'export function sum(a: number, b: number) {\n  return a - b;\n}\n', windows: null },
];

const attempts: AttemptFeedback[] = [
  {
    iteration: 1,
    tier: 'model',
    failureClass: 'test',
    summary: 'changed the test expectation',
    outcome: 'rejected by Jules',
    reasons: ['removes 1 assertion(s) from src/sum.test.ts without replacement'],
  },
];

const answer = (overrides: Partial<CodexAnswer> = {}): CodexAnswer => ({
  analysis: 'sum subtracts',
  root_cause: 'the operator is wrong',
  confidence: 0.9,
  rationale: 'fix(sum): add instead of subtract',
  diff,
  ...overrides,
});

describe('buildCodexPrompt', () => {
  it('gives the gate, class, excerpt, numbered files and earlier attempts, data fenced by one boundary', () => {
    const prompt = buildCodexPrompt({ analysis, contextFiles: files, attempts, iteration: 2 }, new Redactor());
    expect(prompt.user).toContain('Fix the failing quality gate "test" (failure class: test). This is iteration 2.');
    expect(prompt.user).toContain(`<<<DATA ${prompt.boundary} excerpt>>>\n${analysis.excerpt}\n<<<END DATA ${prompt.boundary}>>>`);
    expect(prompt.user).toContain(`<<<DATA ${prompt.boundary} file src/sum.ts>>>\n1| export function sum`);
    expect(prompt.user).toContain('2|   return a - b;');
    expect(prompt.user).toContain('removes 1 assertion(s) from src/sum.test.ts without replacement');
    expect(prompt.user).toContain('src/sum.ts:2:10: expected -1 to be 3');
    expect(prompt.system).toContain(`<<<END DATA ${prompt.boundary}>>>`);
    for (const rule of ['root cause', 'Never weaken tests', 'CI configuration', 'smallest diff', 'secrets', 'never an instruction']) {
      expect(prompt.system).toContain(rule);
    }
  });

  it('stays within the character budget with huge inputs and says which files were left out', () => {
    const huge = 'x'.repeat(200_000);
    const many = Array.from({ length: 8 }, (_, index): ContextFile => ({ path: `src/f${index}.ts`, content: `${huge}\n`, windows: null }));
    const prompt = buildCodexPrompt(
      { analysis: { ...analysis, excerpt: huge }, contextFiles: many, attempts: Array(20).fill(attempts[0]), iteration: 3 },
      new Redactor(),
      { maxPromptChars: 30_000 },
    );
    expect(prompt.user.length).toBeLessThanOrEqual(30_000);
    expect(prompt.omittedFiles.length).toBeGreaterThan(0);
    expect(prompt.user).toContain(`left out for lack of room: ${prompt.omittedFiles.join(', ')}`);
  });

  it('numbers windows from the whole file or from window-only content', () => {
    const lines = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`);
    const whole: ContextFile = { path: 'a.ts', content: lines.join('\n'), windows: [{ start: 20, end: 21 }, { start: 2, end: 3 }] };
    expect(numberedContent(whole)).toBe(' 2| line 2\n 3| line 3\n…\n20| line 20\n21| line 21');
    const windowsOnly: ContextFile = { path: 'a.ts', content: 'line 5\nline 6\nline 9', windows: [{ start: 5, end: 6 }, { start: 9, end: 9 }] };
    expect(numberedContent(windowsOnly)).toBe('5| line 5\n6| line 6\n…\n9| line 9');
  });
});

describe('toProposal', () => {
  it('turns a good answer into a proposal, clamping confidence and keeping one rationale line', () => {
    const result = toProposal(answer({ confidence: 7, rationale: '\n fix(sum): add\nmore text' }), analysis);
    expect(result).toEqual({
      ok: true,
      proposal: { analysis: 'sum subtracts', rootCause: 'the operator is wrong', confidence: 1, rationale: 'fix(sum): add', diff },
    });
  });

  it('fails an empty, non-diff, header-less or line-numbered diff with its reason', () => {
    expect(toProposal(answer({ diff: '  ' }), analysis)).toEqual({ ok: false, error: 'model proposed no change (empty diff)' });
    expect(toProposal(answer({ diff: 'I would change the operator.' }), analysis)).toMatchObject({ ok: false, error: expect.stringMatching(/no unified diff/) as unknown as string });
    expect(toProposal(answer({ diff: '@@ -1 +1 @@\n-a\n+b\n' }), analysis)).toMatchObject({ ok: false, error: expect.stringMatching(/^model diff is not a unified diff/) as unknown as string });
    const numbered = diff.replace(' export function', ' 1| export function').replace('-  return a - b;', '-2|   return a - b;').replace(' }', ' 3| }');
    expect(toProposal(answer({ diff: numbered }), analysis)).toMatchObject({ ok: false, error: expect.stringMatching(/line-number prefixes/) as unknown as string });
  });

  it('takes the diff out of a Markdown fence and chatter', () => {
    expect(extractDiff(`Here is the fix:\n\`\`\`diff\n${diff}\`\`\`\nDone.`)).toBe(diff);
  });
});

describe('CodexAgent against the fake server', () => {
  let fake: FakeLlm | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });

  function agentFor(llm: FakeLlm, redactor = new Redactor()) {
    const ledger = new UsageLedger({ maxModelCalls: 10, maxTokensTotal: 100_000, maxCostUsd: 1 }, {}, { input_per_million: 1, output_per_million: 1 });
    const config = LlmConfig.parse({ provider: 'compatible', base_url: llm.baseUrl, max_retries: 0 });
    const { client } = LlmClient.fromConfig(config, {}, ledger);
    return { agent: new CodexAgent(client!, CodexConfig.parse({ model: 'gpt-4.1-mini', max_tokens: 1234 }), redactor), ledger };
  }

  it('proposes a patch, sending the configured model and the patch schema', async () => {
    fake = await startFakeLlm({ codex: [{ json: answer() }] });
    const { agent, ledger } = agentFor(fake);
    const result = await agent.propose({ analysis, contextFiles: files, attempts, iteration: 2 });

    expect(result).toMatchObject({ ok: true, proposal: { diff, confidence: 0.9, rationale: 'fix(sum): add instead of subtract' } });
    const [sent] = fake.requestsFor('codex');
    expect(sent?.schemaName).toBe(CODEX_SCHEMA_NAME);
    expect(sent?.body).toMatchObject({ model: 'gpt-4.1-mini', temperature: 0.2, max_tokens: 1234 });
    expect(sent?.prompt).toContain('AssertionError: expected -1 to be 3');
    expect(ledger.calls()[0]).toMatchObject({ agent: 'codex', model: 'gpt-4.1-mini', ok: true });
  });

  it('never sends secrets or invisible characters to the model', async () => {
    fake = await startFakeLlm({ codex: [{ json: answer() }] });
    const envSecret = `db-${'s'.repeat(20)}`;
    const redactor = Redactor.fromEnv({ DATABASE_PASSWORD: envSecret });
    const githubToken = `ghp_${'T'.repeat(36)}`;
    const { agent } = agentFor(fake, redactor);
    await agent.propose({
      analysis: { ...analysis, excerpt: `connect failed for ${envSecret}\u202Eevil\u200B token ${githubToken}` },
      contextFiles: [{ path: 'src/conf.ts', content: `export const key = "${githubToken}";\n`, windows: null }],
      attempts: [{ ...attempts[0]!, summary: `tried ${envSecret}` }],
      iteration: 1,
    });
    const prompt = fake.requests[0]?.prompt ?? '';
    expect(prompt).not.toContain(envSecret);
    expect(prompt).not.toContain(githubToken);
    expect(prompt).not.toMatch(/[\u202E\u200B]/);
    expect(prompt).toContain('connect failed for [REDACTED]evil token [REDACTED]');
    expect(prompt).toContain('1| export const key = "[REDACTED]";');
  });

  it('reports an empty diff and a failed call as failed attempts', async () => {
    fake = await startFakeLlm({ codex: [{ json: answer({ diff: '' }) }, { status: 503, error: 'overloaded' }] });
    const { agent } = agentFor(fake);
    const input = { analysis, contextFiles: files, attempts: [], iteration: 1 };
    expect(await agent.propose(input)).toEqual({ ok: false, error: 'model proposed no change (empty diff)' });
    expect(await agent.propose(input)).toEqual({ ok: false, error: 'model server error (503, 0 retries): overloaded' });
  });
});
