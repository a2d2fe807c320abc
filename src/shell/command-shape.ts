import { PRIVILEGE_WRAPPERS } from './command-wrappers.js';
import type { CommandFact } from './facts.js';
import type { Field } from './fields.js';
import { interpreterOf, SHELL_NAMES } from './interpreters.js';
import { kubeKind, kubectlArgs, KUBE_WITH_VALUE } from './rules/kubernetes.js';

/**
 * A command reduced to its meaning, for comparing it with a configured entry: the program's base name, its
 * flags (short clusters split, long aliases folded, `--opt=value` kept with its value), and its positional
 * words (kubectl `kind/name` split, kinds by their full name, npm verbs by their full name).
 */
export interface ShapeWord {
  /** null: unknown (matches anything in a deny-list, nothing in an allow-list). */
  readonly value: string | null;
  readonly glob: boolean;
}

export interface CommandShape {
  readonly program: string;
  readonly flags: ReadonlySet<string>;
  readonly words: readonly ShapeWord[];
  /** Privilege wrappers it runs under (`sudo`, `doas` …). */
  readonly privileged: ReadonlySet<string>;
  /** Some argument is unknown: its flags may be anything. */
  readonly dynamic: boolean;
  readonly cwd: string | null;
}

/** Long options that mean the same short flag in nearly every CLI. */
const COMMON_ALIASES: Readonly<Record<string, string>> = { '--force': '-f', '--all': '-a', '--recursive': '-r', '--quiet': '-q', '--verbose': '-v' };

/** Long options and upper-case twins that mean the same as a short flag, per program (over the common ones). */
const FLAG_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  rm: { '-R': '-r', '--recursive': '-r', '--force': '-f', '--dir': '-d' },
  cp: { '-R': '-r', '--recursive': '-r', '--force': '-f' },
  chmod: { '--recursive': '-R' },
  chown: { '--recursive': '-R' },
  chgrp: { '--recursive': '-R' },
  git: { '--force': '-f', '--delete': '-d' },
  kubectl: { '--all-namespaces': '-A', '--namespace': '-n', '--filename': '-f', '--selector': '-l', '--output': '-o', '--kustomize': '-k' },
  az: { '-n': '--name', '-g': '--resource-group', '-y': '--yes', '-l': '--location', '-o': '--output' },
  npm: { '-D': '--save-dev', '-g': '--global', '-f': '--force' },
};

const NPM_VERBS: Readonly<Record<string, string>> = { i: 'install', add: 'install', in: 'install', isntall: 'install', t: 'test', tst: 'test', 'run-script': 'run', rum: 'run', urn: 'run', un: 'uninstall', rm: 'uninstall', r: 'uninstall', remove: 'uninstall', unlink: 'uninstall', ci: 'ci', x: 'exec' };

/** Options taking a value as the next word, per program (so that the value is not a positional word). */
const WITH_VALUE: Readonly<Record<string, ReadonlySet<string>>> = {
  kubectl: KUBE_WITH_VALUE,
  git: new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path']),
  helm: new Set(['-n', '--namespace', '--kube-context', '--kubeconfig', '-f', '--values', '--set', '--version', '--timeout']),
};

export function shapeOf(fact: CommandFact): CommandShape {
  const kube = kubectlArgs(fact);
  const program = kube ? 'kubectl' : normalizeProgram(fact.program);
  const args = kube ?? fact.args;
  const aliases = { ...COMMON_ALIASES, ...(FLAG_ALIASES[program] ?? {}) };
  const withValue = WITH_VALUE[program] ?? new Set<string>();
  const flags = new Set<string>();
  const words: ShapeWord[] = [];
  let afterDashes = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    const value = arg.value;
    if (afterDashes || value === null || value === '-' || !value.startsWith('-')) {
      words.push(...normalizeWord(program, arg, words));
    } else if (value === '--') {
      afterDashes = true;
    } else if (value.startsWith('--') || withValue.has(value)) {
      const equals = value.indexOf('=');
      const name = equals >= 0 ? value.slice(0, equals) : value;
      const canonical = aliases[name] ?? name;
      flags.add(canonical);
      if (equals >= 0) flags.add(`${canonical}=${value.slice(equals + 1)}`);
      else if (withValue.has(value) && args[index + 1]) {
        flags.add(`${canonical}=${args[index + 1]!.value ?? '*'}`);
        index += 1;
      }
    } else {
      for (const letter of value.slice(1)) flags.add(aliases[`-${letter}`] ?? `-${letter}`);
    }
  }
  return {
    program,
    flags,
    words,
    privileged: new Set(fact.wrappers.filter((wrapper) => PRIVILEGE_WRAPPERS.has(wrapper))),
    dynamic: args.some((arg) => arg.value === null),
    cwd: fact.cwd,
  };
}

function normalizeProgram(program: string): string {
  if (SHELL_NAMES.has(program)) return program;
  return interpreterOf(program) ?? program;
}

/** kubectl verbs whose resource kind comes after a sub-verb (`rollout restart deploy x`). */
const KUBE_TWO_WORD_VERBS = new Set(['rollout', 'set', 'create']);

function normalizeWord(program: string, arg: Field, before: readonly ShapeWord[]): ShapeWord[] {
  const value = arg.value;
  const position = before.length;
  if (value === null) return [{ value: null, glob: false }];
  if (program === 'npm' && position === 0) return [{ value: NPM_VERBS[value] ?? value, glob: false }];
  if (program !== 'kubectl') return [{ value, glob: arg.glob }];
  // kubectl: `ns/prod` → namespace, prod; the kind after the verb by its full name.
  if (/^[A-Za-z][A-Za-z0-9.-]*\/[^/]+$/.test(value)) {
    const [kind, name] = value.split('/') as [string, string];
    return [{ value: kubeKind(kind), glob: false }, { value: name, glob: false }];
  }
  const kindPosition = KUBE_TWO_WORD_VERBS.has(before[0]?.value ?? '') ? 2 : 1;
  if (position === kindPosition) return [{ value: value.split(',').map(kubeKind).join(','), glob: false }];
  return [{ value, glob: false }];
}

/** Is this an interpreter fact that only carries an inline script (`bash -c '…'`)? Entries ignore carriers. */
export function isScriptCarrier(fact: CommandFact): boolean {
  if (!SHELL_NAMES.has(fact.program) && fact.program !== 'eval') return false;
  return fact.program === 'eval' || fact.args.some((arg) => arg.value !== null && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(arg.value));
}
