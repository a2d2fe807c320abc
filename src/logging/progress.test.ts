import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';
import { safeProgress } from './safe-progress.js';
import { Redactor } from '../secrets/redact.js';

function stream(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  const pass = new PassThrough();
  let text = '';
  pass.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return Object.assign(pass, { isTTY, text: () => text }) as unknown as NodeJS.WriteStream & { text(): string };
}

const clock = () => new Date('2026-11-22T10:00:00.000Z');

describe('progress output', () => {
  it('prints plain timestamped lines when not a TTY', () => {
    const out = stream(false);
    const progress = createProgress({ stream: out, env: {}, verbosity: 'normal', clock });
    progress.start('gate lint: npm run lint');
    progress.succeed('gate lint passed (1.0s)');
    progress.debug('hidden unless verbose');
    expect(out.text()).toBe(
      '[2026-11-22T10:00:00.000Z] …    gate lint: npm run lint\n[2026-11-22T10:00:00.000Z] ok   gate lint passed (1.0s)\n',
    );
  });

  it('prints plain lines on a TTY when CI is set, and only problems when quiet', () => {
    const out = stream(true);
    const progress = createProgress({ stream: out, env: { CI: 'true' }, verbosity: 'quiet', clock });
    progress.info('iteration 1');
    progress.fail('gate test failed');
    expect(out.text()).toBe('[2026-11-22T10:00:00.000Z] FAIL gate test failed\n');
  });

  it('redacts secrets and defuses pipeline logging commands before anything is shown', () => {
    const out = stream(false);
    const redactor = new Redactor();
    redactor.add('hunter2-secret-value');
    const progress = safeProgress(createProgress({ stream: out, env: {}, verbosity: 'normal', clock }), redactor, 'azure-pipelines');
    progress.info('model said: ##vso[task.setvariable variable=x]pwned with hunter2-secret-value');
    expect(out.text()).not.toContain('hunter2-secret-value');
    expect(out.text()).not.toContain('##vso[task');
    expect(out.text()).toContain('[REDACTED]');
  });
});
