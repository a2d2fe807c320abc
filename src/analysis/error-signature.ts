import { pathRelativiser } from './locations.js';

const ISO_TIMESTAMP = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/gi;
const CLOCK_TIME = /\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX_ID = /\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi;
const DURATION =
  /\(\s*\d+(?:\.\d+)?\s*(?:ms|s|sec|m|min)\s*\)|\b\d+(?:\.\d+)?\s?(?:ms|sec|secs|seconds?|minutes?)\b|\b\d+(?:\.\d+)?(?:s|m)\b/gi;
/** A temp directory or build id inside a path (`/tmp/vitest-a1b2c3/`, `target/debug/deps/x-57ad6423e5b96d7e`). */
const TEMP_PATH = /(?:\/tmp|\/var\/folders|\/Temp)\/[^\s'"`)]*/gi;
const COUNT_SUFFIX = /\s*\(×\d+\)\s*$/;
const MAX_SIGNATURE_CHARS = 300;

/**
 * A stable form of an error line for progress detection: the same error on another line, in another run, on
 * another runner (paths, line and column numbers, timestamps, durations, ids, temp dirs) is the same signature.
 */
export function normaliseErrorSignature(line: string, repoRoot: string): string {
  return signatureOf(line, pathRelativiser(repoRoot));
}

export function signatureOf(line: string, relativise: (text: string) => string): string {
  return relativise(line)
    .replace(/\\/g, '/')
    .replace(COUNT_SUFFIX, '')
    .replace(ISO_TIMESTAMP, ' ')
    .replace(TEMP_PATH, ' ')
    .replace(CLOCK_TIME, ' ')
    .replace(UUID, ' ')
    .replace(HEX_ID, ' ')
    .replace(DURATION, ' ')
    .toLowerCase()
    .replace(/\d+/g, 'N')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_SIGNATURE_CHARS);
}
