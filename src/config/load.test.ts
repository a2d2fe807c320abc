import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { configJsonSchemaText } from './json-schema.js';
import { loadConfig, parseConfigText, requiresApproval, selectEnvironment } from './load.js';
import { interpolate } from './interpolate.js';

const GATES = 'quality_gates:\n  lint: { command: "npm run lint" }\n';

function problems(source: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfigText(source, 'c.yaml', env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  throw new Error('expected a ConfigError');
}

describe('config loading', () => {
  it('fills every default except the gates', () => {
    const config = parseConfigText(GATES, 'c.yaml', {});
    expect(config.agents.orchestrator).toMatchObject({ max_iterations: 10, max_no_progress_iterations: 3, dry_run: false });
    expect(config.agents.codex.model).toBe('gpt-4.1');
    expect(config.llm).toMatchObject({ provider: 'openai', base_url: null, api_key_env: 'OPENAI_API_KEY' });
    expect(config.quality_gates.lint).toEqual({ command: 'npm run lint', timeout: 600, required: true });
    expect(config.safety.forbidden_commands).toContain('rm -rf /');
    expect(config.safety.protected_paths).toContain('.github/workflows/**');
  });

  it('keeps the gates in file order', () => {
    const config = parseConfigText('quality_gates:\n  z: { command: a }\n  a: { command: b }\n  m: { command: c }\n', 'c.yaml', {});
    expect(Object.keys(config.quality_gates)).toEqual(['z', 'a', 'm']);
  });

  it('interpolates ${VAR} and ${VAR:-default} from the environment, and $${VAR} stays literal', () => {
    const source = `${GATES}llm:\n  provider: compatible\n  base_url: "http://\${LLM_HOST}:\${LLM_PORT:-11434}/v1"\n  api_key_env: "$\${NOT_A_REF}"\n`;
    expect(() => parseConfigText(source, 'c.yaml', { LLM_HOST: '127.0.0.1' })).toThrow(/api_key_env/);
    const config = parseConfigText(source.replace('"$${NOT_A_REF}"', 'OLLAMA_KEY'), 'c.yaml', { LLM_HOST: '127.0.0.1' });
    expect(config.llm.base_url).toBe('http://127.0.0.1:11434/v1');
    expect(interpolate('a $${B} c', {})).toEqual({ ok: true, value: 'a ${B} c' });
  });

  it('names the key path, the position, what was expected and what was found, one line per problem', () => {
    const lines = problems(
      'agents:\n  orchestrator:\n    max_iterations: "ten"\n    max_itterations: 3\nllm:\n  provider: gemini\nquality_gates:\n  lint: { command: 42 }\n',
    );
    expect(lines).toEqual([
      'c.yaml:3:21: agents.orchestrator.max_iterations: expected number, found "ten" (text)',
      'c.yaml:4:5: agents.orchestrator: unknown key "max_itterations" (check the spelling; see schema/config.schema.json)',
      'c.yaml:6:13: llm.provider: expected one of "openai" | "azure" | "compatible", found "gemini" (text)',
      'c.yaml:8:20: quality_gates.lint.command: expected text, found 42 (number)',
    ]);
    for (const line of lines) expect(line).not.toContain('\n');
  });

  it('reports an unset variable with its key path', () => {
    expect(problems(`${GATES}llm:\n  base_url: \${MISSING_URL}\n`)).toEqual([
      'c.yaml:4:13: llm.base_url: environment variable MISSING_URL is not set (use ${NAME:-default} for an optional value)',
    ]);
  });

  it('rejects a missing file, an unknown environment, and flags production as needing approval', async () => {
    await expect(loadConfig('/nonexistent/config.yaml', {})).rejects.toThrow(/config file not found/);
    const config = parseConfigText(`${GATES}deployment:\n  environments:\n    staging: {}\n    production: {}\n    prod-eu: { requires_approval: false }\n`, 'c.yaml', {});
    expect(() => selectEnvironment(config, 'qa', 'c.yaml')).toThrow('c.yaml: unknown environment "qa" (defined: staging, production, prod-eu)');
    const production = selectEnvironment(config, 'production', 'c.yaml');
    expect(production && requiresApproval('production', production)).toBe(true);
    const staging = selectEnvironment(config, 'staging', 'c.yaml');
    expect(staging && requiresApproval('staging', staging)).toBe(false);
    const euOptOut = selectEnvironment(config, 'prod-eu', 'c.yaml');
    expect(euOptOut && requiresApproval('prod-eu', euOptOut)).toBe(false);
  });

  it('accepts the bundled config.yaml and the demo config', async () => {
    const root = await loadConfig(new URL('../../config.yaml', import.meta.url).pathname, {});
    expect(Object.keys(root.config.quality_gates)).toEqual(['install', 'typecheck', 'build', 'test', 'audit']);
    expect(root.config.deployment.environments.production?.requires_approval).toBe(true);
    const demo = await loadConfig(new URL('../../examples/demo-app/config.yaml', import.meta.url).pathname, {});
    expect(Object.keys(demo.config.quality_gates)).toEqual(['format', 'lint', 'typecheck', 'test']);
  });

  it('has a committed JSON Schema that matches the zod schema (run `npm run schema` when this fails)', () => {
    const committed = readFileSync(new URL('../../schema/config.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(configJsonSchemaText());
    const schema = JSON.parse(committed) as { $schema: string; required: string[] };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.required).toEqual(['quality_gates']);
  });
});
