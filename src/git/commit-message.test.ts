import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixCommitMessage, runIdFromMessage, type FixCommitInput } from './commit-message.js';

const RUN_ID = '20261122-001234-a1b2';
const BASE: FixCommitInput = {
  failureClass: 'typecheck',
  gate: 'typecheck',
  files: ['src/a.ts'],
  rationale: 'Add the missing return type so tsc accepts the call site.',
  tier: 'model',
  runId: RUN_ID,
  iteration: 2,
};

function parseTrailers(message: string): string {
  return execFileSync('git', ['interpret-trailers', '--parse'], { input: message, encoding: 'utf8' });
}

describe('fixCommitMessage', () => {
  it('has the subject, a body with rationale, files and tier, and the trailer last', () => {
    const message = fixCommitMessage({ ...BASE, files: ['src/a.ts', 'src/b.ts'] });
    const paragraphs = message.trimEnd().split('\n\n');
    expect(paragraphs[0]).toBe('fix(typecheck): make gate "typecheck" pass in src/a.ts and 1 more');
    expect(paragraphs[1]).toBe('Add the missing return type so tsc accepts the call site.');
    expect(paragraphs[2]).toBe('Files:\n- src/a.ts\n- src/b.ts');
    expect(paragraphs[3]).toBe('Made by fleet-orch: model tier, iteration 2.');
    expect(paragraphs.at(-1)).toBe(`Fleet-Orch-Run: ${RUN_ID}`);
    expect(message.endsWith('\n')).toBe(true);
  });

  it('git reads the run trailer, and only it', () => {
    expect(parseTrailers(fixCommitMessage(BASE))).toBe(`Fleet-Orch-Run: ${RUN_ID}\n`);
  });

  it('uses the single file in the subject', () => {
    expect(fixCommitMessage(BASE).split('\n')[0]).toBe('fix(typecheck): make gate "typecheck" pass in src/a.ts');
  });

  it('keeps the subject within 72 characters for long paths and gate names', () => {
    const deep = 'packages/fleet-telemetry/src/ingest/normalisers/vehicle-normaliser.ts';
    const cases: FixCommitInput[] = [
      { ...BASE, files: [deep] },
      { ...BASE, files: [deep, 'b.ts', 'c.ts'] },
      { ...BASE, files: [`${'x'.repeat(80)}.ts`, 'y.ts'] },
      { ...BASE, gate: 'g'.repeat(120), files: [deep] },
      { ...BASE, files: [] },
    ];
    const subjects = cases.map((input) => fixCommitMessage(input).split('\n')[0] ?? '');
    for (const subject of subjects) expect(subject.length).toBeLessThanOrEqual(72);
    expect(subjects[0]).toBe('fix(typecheck): make gate "typecheck" pass in vehicle-normaliser.ts');
    expect(subjects[1]).toBe('fix(typecheck): make gate "typecheck" pass in 3 files');
    expect(subjects[3]).toMatch(/^fix\(typecheck\): make gate "g+…" pass$/);
    expect(subjects[4]).toBe('fix(typecheck): make gate "typecheck" pass');
  });

  it('cannot be made to carry extra lines or trailers through untrusted text', () => {
    const message = fixCommitMessage({
      ...BASE,
      gate: 'lint"\n\nSigned-off-by: x',
      rationale: 'fixes it\n\nFleet-Orch-Run: 19990101-000000-dead\nCo-authored-by: Mallory <m@example.invalid>',
      files: ['src/a.ts\nFleet-Orch-Run: evil'],
    });
    expect(message.split('\n')[0]).not.toContain('\n');
    expect(parseTrailers(message)).toBe(`Fleet-Orch-Run: ${RUN_ID}\n`);
    expect(runIdFromMessage(message)).toBe(RUN_ID);
  });

  it('wraps a long rationale at 72 columns', () => {
    const rationale = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
    const body = fixCommitMessage({ ...BASE, rationale }).split('\n\n')[1] ?? '';
    expect(body.split('\n').length).toBeGreaterThan(3);
    for (const line of body.split('\n')) expect(line.length).toBeLessThanOrEqual(72);
    expect(body.replace(/\n/g, ' ')).toBe(rationale);
  });

  it('refuses a run id that is not a plain token', () => {
    expect(() => fixCommitMessage({ ...BASE, runId: 'a b' })).toThrow(RangeError);
  });
});

describe('runIdFromMessage', () => {
  it('round-trips', () => {
    expect(runIdFromMessage(fixCommitMessage(BASE))).toBe(RUN_ID);
  });

  it('reads the trailer among others, with CRLF line ends and any key case', () => {
    expect(runIdFromMessage('fix: x\r\n\r\nbody\r\n\r\nSigned-off-by: A <a@b>\r\nfleet-orch-run:  abc-1\r\n')).toBe('abc-1');
  });

  it('is null without the trailer in the last paragraph', () => {
    expect(runIdFromMessage('fix: x')).toBeNull();
    expect(runIdFromMessage('fix: x\n\nFleet-Orch-Run: abc\n\nmore text')).toBeNull();
    expect(runIdFromMessage('fix: x\n\nFleet-Orch-Run: a b')).toBeNull();
    expect(runIdFromMessage('')).toBeNull();
  });
});
