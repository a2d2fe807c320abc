/** The guard corpus (test/fixtures/guard): dangerous commands with the rule expected to deny them, and benign CI commands. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface CorpusEntry {
  /** 1-based line in its file, for failure messages. */
  readonly line: number;
  readonly cmd: string;
  /** For dangerous commands: the rule expected to deny it. */
  readonly rule?: string;
}

const CORPUS = fileURLToPath(new URL('../fixtures/guard/', import.meta.url));

export function readCorpus(name: 'dangerous' | 'benign'): CorpusEntry[] {
  return readFileSync(`${CORPUS}${name}.jsonl`, 'utf8')
    .split('\n')
    .flatMap((text, index) => (text.trim() === '' ? [] : [{ line: index + 1, ...(JSON.parse(text) as { cmd: string; rule?: string }) }]));
}

/** The corpus as the repository sees it: a GitHub-hosted runner checkout inside the home directory. */
export const CORPUS_REPO = '/home/runner/work/app/app';
export const CORPUS_HOME = '/home/runner';
