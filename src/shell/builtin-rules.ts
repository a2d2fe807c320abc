import type { CommandLineAnalysis, EffectiveCommand } from './effective-commands.js';
import { programSource } from './interpreters.js';

/** A rule no configuration can remove. */
export interface BuiltinRule {
  /** Rule id without the `builtin:` prefix. */
  readonly id: string;
  readonly reason: string;
  matches(analysis: CommandLineAnalysis): boolean;
}

const DOWNLOADERS = new Set(['curl', 'wget']);
const POWER_PROGRAMS = new Set(['shutdown', 'reboot', 'poweroff', 'halt']);
const POWER_VERBS = new Set(['poweroff', 'reboot', 'halt', 'kexec']);
/** Writing to these is harmless (`dd if=x of=/dev/null` is a read benchmark). */
const HARMLESS_DEVICES = /^\/dev\/(null|zero|stdout|stderr|fd\/\d+)$/;
/** git options that take a value before the subcommand (`git -C dir push`). */
const GIT_OPTIONS_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env']);

const some = (analysis: CommandLineAnalysis, test: (command: EffectiveCommand) => boolean): boolean =>
  analysis.commands.some(test);

export const BUILTIN_RULES: readonly BuiltinRule[] = [
  {
    id: 'force-push',
    reason: 'force-pushing is never allowed',
    matches: (analysis) => some(analysis, isForcePush),
  },
  {
    id: 'mkfs',
    reason: 'making a file system is never allowed',
    matches: (analysis) => some(analysis, (command) => /^(mkfs(\..*)?|mke2fs)$/.test(command.program)),
  },
  {
    id: 'dd-device',
    reason: 'writing to a device with dd is never allowed',
    matches: (analysis) =>
      some(analysis, (command) =>
        command.program === 'dd' && command.args.some((arg) => arg.startsWith('of=/dev/') && !HARMLESS_DEVICES.test(arg.slice(3))),
      ),
  },
  {
    id: 'fork-bomb',
    reason: 'a fork bomb is never allowed',
    matches: (analysis) => analysis.skeletons.some(containsForkBomb),
  },
  {
    id: 'shutdown',
    reason: 'shutting down or rebooting the machine is never allowed',
    matches: (analysis) => some(analysis, isPowerCommand),
  },
  {
    id: 'remote-script',
    reason: 'running a downloaded script is never allowed',
    matches: (analysis) => runsDownloadedScript(analysis),
  },
];

function isForcePush(command: EffectiveCommand): boolean {
  if (command.program !== 'git') return false;
  let index = 0;
  while (index < command.args.length && command.args[index]!.startsWith('-')) {
    index += GIT_OPTIONS_WITH_VALUE.has(command.args[index]!) ? 2 : 1;
  }
  if (command.args[index] !== 'push') return false;
  let afterDashDash = false;
  for (const arg of command.args.slice(index + 1)) {
    if (afterDashDash || !arg.startsWith('-')) {
      if (arg.startsWith('+')) return true;
    } else if (arg === '--') afterDashDash = true;
    else if (arg.startsWith('--')) {
      if (/^--(force|force-with-lease|force-if-includes|mirror)(=|$)/.test(arg)) return true;
    } else if (arg.slice(1).includes('f')) return true;
  }
  return false;
}

function isPowerCommand(command: EffectiveCommand): boolean {
  if (POWER_PROGRAMS.has(command.program)) return true;
  if (command.program === 'systemctl') return command.args.some((arg) => POWER_VERBS.has(arg));
  if (command.program === 'init' || command.program === 'telinit') return command.args[0] === '0' || command.args[0] === '6';
  return false;
}

/** `NAME(){ NAME|NAME& }` or `function NAME { NAME|NAME& }`: a function that pipes itself into itself. */
function containsForkBomb(skeleton: string): boolean {
  if (!skeleton.includes('{') || !skeleton.includes('}')) return false;
  // The name must start after a separator and the body is short: both keep this fast on hostile input.
  const definition = /(?:^|[\s;&|()])(?:function\s+([^\s(){};|&<>]+)\s*(?:\(\s*\))?|([^\s(){};|&<>]+)\s*\(\s*\))\s*\{([^}]{0,512})\}/g;
  for (const match of skeleton.matchAll(definition)) {
    const name = escapeRegExp(match[1] ?? match[2]!);
    const selfPipe = new RegExp(`(^|[\\s;&|{])${name}\\s*\\|&?\\s*${name}($|[\\s;&|}])`);
    if (selfPipe.test(match[3]!)) return true;
  }
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `curl … | sh`, `bash <(curl …)`, `bash -c "$(curl …)"`, `python -c "$(wget -O- …)"`. */
function runsDownloadedScript(analysis: CommandLineAnalysis): boolean {
  for (const command of analysis.commands) {
    if (!DOWNLOADERS.has(command.program)) continue;
    if (command.feeds === 'program' || command.feeds === 'script') return true;
    const laterReadsStdin = analysis.commands.some(
      (other) =>
        other.pipelineKey === command.pipelineKey &&
        other.pipelinePosition > command.pipelinePosition &&
        programSource(other.program, other.args)?.kind === 'stdin',
    );
    if (laterReadsStdin) return true;
  }
  return false;
}
