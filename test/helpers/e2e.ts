import { rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import { startFakeLlm, type FakeLlm, type Script } from './fake-llm-server.js';
import { makeTempDir, type TempRepo } from './git.js';
import { brokenTsProject } from './ts-project.js';

export interface E2eScope {
  /** Runs after the test, newest first, even when it fails. */
  later(cleanup: () => Promise<void> | void): void;
  /** A temp folder deleted after the test. */
  tempDir(prefix?: string): string;
  /** A scripted OpenAI-compatible server on 127.0.0.1, closed after the test. */
  fakeLlm(script: Script): Promise<FakeLlm>;
  /** The broken TypeScript sample project in a fresh git repository, deleted after the test. */
  project(config: Record<string, unknown>): TempRepo;
}

/** Call at the top of an end-to-end test file. */
export function e2eScope(): E2eScope {
  const pending: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (pending.length > 0) await pending.pop()?.();
  });
  const later = (cleanup: () => Promise<void> | void): void => {
    pending.push(cleanup);
  };
  return {
    later,
    tempDir(prefix) {
      const dir = makeTempDir(prefix);
      later(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
    async fakeLlm(script) {
      const llm = await startFakeLlm(script);
      later(() => llm.close());
      return llm;
    },
    project(config) {
      const repo = brokenTsProject(config);
      later(() => repo.cleanup());
      return repo;
    },
  };
}
