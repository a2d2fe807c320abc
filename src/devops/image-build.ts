import type { ShellResult } from '../shell/types.js';
import {
  commandOutputOf,
  InvalidActionInput,
  runRequest,
  type CommandOutput,
  type DevopsAction,
  type DevopsActionContext,
} from './action-types.js';

/**
 * switch-build-agent: an image build OOM-killed on a small ACR Tasks agent often passes on the pipeline agent.
 * Build with the primary command; when that build dies of memory (exit 137, SIGKILL, OOMKilled), build again
 * with the configured fallback (e.g. `docker build` + `docker push` on the agent). The output names the path
 * that built the image, for the pipeline's later stages.
 */

export interface ImageBuildInput {
  primary: string;
  fallback: string | null;
  timeoutMs: number;
}

export type BuildPath = 'primary' | 'fallback';
export type BuildStatus = 'passed' | 'printed' | 'oom' | 'failed' | 'timed_out' | 'canceled';

export interface BuildAttempt {
  path: BuildPath;
  status: BuildStatus;
  output: CommandOutput;
}

export interface ImageBuildOutput {
  /** The path that built the image (in dry-run: the one that would); null when none did. */
  builtBy: BuildPath | null;
  attempts: BuildAttempt[];
}

/** What a container build killed for memory leaves behind: docker/BuildKit, ACR Tasks, the kernel. */
const OOM_KILLED = /OOMKilled|out of memory|exit code:? 137\b|non-zero code:? 137\b|exit status 137\b|^Killed$/im;

export function isOomKilled(result: ShellResult): boolean {
  return result.exitCode === 137 || result.signal === 'SIGKILL' || OOM_KILLED.test(result.output);
}

function buildStatus(result: ShellResult): BuildStatus {
  if (result.verdict === 'dry-run') return 'printed';
  if (result.canceled) return 'canceled';
  if (result.timedOut) return 'timed_out';
  if (result.exitCode === 0) return 'passed';
  return isOomKilled(result) ? 'oom' : 'failed';
}

function checked(input: ImageBuildInput): ImageBuildInput {
  if (input.primary.trim() === '') throw new InvalidActionInput('switch-build-agent', 'the primary build command is empty');
  if (input.fallback !== null && input.fallback.trim() === '') {
    throw new InvalidActionInput('switch-build-agent', 'the fallback build command is empty');
  }
  return input;
}

async function attempt(ctx: DevopsActionContext, path: BuildPath, command: string, timeoutMs: number): Promise<BuildAttempt> {
  // Building pushes an image to a registry: mutating, so printed in dry-run and refused without approval.
  const result = await runRequest(ctx, { command, actor: `devops:switch-build-agent:${path}`, timeoutMs, mutates: true });
  return { path, status: buildStatus(result), output: commandOutputOf(command, result) };
}

export const switchBuildAgent: DevopsAction<ImageBuildInput, ImageBuildOutput> = {
  id: 'switch-build-agent',
  summary: 'Build the image; when the build is OOM-killed on ACR Tasks, build it again with the configured fallback (docker build + push on the agent).',
  answers: ['oom'],
  signals: ['exit code 137', 'SIGKILL', 'OOMKilled', 'out of memory in the image build log'],
  preconditions: ['image_build.primary configured; image_build.fallback for the switch', 'literal commands (the shell allow-lists exactly them)'],
  mutates: true,
  environments: 'deployment',
  describe(input) {
    const { primary, fallback } = checked(input);
    return fallback === null ? [primary] : [primary, fallback];
  },
  async run(input, ctx) {
    const { primary, fallback, timeoutMs } = checked(input);
    const first = await attempt(ctx, 'primary', primary, timeoutMs);
    if (first.status === 'passed' || first.status === 'printed') return { builtBy: 'primary', attempts: [first] };
    if (first.status !== 'oom' || fallback === null) return { builtBy: null, attempts: [first] };
    const second = await attempt(ctx, 'fallback', fallback, timeoutMs);
    return { builtBy: second.status === 'passed' ? 'fallback' : null, attempts: [first, second] };
  },
  assess(output) {
    const [first, second] = output.attempts;
    if (first === undefined) return { ok: false, detail: 'no build was attempted' };
    if (first.status === 'printed') return { ok: true, detail: `dry run: would build with ${first.output.command}` };
    if (output.builtBy === 'primary') return { ok: true, detail: 'image built by the primary path' };
    if (output.builtBy === 'fallback') return { ok: true, detail: 'primary build was OOM-killed; image built by the fallback path' };
    if (second !== undefined) return { ok: false, detail: `primary build was OOM-killed and the fallback ${describeFailure(second)}` };
    if (first.status === 'oom') return { ok: false, detail: 'primary build was OOM-killed and no image_build.fallback is configured' };
    return { ok: false, detail: `primary build ${describeFailure(first)}` };
  },
};

function describeFailure(attempt: BuildAttempt): string {
  const last = attempt.output.tail.split('\n').at(-1)?.trim() ?? '';
  const how =
    attempt.status === 'oom'
      ? 'was OOM-killed too'
      : attempt.status === 'timed_out'
        ? 'timed out'
        : attempt.status === 'canceled'
          ? 'was canceled'
          : `failed (exit ${attempt.output.exitCode ?? attempt.output.signal ?? '?'})`;
  return last === '' ? how : `${how}: ${last.slice(0, 200)}`;
}
