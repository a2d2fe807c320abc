import type { ProjectScripts } from './detect.js';

export interface InitOptions {
  /** Path of the JSON Schema relative to the config file, for the editor hook on the first line. */
  readonly schemaPath: string;
}

/**
 * A commented config.yaml for a detected Node project: its gates in the order a pipeline runs them, the
 * defaults spelled out where people usually change them, and no secrets (only the NAME of the key variable).
 */
export function renderInitConfig(project: ProjectScripts, options: InitOptions): { text: string; gates: string[] } {
  const gates: [string, string | null, number, boolean][] = [
    ['install', project.install, 600, true],
    ['lint', project.lint, 300, true],
    ['format', project.formatCheck, 120, true],
    ['typecheck', project.typecheck, 300, true],
    ['test', project.test, 900, true],
    ['build', project.build, 600, true],
  ];
  const found = gates.filter(([, command]) => command !== null);
  const missing = gates.filter(([, command]) => command === null).map(([name]) => name);
  const width = Math.max(...found.map(([name]) => name.length));
  const gateLines = found.map(
    ([name, command, timeout, required]) =>
      `  ${`${name}:`.padEnd(width + 1)} { command: ${JSON.stringify(command)}, timeout: ${timeout}, required: ${required} }`,
  );
  const text = [
    `# yaml-language-server: $schema=${options.schemaPath}`,
    '#',
    '# fleet-orch configuration, written by `fleet-orch init`. Check it with `fleet-orch config validate`.',
    `# Package manager: ${project.packageManager} (from ${project.detectedFrom}).`,
    '# Every key has a default except quality_gates; `${VAR}` takes a value from the environment.',
    '',
    'quality_gates:                # ordered; each runs from the repository root through the guarded shell',
    ...gateLines,
    ...(missing.length > 0 ? [`  # not found in package.json scripts: ${missing.join(', ')}`] : []),
    '',
    'agents:',
    '  orchestrator:',
    '    max_iterations: 10',
    '    max_no_progress_iterations: 3',
    '    max_cost_usd: 5            # hard limits stop the run with exit 3',
    '    max_minutes: 60',
    '',
    'llm:',
    '  provider: openai            # openai | azure | compatible (Ollama, vLLM, LM Studio … via base_url)',
    '  api_key_env: OPENAI_API_KEY # the NAME of the variable that holds the key; never the key itself',
    '  # base_url: http://localhost:11434/v1   # with provider: compatible',
    '',
    'safety:',
    '  protected_paths: [".git/**", "azure-pipelines.yml", ".github/workflows/**", "config.yaml"]',
    '  max_files_changed: 10',
    '  max_lines_changed: 400',
    '',
    'deployment:',
    '  environments:',
    '    staging: {}               # health_endpoint, verification_endpoints, smoke_tests',
    '',
  ].join('\n');
  return { text, gates: found.map(([name]) => name) };
}
