import { describe, expect, it } from 'vitest';
import { buildChildEnv, scrubbedNames } from './env.js';

const fakeKey = 'sk-' + 'a'.repeat(40);

const base: NodeJS.ProcessEnv = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/ci',
  CI: 'true',
  OPENAI_API_KEY: fakeKey,
  GITHUB_TOKEN: 'ghp_' + 'b'.repeat(36),
  NPM_TOKEN: 'npm_' + 'c'.repeat(30),
  DB_PASSWORD: 'hunter2-but-longer',
  SYSTEM_ACCESSTOKEN: 'azure-token-value',
  AWS_SECRET_ACCESS_KEY: 'd'.repeat(40),
  BASH_ENV: '/tmp/evil.sh',
  ENV: '/tmp/evil.sh',
  'BASH_FUNC_rm%%': '() { echo fake rm; }',
  UNSET_ONE: undefined,
};

describe('buildChildEnv', () => {
  it('drops every secret-looking variable and keeps the ordinary ones', () => {
    const env = buildChildEnv({ base });
    expect(env).toEqual({ PATH: '/usr/bin:/bin', HOME: '/home/ci', CI: 'true' });
  });

  it('passes a secret-looking variable listed in passEnv (exact name only)', () => {
    const env = buildChildEnv({ base, passEnv: ['NPM_TOKEN', 'github_token'] });
    expect(env['NPM_TOKEN']).toBe(base['NPM_TOKEN']);
    expect(env['GITHUB_TOKEN']).toBeUndefined();
    expect(env['OPENAI_API_KEY']).toBeUndefined();
  });

  it('drops variables that make bash run code the policy never saw', () => {
    const env = buildChildEnv({ base });
    expect(Object.keys(env).filter((name) => name.startsWith('BASH_') || name === 'ENV')).toEqual([]);
  });

  it('drops variables that change what a line means from outside it (CDPATH, PS4, shell options)', () => {
    const outside = { PATH: '/usr/bin', CDPATH: '/', PS4: '$(id)', PROMPT_COMMAND: 'id', SHELLOPTS: 'xtrace', BASHOPTS: 'dotglob', GLOBIGNORE: '*' };
    expect(buildChildEnv({ base: outside })).toEqual({ PATH: '/usr/bin' });
  });

  it('adds the request variables last, secret-looking or not', () => {
    const env = buildChildEnv({ base, extra: { NODE_OPTIONS: '--max-old-space-size=4096', SERVICE_TOKEN: 'given-on-purpose', CI: 'false' } });
    expect(env['NODE_OPTIONS']).toBe('--max-old-space-size=4096');
    expect(env['SERVICE_TOKEN']).toBe('given-on-purpose');
    expect(env['CI']).toBe('false');
  });

  it('does not modify the base environment', () => {
    const copy = { ...base };
    buildChildEnv({ base, extra: { A: '1' } });
    expect(base).toEqual(copy);
  });
});

describe('scrubbedNames', () => {
  it('lists the dropped names, sorted, never the values', () => {
    const names = scrubbedNames({ base, passEnv: ['NPM_TOKEN'] });
    expect(names).toEqual(['AWS_SECRET_ACCESS_KEY', 'BASH_ENV', 'BASH_FUNC_rm%%', 'DB_PASSWORD', 'ENV', 'GITHUB_TOKEN', 'OPENAI_API_KEY', 'SYSTEM_ACCESSTOKEN']);
    expect(names.join(' ')).not.toContain(fakeKey);
  });
});
