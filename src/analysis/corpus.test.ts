import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GateResult } from '../gates/types.js';
import { analyzeGate } from './analyze.js';
import { analyzeLogFile } from './analyze-stream.js';
import { estimateTokens } from './distill.js';
import type { FailureAnalysis, FailureClass } from './types.js';

// The labelled corpus of test/fixtures/logs/cases.json: every case must get its class, every must-contain
// string, none of the must-not-contain strings (red herrings), and exactly its files, in memory and streamed.

interface Case {
  readonly log: string;
  readonly source: 'real' | 'handwritten';
  readonly gate: string;
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal?: string;
  readonly timedOut?: boolean;
  readonly class: FailureClass;
  readonly contains: readonly string[];
  readonly notContains?: readonly string[];
  readonly files: readonly string[];
  readonly otherRepoFiles?: readonly string[];
}

const dir = fileURLToPath(new URL('../../test/fixtures/logs/', import.meta.url));
const corpus = JSON.parse(readFileSync(`${dir}cases.json`, 'utf8')) as { repoRoot: string; cases: Case[] };
const MAX_TOKENS = 2000;

function options(testCase: Case) {
  const repoFiles = new Set([...testCase.files, ...(testCase.otherRepoFiles ?? [])]);
  return { repoRoot: corpus.repoRoot, maxExcerptTokens: MAX_TOKENS, fileExists: (file: string) => repoFiles.has(file) };
}

function gateOf(testCase: Case): GateResult {
  return {
    name: testCase.gate,
    command: testCase.command,
    required: true,
    status: testCase.timedOut ? 'timed_out' : 'failed',
    exitCode: testCase.exitCode,
    signal: testCase.signal ?? null,
    durationMs: 600_000,
    output: readFileSync(`${dir}${testCase.log}`, 'utf8'),
    outputTruncated: false,
    outputLogPath: null,
  };
}

function expectLabels(analysis: FailureAnalysis, testCase: Case): void {
  expect(analysis.failureClass).toBe(testCase.class);
  for (const text of testCase.contains) expect(analysis.excerpt).toContain(text);
  for (const text of testCase.notContains ?? []) expect(analysis.excerpt).not.toContain(text);
  expect([...new Set(analysis.locations.map((location) => location.file))]).toEqual(testCase.files);
  expect(estimateTokens(analysis.excerpt)).toBeLessThanOrEqual(MAX_TOKENS);
}

describe('the labelled log corpus', () => {
  it('has at least 30 cases over all eleven classes, most of them real tool output', () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(corpus.cases.map((testCase) => testCase.class)).size).toBe(11);
    expect(corpus.cases.filter((testCase) => testCase.source === 'real').length).toBeGreaterThanOrEqual(15);
  });

  it.each(corpus.cases.map((testCase) => [testCase.log, testCase] as const))('%s', async (_log, testCase) => {
    const inMemory = analyzeGate(gateOf(testCase), options(testCase));
    expectLabels(inMemory, testCase);
    const streamed = await analyzeLogFile(`${dir}${testCase.log}`, {
      ...options(testCase),
      gate: testCase.gate,
      command: testCase.command,
      exitCode: testCase.exitCode,
      signal: testCase.signal ?? null,
      timedOut: testCase.timedOut ?? false,
      durationMs: 600_000,
    });
    expect(streamed).toEqual(inMemory);
  });
});
