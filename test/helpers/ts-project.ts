import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { tempRepo, type TempRepo } from './git.js';
import { TSC } from './cli.js';

/** `src/index.ts` passes a string where a number is expected: one tsc error, TS2345. */
export const BROKEN_INDEX = "import { add } from './math.js';\n\nexport const total: number = add(1, '2');\n";
export const FIXED_INDEX = "import { add } from './math.js';\n\nexport const total: number = add(1, 2);\n";

/** The diff a good model answers with. */
export const FIX_DIFF = [
  '--- a/src/index.ts',
  '+++ b/src/index.ts',
  '@@ -1,3 +1,3 @@',
  " import { add } from './math.js';",
  ' ',
  "-export const total: number = add(1, '2');",
  '+export const total: number = add(1, 2);',
  '',
].join('\n');

/**
 * A small TypeScript project in a fresh git repository whose `typecheck` gate (the real tsc of this
 * repository's node_modules) fails with one error. `config` is merged over a minimal config.
 */
export function brokenTsProject(config: Record<string, unknown> = {}): TempRepo {
  const repo = tempRepo({
    'package.json': JSON.stringify({ name: 'fleet-sample', private: true, type: 'module' }, null, 2),
    'tsconfig.json': JSON.stringify(
      { compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, lib: ['ES2022'], target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: [] }, include: ['src'] },
      null,
      2,
    ),
    'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
    'src/index.ts': BROKEN_INDEX,
    '.gitignore': 'logs/\n',
    'config.yaml': stringify(sampleConfig(config)),
  });
  return repo;
}

export function sampleConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    quality_gates: { typecheck: { command: `node ${JSON.stringify(TSC)} -p .`, timeout: 120, required: true } },
    deployment: { environments: { staging: {} } },
    agents: { orchestrator: { max_iterations: 4, max_no_progress_iterations: 2 } },
    ...overrides,
  };
}

/** Rewrites config.yaml and commits it (so the tree stays clean). */
export function writeConfig(repo: TempRepo, config: Record<string, unknown>): void {
  writeFileSync(path.join(repo.dir, 'config.yaml'), stringify(config));
  repo.commit('config');
}

/** LLM settings that point at a fake server. */
export function llmAt(baseUrl: string): Record<string, unknown> {
  return { provider: 'compatible', base_url: baseUrl, max_retries: 0, timeout_seconds: 20 };
}

/** A Codex answer carrying a diff. */
export function codexAnswer(diff: string, rationale = 'pass a number to add()') {
  return {
    json: {
      analysis: 'add() is called with a string',
      root_cause: "the second argument of add() is the string '2'",
      confidence: 0.9,
      rationale,
      diff,
    },
  };
}

export const APPROVE = { json: { decision: 'approve', confidence: 0.9, summary: 'looks safe', findings: [] } };
