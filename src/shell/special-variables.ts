import type { VarValue } from './shell-state.js';
import type { Frame, Walker } from './walker.js';

/**
 * Variables whose value is code that something runs later: `GIT_SSH_COMMAND='…' git fetch`,
 * `PAGER=…`, `PS4='$(…)'` under `set -x`, `BASH_ENV=file bash …`. Their values are walked as scripts, or the
 * assignment is refused when the policy cannot see what would run.
 */
const COMMAND_VARIABLES = new Set([
  'GIT_SSH_COMMAND', 'GIT_SSH', 'GIT_EXTERNAL_DIFF', 'GIT_PAGER', 'PAGER', 'MANPAGER', 'EDITOR', 'VISUAL', 'GIT_EDITOR',
  'GIT_SEQUENCE_EDITOR', 'GIT_ASKPASS', 'SSH_ASKPASS', 'SUDO_ASKPASS', 'GIT_PROXY_COMMAND', 'LESSOPEN', 'LESSCLOSE', 'BROWSER',
  'RSYNC_RSH', 'FCEDIT', 'PROMPT_COMMAND',
]);
const UNSEEN_CODE = new Set(['BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS', 'LD_PRELOAD', 'LD_AUDIT']);

export function checkAssignment(walker: Walker, frame: Frame, name: string, value: Omit<VarValue, 'exported'>): void {
  const text = value.values !== null && value.values.length === 1 ? value.values[0]! : null;
  const field = { value: text, glob: false, tainted: value.tainted, remote: value.remote, home: false, text: `$${name}` };
  if (UNSEEN_CODE.has(name)) {
    if (text !== '') walker.find('unparseable:dynamic-script', `setting ${name} makes programs load code the policy does not see`);
  } else if (COMMAND_VARIABLES.has(name)) {
    if (text !== '') walker.walkEmbedded(field, frame, { label: name });
  } else if (name === 'PS4') {
    // PS4 is expanded for every command under `set -x`: its substitutions run.
    walker.walkEmbedded(text === null ? field : { ...field, value: `: ${text}` }, frame, { label: name });
  }
}
