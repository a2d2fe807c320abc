import type { CommandFact } from '../facts.js';
import { operands } from './file-effects.js';
import { isHarmlessDevice } from './paths.js';
import { violation, type RuleContext, type Violation } from './rule-types.js';

/** The machine itself: no file systems made, no raw writes to disks, no shutdown, no killing every process. */
const DISK_TOOLS = /^(mkfs(\..+)?|mke2fs|mkswap|mkdosfs|mkntfs|wipefs|fdisk|sfdisk|cfdisk|gdisk|sgdisk|parted|blkdiscard|zpool|lvremove|vgremove|pvremove|cryptsetup)$/;
const POWER_PROGRAMS = new Set(['shutdown', 'reboot', 'poweroff', 'halt', 'kexec']);
const POWER_VERBS = new Set(['poweroff', 'reboot', 'halt', 'kexec', 'suspend', 'hibernate', 'hybrid-sleep', 'suspend-then-hibernate', 'rescue', 'emergency', 'soft-reboot']);

export function judgeSystem(fact: CommandFact, _context: RuleContext): Violation | null {
  const { program, args } = fact;
  const values = args.map((arg) => arg.value);
  if (DISK_TOOLS.test(program)) {
    if (program === 'zpool' && !/^(destroy|labelclear|create)$/.test(values.find((value) => value !== null && !value.startsWith('-')) ?? '')) return null;
    return violation('builtin:mkfs', `${program} formats or erases a disk, which is never allowed`);
  }
  if (program === 'dd') {
    const output = values.find((value) => value === null || value.startsWith('of='));
    if (output === null) return violation('unparseable:dynamic-argument', 'dd: the output file is only known when it runs');
    const device = output?.slice(3);
    if (device !== undefined && device.startsWith('/dev/') && !isHarmlessDevice(device)) return violation('builtin:dd-device', `dd writes to the device ${device}, which is never allowed`);
    return null;
  }
  if (POWER_PROGRAMS.has(program)) return violation('builtin:shutdown', `${program} shuts down or restarts the machine`);
  if ((program === 'systemctl' || program === 'loginctl') && values.some((value) => value === null || POWER_VERBS.has(value))) {
    return violation('builtin:shutdown', `${program} ${values.join(' ')} shuts down or restarts the machine`);
  }
  if ((program === 'systemctl' && values.includes('isolate') && values.some((value) => /^(runlevel[06]|poweroff|reboot|halt)(\.target)?$/.test(value ?? ''))) ||
    ((program === 'init' || program === 'telinit') && (values[0] === '0' || values[0] === '6'))) {
    return violation('builtin:shutdown', `${program} ${values.join(' ')} shuts down or restarts the machine`);
  }
  if (program === 'kill' || program === 'killall5') return judgeKill(program, fact);
  return null;
}

/** `kill -9 -1`, `kill -KILL -1`, `kill -s 9 -- -1`, `kill 1`: every process, or init. */
function judgeKill(program: string, fact: CommandFact): Violation | null {
  if (program === 'killall5') return violation('builtin:kill-all', 'killall5 signals every process');
  const args = [...fact.args];
  // The first word may be a signal (`-9`, `-KILL`, `-SIGTERM`) or `-s SIG` / `-n NUM`.
  if (args[0]?.value === '-s' || args[0]?.value === '-n') args.splice(0, 2);
  else if (args[0]?.value !== null && /^-([A-Za-z]+|\d+)$/.test(args[0]?.value ?? '') && args.length > 1) args.splice(0, 1);
  for (const target of operands(args)) {
    if (target.value === null) return violation('unparseable:dynamic-argument', `kill: the process ${target.text} is only known when it runs`);
    if (target.value === '-1' || target.value === '1') return violation('builtin:kill-all', `kill ${target.value} signals every process (or init)`);
  }
  return args.some((arg) => arg.value === '-1') && fact.args.length > 1 ? violation('builtin:kill-all', 'kill -1 signals every process') : null;
}

