/** The trailer that ties a fix commit to the run that made it (see commit-message.ts). */
export const RUN_TRAILER = 'Fleet-Orch-Run';

/** A run id: UTC date and time plus four hex digits, e.g. `20261122-001234-a1b2`. */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const suffix = (Math.floor(random() * 0x10000) % 0x10000).toString(16).padStart(4, '0');
  return `${utcDate(now)}-${utcTime(now)}-${suffix}`;
}

export function isRunId(value: string): boolean {
  return /^\d{8}-\d{6}-[0-9a-f]{4}$/.test(value);
}

/** `backup/pre-orchestration-YYYYMMDD_HHMMSS` (UTC). Other tools look for exactly this shape. */
export function backupBranchName(now: Date): string {
  return `backup/pre-orchestration-${utcDate(now)}_${utcTime(now)}`;
}

/** `fleet-orch/fix-<run-id>`. Other tools look for exactly this shape. */
export function workBranchName(runId: string): string {
  if (!isRefSafeToken(runId)) throw new RangeError(`not a usable run id for a branch name: ${JSON.stringify(runId)}`);
  return `fleet-orch/fix-${runId}`;
}

/**
 * A token that is valid as one component of a git ref and needs no quoting anywhere: letters, digits, `.`,
 * `_`, `-`; not starting with `.` or `-`, no `..`, not ending in `.lock` or `.`.
 */
export function isRefSafeToken(value: string): boolean {
  return (
    /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/.test(value) &&
    !value.includes('..') &&
    !value.endsWith('.lock') &&
    !value.endsWith('.')
  );
}

function utcDate(now: Date): string {
  return `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
}

function utcTime(now: Date): string {
  return `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
