import { downloadTargets } from '../download-targets.js';
import type { CommandFact } from '../facts.js';
import { literalField, type Field } from '../fields.js';
import { findItems } from '../find-items.js';

/** The paths a command deletes, writes, changes the mode of, or links to. */
export interface FileEffects {
  readonly deletes: readonly Field[];
  readonly writes: readonly Field[];
  readonly chmods: readonly Field[];
  /** Targets of symbolic links it creates: a link in the repository pointing outside lets later writes escape. */
  readonly linkTargets: readonly Field[];
}

const NONE: FileEffects = { deletes: [], writes: [], chmods: [], linkTargets: [] };

const DELETERS = new Set(['rm', 'unlink', 'rmdir', 'shred', 'srm', 'trash', 'trash-put', 'rimraf', 'del', 'del-cli', 'rmtrash', 'wipe']);
const COMPRESSORS = new Set(['gzip', 'gunzip', 'bzip2', 'bunzip2', 'xz', 'unxz', 'zstd', 'unzstd', 'lz4']);
const MODE_CHANGERS = new Set(['chmod', 'chown', 'chgrp', 'chattr', 'setfacl', 'chcon']);
const CREATORS = new Set(['touch', 'mkdir', 'mkfifo', 'truncate', 'fallocate', 'sponge']);

/** Options that take a value, per program (a value attached with `=` needs no entry). */
const WITH_VALUE: Readonly<Record<string, readonly string[]>> = {
  shred: ['-n', '-s', '--iterations', '--size', '--random-source'],
  mv: ['-t', '--target-directory', '-S', '--suffix'],
  cp: ['-t', '--target-directory', '-S', '--suffix'],
  install: ['-t', '--target-directory', '-S', '--suffix', '-m', '--mode', '-o', '--owner', '-g', '--group'],
  ln: ['-t', '--target-directory', '-S', '--suffix'],
  touch: ['-d', '-t', '-r', '--date', '--reference'],
  mkdir: ['-m', '--mode'],
  mkfifo: ['-m', '--mode'],
  truncate: ['-s', '-r', '--size', '--reference'],
  fallocate: ['-l', '-o', '--length', '--offset'],
  setfacl: ['-m', '-x', '-M', '-X', '--modify', '--remove', '--set', '--set-file', '--modify-file', '--remove-file'],
  chown: ['--reference', '--from'],
  chmod: ['--reference'],
  tee: [],
  rsync: ['-e', '--rsh', '--rsync-path', '--exclude', '--include', '--filter', '-f', '--files-from', '--exclude-from', '--include-from', '--password-file', '--log-file', '--port', '--bwlimit', '--chmod', '--chown', '-B', '--block-size', '--timeout', '-T', '--temp-dir', '--backup-dir', '--suffix', '--compare-dest', '--copy-dest', '--link-dest', '--max-size', '--min-size', '--out-format', '--max-delete', '-M'],
  scp: ['-P', '-i', '-o', '-F', '-S', '-c', '-l', '-J'],
  sed: ['-e', '-f', '--expression', '--file', '-l', '--line-length'],
  perl: ['-e', '-E', '-I', '-M', '-m', '-x'],
  tar: ['-C', '--directory', '-f', '--file', '-T', '--files-from', '-X', '--exclude-from', '-I', '--use-compress-program', '--exclude', '-b', '-H', '--format', '-V', '--label'],
  unzip: ['-d', '-x'],
  sort: ['-o', '--output', '-k', '-t', '-S', '-T', '--key', '--field-separator', '--buffer-size', '--temporary-directory'],
};

/** Non-option words, in order (all words after `--`); unknown words count as operands. */
export function operands(args: readonly Field[], withValue: readonly string[] = []): Field[] {
  const found: Field[] = [];
  let afterDashes = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    const value = arg.value;
    if (afterDashes || value === null || value === '-' || !value.startsWith('-')) found.push(arg);
    else if (value === '--') afterDashes = true;
    else if (withValue.includes(value)) index += 1;
  }
  return found;
}

/** The value of an option (`-t dir`, `-tdir`, `--target-directory=dir`), when present. */
export function optionValue(args: readonly Field[], short: string | null, long: string | null): Field | undefined {
  for (let index = 0; index < args.length; index += 1) {
    const value = args[index]!.value;
    if (value === null) continue;
    if (value === short || value === long) return args[index + 1];
    if (long && value.startsWith(`${long}=`)) return { ...args[index]!, value: value.slice(long.length + 1) };
    if (short && value.startsWith(short) && !value.startsWith('--') && value.length > short.length) return { ...args[index]!, value: value.slice(short.length) };
  }
  return undefined;
}

const has = (args: readonly Field[], pattern: RegExp): boolean => args.some((arg) => arg.value !== null && pattern.test(arg.value));

export function fileEffects(fact: CommandFact): FileEffects {
  const { program, args } = fact;
  const words = operands(args, WITH_VALUE[program] ?? []);
  if (DELETERS.has(program)) return { ...NONE, deletes: words };
  if (MODE_CHANGERS.has(program)) {
    // chmod/chown/chgrp/chcon take the mode or owner first; setfacl's ACL is an option; chattr's mode starts with +-=.
    if (program === 'setfacl' || has(args, /^--reference/)) return { ...NONE, chmods: words };
    return { ...NONE, chmods: program === 'chattr' ? words.filter((word) => !/^[-+=]/.test(word.value ?? '')) : words.slice(1) };
  }
  if (CREATORS.has(program)) return { ...NONE, writes: words };
  switch (program) {
    case 'find':
      return {
        ...NONE,
        deletes: has(args, /^-delete$/) ? findItems(args) : [],
        writes: args.flatMap((arg, index) => (/^-f(print0?|printf|ls)$/.test(arg.value ?? '') && args[index + 1] ? [args[index + 1]!] : [])),
      };
    case 'mv':
    case 'cp':
    case 'install':
    case 'ln':
    case 'rsync':
    case 'scp':
      return copyEffects(program, args, words);
    case 'tee':
    case 'mknod':
      return { ...NONE, writes: program === 'mknod' ? words.slice(0, 1) : words };
    case 'dd':
      return { ...NONE, writes: args.flatMap((arg) => (arg.value === null ? [arg] : arg.value.startsWith('of=') ? [{ ...arg, value: arg.value.slice(3) }] : [])) };
    case 'sed':
    case 'perl':
      return inPlaceEffects(program, args, words);
    case 'tar':
      return tarEffects(args);
    case 'unzip':
      return { ...NONE, writes: [optionValue(args, '-d', null) ?? literalField('.')] };
    case 'curl':
    case 'wget':
      return { ...NONE, writes: [...downloadTargets(fact), ...(program === 'wget' ? [optionValue(args, '-P', '--directory-prefix')].flatMap((f) => (f ? [f] : [])) : [])] };
    case 'sort': {
      const output = optionValue(args, '-o', '--output');
      return output ? { ...NONE, writes: [output] } : NONE;
    }
    case 'git':
      return gitEffects(args);
    case 'docker':
    case 'podman':
      return { ...NONE, writes: containerMounts(args) };
    case 'crontab':
      // Installing a crontab writes the user's schedule, outside the repository.
      return has(args, /^-(l|-list)$/) ? NONE : { ...NONE, writes: [literalField('/var/spool/cron/crontabs', 'crontab')] };
    default:
      if (COMPRESSORS.has(program) && !has(args, /^(-\w*[ckt]\w*|--stdout|--keep|--to-stdout|--test|--list|-l)$/)) return { ...NONE, writes: words, deletes: words };
      return NONE;
  }
}

/** mv/cp/install/ln/rsync/scp: the destination is written; mv also removes its sources; `ln -s` links to them. */
function copyEffects(program: string, args: readonly Field[], words: readonly Field[]): FileEffects {
  const local = (field: Field): boolean => field.value === null || !/^[^/]*:|^rsync:\/\//.test(field.value);
  const target = optionValue(args, '-t', '--target-directory');
  if (program === 'install' && has(args, /^(-\w*d\w*|--directory)$/)) return { ...NONE, writes: words };
  const destination = target ?? (words.length > 1 || program !== 'ln' ? words.at(-1) : literalField('.'));
  const sources = target ? words : words.slice(0, -1);
  const writes = destination && local(destination) ? [destination] : [];
  const symbolic = program === 'ln' && has(args, /^(-\w*s\w*|--symbolic)$/);
  return {
    ...NONE,
    writes,
    deletes: program === 'mv' ? sources.filter(local) : program === 'rsync' && has(args, /^--(delete|del|remove-source-files)/) ? [...writes, ...sources.filter(local)] : [],
    linkTargets: symbolic ? (words.length === 1 ? words : sources) : [],
  };
}

/** `sed -i … files`, `perl -pi -e … files`: the files are rewritten. */
function inPlaceEffects(program: string, args: readonly Field[], words: readonly Field[]): FileEffects {
  const inPlace = program === 'sed' ? has(args, /^(-\w*i|--in-place)/) : has(args, /^-\w*i/);
  if (!inPlace) return NONE;
  const scriptGiven = program === 'perl' || has(args, /^(-e|-f|--expression|--file)/);
  return { ...NONE, writes: scriptGiven ? words : words.slice(1) };
}

function tarEffects(args: readonly Field[]): FileEffects {
  const first = args[0]?.value ?? '';
  const cluster = /^[a-zA-Z]+$/.test(first) ? first : '';
  const mode = (letter: string, long: RegExp): boolean => cluster.includes(letter) || has(args, new RegExp(`^-[a-zA-Z]*${letter}[a-zA-Z]*$`)) || has(args, long);
  if (mode('x', /^--(extract|get)$/)) {
    if (mode('P', /^--absolute-names$/)) return { ...NONE, writes: [{ ...literalField('/'), value: null, text: 'tar --absolute-names' }] };
    return { ...NONE, writes: [optionValue(args, '-C', '--directory') ?? literalField('.')] };
  }
  if (mode('c', /^--create$/) || mode('r', /^--append$/) || mode('u', /^--update$/)) {
    const file = optionValue(args, '-f', '--file') ?? (cluster.includes('f') ? args[1] : undefined);
    return file && file.value !== '-' ? { ...NONE, writes: [file] } : NONE;
  }
  return NONE;
}

/** `docker run -v /:/host …`: a bind mount lets the container write there (named volumes do not count). */
function containerMounts(args: readonly Field[]): Field[] {
  const verb = args.find((arg) => arg.value === null || !arg.value.startsWith('-'));
  if (verb?.value !== 'run' && verb?.value !== 'create') return [];
  const mounts: Field[] = [];
  args.forEach((arg, index) => {
    const value = arg.value;
    if (value === null) return;
    const next = args[index + 1];
    const spec = /^(-v|--volume|--mount)$/.test(value) ? next : value.startsWith('--volume=') || value.startsWith('--mount=') ? { ...arg, value: value.slice(value.indexOf('=') + 1) } : /^-v./.test(value) ? { ...arg, value: value.slice(2) } : undefined;
    if (spec === undefined) return;
    if (spec.value === null) return void mounts.push(spec);
    const source = spec.value.includes('source=') || spec.value.includes('src=') ? /(?:source|src)=([^,]+)/.exec(spec.value)?.[1] : spec.value.split(':')[0];
    if (source !== undefined && (source.startsWith('/') || source.startsWith('.') || source.startsWith('~'))) mounts.push({ ...spec, value: source });
  });
  return mounts;
}

/** `git clone url dir` writes dir; `git config --global/--system` writes outside the repository. */
function gitEffects(args: readonly Field[]): FileEffects {
  const positionals = operands(args, ['-C', '-c', '--git-dir', '--work-tree', '-b', '--branch', '--depth', '-o', '--origin', '--reference', '-j', '--jobs', '--filter', '-u', '--upload-pack', '--config', '--separate-git-dir', '--template']);
  if (positionals[0]?.value === 'clone' && positionals[2]) return { ...NONE, writes: [positionals[2]] };
  if (positionals[0]?.value === 'config' && has(args, /^--(global|system)$/)) return { ...NONE, writes: [literalField('/etc/gitconfig', 'git config --global')] };
  const file = positionals[0]?.value === 'config' ? optionValue(args, '-f', '--file') : undefined;
  return file ? { ...NONE, writes: [file] } : NONE;
}
