import { neutralizeLogLine } from '../ci/escape.js';
import type { CiKind } from '../ci/detect.js';
import type { Redactor } from '../secrets/redact.js';
import type { Progress } from './progress.js';

/**
 * Progress lines carry text from logs and models. Before it reaches the console it is redacted, and in a
 * pipeline anything that would read as a logging command (`##vso[…]`, `::set-output`) is defused.
 */
export function safeProgress(inner: Progress, redactor: Redactor, ci: CiKind): Progress {
  const clean = (text: string): string => neutralizeLogLine(redactor.redact(text), ci);
  return {
    start: (text) => inner.start(clean(text)),
    succeed: (text) => inner.succeed(clean(text)),
    fail: (text) => inner.fail(clean(text)),
    info: (text) => inner.info(clean(text)),
    warn: (text) => inner.warn(clean(text)),
    debug: (text) => inner.debug(clean(text)),
    stop: () => inner.stop(),
  };
}
