import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from './analyze.js';
import { hintedClasses, type GateOutcome } from './classify.js';
import type { FailureClass } from './types.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/logs/${name}`, import.meta.url), 'utf8');

type ClassifyInput = GateOutcome & { log: string };

function input(overrides: Partial<ClassifyInput>): ClassifyInput {
  return { gate: 'ci', command: 'npm run ci', exitCode: 1, signal: null, timedOut: false, log: '', ...overrides };
}

describe('classifyFailure on realistic logs', () => {
  it.each<[string, string, string, number | null, FailureClass]>([
    ['tsc.log', 'typecheck', 'npm run typecheck', 2, 'typecheck'],
    ['eslint-stylish.log', 'lint', 'npm run lint', 1, 'lint'],
    ['eslint-unix.log', 'lint', 'npm run lint', 1, 'lint'],
    ['github-group.log', 'lint', 'npm run lint', 1, 'lint'],
    ['prettier-check.log', 'format', 'npm run format:check', 1, 'format'],
    ['vitest-assertion.log', 'test', 'npm test', 1, 'test'],
    ['azure-ansi.log', 'test', 'npm test', 1, 'test'],
    ['jest.log', 'test', 'npm test', 1, 'test'],
    ['node-test-tap.log', 'test', 'node --test --test-reporter=tap', 1, 'test'],
    ['npm-eresolve.log', 'install', 'npm ci', 1, 'dependency'],
    ['npm-ci-eusage.log', 'install', 'npm ci', 1, 'dependency'],
    ['npm-network.log', 'install', 'npm ci', 1, 'network'],
    ['node-oom.log', 'build', 'npm run build', 134, 'oom'],
    ['esbuild.log', 'build', 'npm run build', 1, 'build'],
    ['webpack.log', 'build', 'npm run build', 1, 'build'],
    ['eslint-config.log', 'lint', 'npm run lint', 2, 'config'],
    ['vitest-config.log', 'test', 'npm test', 1, 'config'],
  ])('%s (gate %s) → %s', (file, gate, command, exitCode, expected) => {
    expect(classifyFailure(input({ gate, command, exitCode, log: fixture(file) }))).toBe(expected);
  });

  it('classifies from the log even when the gate name says nothing', () => {
    expect(classifyFailure(input({ log: fixture('tsc.log') }))).toBe('typecheck');
    expect(classifyFailure(input({ log: fixture('jest.log') }))).toBe('test');
    expect(classifyFailure(input({ log: fixture('prettier-check.log') }))).toBe('format');
    expect(classifyFailure(input({ log: fixture('eslint-unix.log') }))).toBe('lint');
  });
});

describe('causes beat symptoms', () => {
  const testLog = fixture('vitest-assertion.log');

  it.each<[string, Partial<ClassifyInput>, FailureClass]>([
    ['a timeout, whatever the log says', { timedOut: true, exitCode: null, signal: 'SIGKILL', log: testLog }, 'timeout'],
    ['exit 137', { exitCode: 137, log: testLog }, 'oom'],
    ['SIGKILL', { exitCode: null, signal: 'SIGKILL', log: '' }, 'oom'],
    ['heap out of memory during npm test', { log: `${testLog}\nFATAL ERROR: JavaScript heap out of memory` }, 'oom'],
    ['ECONNRESET during npm test', { log: `${testLog}\nError: read ECONNRESET` }, 'network'],
    ['ETIMEDOUT', { log: 'Error: connect ETIMEDOUT 104.16.1.35:443' }, 'network'],
    ['ENOTFOUND', { log: 'getaddrinfo ENOTFOUND registry.npmjs.org' }, 'network'],
    ['a lockfile out of sync before the tests', { log: `${fixture('npm-ci-eusage.log')}\n${testLog}` }, 'dependency'],
  ])('%s', (_name, overrides, expected) => {
    expect(classifyFailure(input({ gate: 'test', command: 'npm test', ...overrides }))).toBe(expected);
  });
});

describe('classifyFailure edge cases', () => {
  it.each<[string, Partial<ClassifyInput>, FailureClass]>([
    ['npm 6 ERESOLVE', { log: 'npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree' }, 'dependency'],
    ['E404', { log: "npm ERR! code E404\nnpm ERR! 404 Not Found - GET https://registry.npmjs.org/lefft-pad" }, 'dependency'],
    ['pnpm frozen lockfile', { log: ' ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile"' }, 'dependency'],
    [
      'Cannot find module during install',
      { gate: 'install', command: 'npm ci', log: "Error: Cannot find module 'node-gyp-build'" },
      'dependency',
    ],
    [
      'Cannot find module during a test run is a test failure',
      { gate: 'test', command: 'npm test', log: "FAIL src/a.test.ts\nError: Cannot find module './missing'" },
      'test',
    ],
    ['unreadable output of a typecheck gate', { gate: 'typecheck', command: 'tsc --noEmit', log: 'Segmentation fault' }, 'typecheck'],
    ['unreadable output of a tsc command', { gate: 'check', command: 'npx tsc -p .', log: '' }, 'typecheck'],
    ['an install gate with no evidence', { gate: 'deps', command: 'npm ci', log: 'something odd' }, 'dependency'],
    ['nothing to go on', { gate: 'ci', command: './run.sh', log: 'something odd happened' }, 'unknown'],
    [
      'tsc complaining about tsconfig only',
      { gate: 'typecheck', command: 'tsc', log: "tsconfig.json(3,5): error TS5023: Unknown compiler option 'strictt'." },
      'config',
    ],
    ['a YAML config error', { gate: 'deploy-check', command: './check.sh', log: 'YAMLException: bad indentation of a mapping entry (3:8)' }, 'config'],
    ['invalid package.json', { gate: 'install', command: 'npm ci', log: 'npm error code EJSONPARSE\nnpm error JSON.parse Invalid package.json' }, 'config'],
    ['mocha failures', { gate: 'unit', command: 'mocha', log: '  3 passing (12ms)\n  1 failing\n\n  1) parser\n       rejects:\n     AssertionError [ERR_ASSERTION]: Missing expected exception.' }, 'test'],
    ['node:test spec reporter', { gate: 'unit', command: 'node --test', log: '✖ rejects an empty plate (1.2ms)\nℹ tests 2\nℹ pass 1\nℹ fail 1' }, 'test'],
    ['vite build error', { gate: 'bundle', command: 'vite build', log: 'error during build:\nRollupError: Could not resolve "./x"' }, 'build'],
  ])('%s', (_name, overrides, expected) => {
    expect(classifyFailure(input(overrides))).toBe(expected);
  });

  it('uses the gate name to break a tie between several tools’ evidence', () => {
    const mixed = `${fixture('eslint-stylish.log')}\n${fixture('prettier-check.log')}`;
    expect(classifyFailure(input({ gate: 'lint', command: 'npm run lint', log: mixed }))).toBe('lint');
    expect(classifyFailure(input({ gate: 'format', command: 'npm run check', log: mixed }))).toBe('format');
    // No hint: the more specific evidence wins.
    expect(classifyFailure(input({ gate: 'check', command: './check.sh', log: mixed }))).toBe('lint');
    // tsc errors inside a build are a typecheck problem, even though the gate is called build.
    expect(classifyFailure(input({ gate: 'build', command: 'npm run build', log: fixture('tsc.log') }))).toBe('typecheck');
  });

  it('does not mistake passing summaries for failures', () => {
    const log = '# tests 3\n# pass 3\n# fail 0\nFound 0 errors.';
    expect(classifyFailure(input({ gate: 'ci', command: './run.sh', log }))).toBe('unknown');
  });
});

describe('hintedClasses', () => {
  it.each<[string, string, FailureClass[]]>([
    ['typecheck', 'tsc --noEmit', ['typecheck']],
    ['lint', 'npm run lint', ['lint']],
    ['format', 'prettier --check .', ['format']],
    ['test', 'vitest run', ['test']],
    ['build', 'tsc -p tsconfig.build.json', ['build', 'typecheck']],
    ['install', 'npm ci', ['dependency']],
    ['ci', 'npm ci && npm test', ['test', 'dependency']],
    ['smoke', './smoke.sh', []],
  ])('%s / %s', (gate, command, expected) => {
    expect(hintedClasses(gate, command)).toEqual(expected);
  });
});
