import { findItems } from './find-items.js';
import { literalField, unknownField, type Field } from './fields.js';

/**
 * Commands carried inside another command's arguments: `find -exec rm {} \;`, `ssh host 'cmd'`,
 * `kubectl exec pod -- cmd`, `git -c core.sshCommand=…`, `tar --to-command=…`, `watch cmd`, `su -c cmd` …
 * They are walked like the command line itself.
 */
export type Embedded =
  | { readonly kind: 'script'; readonly text: Field; readonly label: string; readonly remoteHost?: boolean; readonly unknownCwd?: boolean }
  | { readonly kind: 'argv'; readonly argv: readonly Field[]; readonly label: string; readonly remoteHost?: boolean; readonly unknownCwd?: boolean };

/** Options whose value is a command line run locally, per program (`--opt=value`, `--opt value`, `-Xvalue`). */
const SCRIPT_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  tar: ['--to-command', '--use-compress-program', '-I', '--info-script', '-F', '--new-volume-script'],
  rsync: ['-e', '--rsh'],
  zip: ['-TT', '--unzip-command'],
  script: ['-c', '--command'],
  su: ['-c', '--command', '--session-command'],
  runuser: ['-c', '--command', '--session-command'],
  git: ['--upload-pack', '--receive-pack', '--exec', '-x'],
  scp: ['-S'],
};

/** Options whose value is a command line run on the remote side. */
const REMOTE_SCRIPT_OPTIONS: Readonly<Record<string, readonly string[]>> = { rsync: ['--rsync-path'] };

const SSH_WITH_VALUE = new Set(['-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w', '-B']);
const DOCKER_EXEC_WITH_VALUE = new Set(['-e', '--env', '--env-file', '-u', '--user', '-w', '--workdir', '--detach-keys']);
/** git config keys whose value is a command (`!cmd` for aliases). */
const GIT_COMMAND_KEYS = /^(core\.sshcommand|core\.pager|core\.editor|core\.askpass|sequence\.editor|diff\.external|gpg\.program|gpg\.\w+\.program|pager\.\w+|credential\.helper|alias\.[\w.-]+)$/;

export function embeddedCommands(program: string, args: readonly Field[]): Embedded[] {
  const found: Embedded[] = [];
  for (const text of optionValues(args, SCRIPT_OPTIONS[program] ?? [])) found.push({ kind: 'script', text, label: `${program} option` });
  for (const text of optionValues(args, REMOTE_SCRIPT_OPTIONS[program] ?? [])) found.push({ kind: 'script', text, label: `${program} option`, remoteHost: true, unknownCwd: true });
  for (const text of checkpointActions(program, args)) found.push({ kind: 'script', text, label: 'tar --checkpoint-action' });
  switch (program) {
    case 'find':
      return [...found, ...findExec(args)];
    case 'ssh':
    case 'scp':
    case 'sftp':
      return [...found, ...sshCommands(program, args)];
    case 'kubectl':
    case 'oc':
      return [...found, ...kubectlExec(args)];
    case 'docker':
    case 'podman':
      return [...found, ...dockerExec(args)];
    case 'git':
      return [...found, ...gitCommands(args)];
    case 'watch':
      return [...found, ...watchCommand(args)];
    default:
      return found;
  }
}

function optionValues(args: readonly Field[], names: readonly string[]): Field[] {
  const values: Field[] = [];
  args.forEach((arg, index) => {
    const value = arg.value;
    if (value === null) return;
    for (const name of names) {
      // `-qc cmd`: a cluster of short flags ending with the option.
      const cluster = /^-[a-zA-Z]$/.test(name) && /^-[a-zA-Z]+$/.test(value) && value.endsWith(name[1]!);
      if ((value === name || cluster) && index + 1 < args.length) values.push(args[index + 1]!);
      else if (name.startsWith('--') && value.startsWith(`${name}=`)) values.push({ ...arg, value: value.slice(name.length + 1) });
      else if (!name.startsWith('--') && name.length === 2 && value.startsWith(name) && value.length > 2 && !value.startsWith('--')) {
        values.push({ ...arg, value: value.slice(2) });
      }
    }
  });
  return values;
}

function checkpointActions(program: string, args: readonly Field[]): Field[] {
  if (program !== 'tar') return [];
  return optionValues(args, ['--checkpoint-action'])
    .filter((field) => field.value === null || /^(exec|shell)=/.test(field.value))
    .map((field) => (field.value === null ? field : { ...field, value: field.value.replace(/^(exec|shell)=/, '') }));
}

/** `find … -exec cmd {} ;`: `{}` stands for the paths find visits. */
function findExec(args: readonly Field[]): Embedded[] {
  const found: Embedded[] = [];
  const items = findItems(args);
  for (let index = 0; index < args.length; index += 1) {
    const action = args[index]!.value;
    if (action !== '-exec' && action !== '-execdir' && action !== '-ok' && action !== '-okdir') continue;
    let end = index + 1;
    while (end < args.length && args[end]!.value !== ';' && args[end]!.value !== '+') end += 1;
    const inDir = action === '-execdir' || action === '-okdir';
    for (const item of items) {
      const replacement = inDir ? (item.value === null ? item : { ...item, value: `./${item.value.split('/').pop()}` }) : item;
      const argv = args.slice(index + 1, end).map((arg) => substitute(arg, '{}', replacement));
      if (argv.length > 0) found.push({ kind: 'argv', argv, label: `find ${action}`, unknownCwd: inDir });
    }
    index = end;
  }
  return found;
}

/** Replaces `marker` inside a field with another field's value (unknown if either is). */
export function substitute(arg: Field, marker: string, replacement: Field): Field {
  if (arg.value === null || !arg.value.includes(marker)) return arg;
  if (replacement.value === null) return unknownField(arg.text, replacement);
  return { ...arg, value: arg.value.split(marker).join(replacement.value), glob: arg.glob || replacement.glob, tainted: arg.tainted || replacement.tainted };
}

/** `ssh [options] host [command…]`: the command runs on the host; ProxyCommand/LocalCommand run here. */
function sshCommands(program: string, args: readonly Field[]): Embedded[] {
  const found: Embedded[] = [];
  for (const option of optionValues(args, ['-o'])) {
    const match = option.value === null ? null : /^\s*(ProxyCommand|LocalCommand)\s*[= ]\s*([\s\S]*)$/i.exec(option.value);
    if (option.value === null) found.push({ kind: 'script', text: option, label: `${program} -o` });
    else if (match) found.push({ kind: 'script', text: literalField(match[2]!, option.text), label: `${program} ${match[1]}` });
  }
  if (program !== 'ssh') return found;
  let index = 0;
  while (index < args.length) {
    const value = args[index]!.value;
    if (value === null) return [...found, { kind: 'script', text: args[index]!, label: 'ssh', remoteHost: true, unknownCwd: true }];
    if (!value.startsWith('-')) break;
    index += SSH_WITH_VALUE.has(value) ? 2 : 1;
  }
  const command = args.slice(index + 1);
  if (command.length === 0) return found;
  return [...found, { kind: 'script', text: joined(command), label: 'ssh', remoteHost: true, unknownCwd: true }];
}

/** `kubectl exec pod -- cmd args`: the command runs in the container. */
function kubectlExec(args: readonly Field[]): Embedded[] {
  const execAt = args.findIndex((arg) => arg.value === 'exec');
  if (execAt < 0 || args.slice(0, execAt).some((arg) => arg.value !== null && !arg.value.startsWith('-') && !isOptionValue(args, arg))) return [];
  const dashes = args.findIndex((arg, index) => index > execAt && arg.value === '--');
  if (dashes < 0) return [];
  const argv = args.slice(dashes + 1);
  return argv.length === 0 ? [] : [{ kind: 'argv', argv, label: 'kubectl exec', remoteHost: true, unknownCwd: true }];
}

function isOptionValue(args: readonly Field[], arg: Field): boolean {
  const index = args.indexOf(arg);
  const previous = index > 0 ? args[index - 1]!.value : null;
  return previous !== null && /^-(n|-namespace|-context|-kubeconfig|-cluster|-user|s|-server)$/.test(previous);
}

/** `docker exec [options] container cmd args`. */
function dockerExec(args: readonly Field[]): Embedded[] {
  if (args[0]?.value !== 'exec') return [];
  let index = 1;
  while (index < args.length && args[index]!.value?.startsWith('-')) index += DOCKER_EXEC_WITH_VALUE.has(args[index]!.value!) ? 2 : 1;
  const argv = args.slice(index + 1);
  return argv.length === 0 ? [] : [{ kind: 'argv', argv, label: 'docker exec', remoteHost: true, unknownCwd: true }];
}

/** `git -c core.sshCommand=…`, `git config alias.x '!cmd'`, `git submodule foreach cmd`, `git bisect run cmd`. */
function gitCommands(args: readonly Field[]): Embedded[] {
  const found: Embedded[] = [];
  const settings: { key: string; value: Field }[] = [];
  for (const option of optionValues(args, ['-c'])) {
    const equals = option.value?.indexOf('=') ?? -1;
    if (option.value === null) found.push({ kind: 'script', text: option, label: 'git -c' });
    else if (equals > 0) settings.push({ key: option.value.slice(0, equals).toLowerCase(), value: { ...option, value: option.value.slice(equals + 1) } });
  }
  const positionals = args.filter((arg) => arg.value === null || !arg.value.startsWith('-'));
  const configAt = positionals.findIndex((arg) => arg.value === 'config');
  const key = positionals[configAt + 1];
  const value = positionals[configAt + 2];
  if (configAt >= 0 && key?.value && value) settings.push({ key: key.value.toLowerCase(), value });
  for (const setting of settings) {
    if (!GIT_COMMAND_KEYS.test(setting.key)) continue;
    const text = setting.value.value;
    if (setting.key.startsWith('alias.') && text !== null && !text.startsWith('!')) continue;
    found.push({ kind: 'script', text: text === null ? setting.value : { ...setting.value, value: text.replace(/^!/, '') }, label: `git ${setting.key}` });
  }
  const sub = positionals.map((arg) => arg.value);
  if (sub.includes('submodule') && sub.includes('foreach')) {
    const at = args.findIndex((arg) => arg.value === 'foreach');
    const command = args.slice(at + 1).filter((arg) => arg.value !== '--recursive' && arg.value !== '-q' && arg.value !== '--quiet');
    if (command.length > 0) found.push({ kind: 'script', text: joined(command), label: 'git submodule foreach', unknownCwd: true });
  }
  if (sub.includes('bisect') && sub.includes('run')) {
    const at = args.findIndex((arg) => arg.value === 'run');
    const argv = args.slice(at + 1);
    if (argv.length > 0) found.push({ kind: 'argv', argv, label: 'git bisect run' });
  }
  return found;
}

/** `watch [options] cmd args`: runs `sh -c "cmd args"` again and again. */
function watchCommand(args: readonly Field[]): Embedded[] {
  let index = 0;
  while (index < args.length && args[index]!.value?.startsWith('-')) {
    index += /^(-n|--interval|-q|--equexit)$/.test(args[index]!.value!) ? 2 : 1;
  }
  const command = args.slice(index);
  return command.length === 0 ? [] : [{ kind: 'script', text: joined(command), label: 'watch' }];
}

/** Words joined by spaces, as `ssh` and `watch` hand them to a shell. */
function joined(fields: readonly Field[]): Field {
  const text = fields.map((field) => field.text).join(' ');
  if (fields.some((field) => field.value === null)) return unknownField(text, { tainted: fields.some((f) => f.tainted), remote: fields.some((f) => f.remote) });
  return { ...literalField(fields.map((field) => field.value).join(' '), text), tainted: fields.some((field) => field.tainted) };
}
