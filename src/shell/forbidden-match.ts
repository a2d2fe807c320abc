import path from 'node:path';
import { analyzeCommandLine, type EffectiveCommand } from './effective-commands.js';

/**
 * A `forbidden_commands` entry compared by meaning: same program, the entry's flags all present (combined
 * short flags expanded, long aliases folded), and the entry's other words present in the same order.
 */
export interface ForbiddenPattern {
  readonly entry: string;
  /** One per simple command of the entry; every one must match some command of the line. */
  readonly commands: readonly CommandShape[];
  /** When the entry itself cannot be parsed it is compared as text. */
  readonly literal: string | null;
}

interface CommandShape {
  readonly program: string;
  readonly flags: ReadonlySet<string>;
  readonly words: readonly string[];
}

/** Long options and upper-case twins that mean the same as a short flag, per program. */
const FLAG_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  rm: { '-R': '-r', '--recursive': '-r', '--force': '-f', '--dir': '-d' },
  git: { '--force': '-f' },
  kubectl: { '--all-namespaces': '-A' },
};

/** kubectl resource kinds: short names and plurals mean the same kind. */
const KUBE_KINDS: Readonly<Record<string, string>> = {
  ns: 'namespace', namespaces: 'namespace',
  po: 'pod', pods: 'pod',
  deploy: 'deployment', deployments: 'deployment',
  svc: 'service', services: 'service',
  sts: 'statefulset', statefulsets: 'statefulset',
  ds: 'daemonset', daemonsets: 'daemonset',
  pv: 'persistentvolume', persistentvolumes: 'persistentvolume',
  pvc: 'persistentvolumeclaim', persistentvolumeclaims: 'persistentvolumeclaim',
  cm: 'configmap', configmaps: 'configmap',
  secrets: 'secret',
  no: 'node', nodes: 'node',
  crd: 'customresourcedefinition', crds: 'customresourcedefinition', customresourcedefinitions: 'customresourcedefinition',
};
const KUBE_PROGRAMS = new Set(['kubectl', 'oc']);

export function compileForbiddenEntry(entry: string): ForbiddenPattern {
  const trimmed = entry.trim();
  const analyzed = analyzeCommandLine(trimmed);
  if (!analyzed.ok || analyzed.analysis.commands.length === 0) {
    return { entry: trimmed, commands: [], literal: normalizeSpaces(trimmed) };
  }
  return { entry: trimmed, commands: analyzed.analysis.commands.map(shapeOf), literal: null };
}

export function matchesForbidden(
  pattern: ForbiddenPattern,
  commandLine: string,
  commands: readonly EffectiveCommand[],
  repoRoot: string,
): boolean {
  if (pattern.literal !== null) return pattern.literal !== '' && normalizeSpaces(commandLine).includes(pattern.literal);
  const shapes = commands.map(shapeOf);
  return pattern.commands.every((wanted) =>
    shapes.some((shape, index) => shapeMatches(wanted, shape, commands[index]!.dynamicProgram, repoRoot)),
  );
}

function shapeMatches(wanted: CommandShape, actual: CommandShape, dynamicProgram: boolean, repoRoot: string): boolean {
  // `$RM -rf /`: the program is unknown, so it is judged by what it would do to its arguments.
  const sameProgram = wanted.program === actual.program || (dynamicProgram && (wanted.flags.size > 0 || wanted.words.length > 0));
  if (!sameProgram) return false;
  for (const flag of wanted.flags) if (!actual.flags.has(flag)) return false;
  return containsInOrder(actual.words, wanted.words, (have, want) => sameWord(have, want, repoRoot));
}

function shapeOf(command: EffectiveCommand): CommandShape {
  const flags = new Set<string>();
  const words: string[] = [];
  const aliases = FLAG_ALIASES[command.program] ?? {};
  let afterDashDash = false;
  for (const arg of command.args) {
    if (afterDashDash || arg === '-' || !arg.startsWith('-')) {
      words.push(...normalizeWord(command.program, arg));
    } else if (arg === '--') {
      afterDashDash = true;
    } else if (arg.startsWith('--')) {
      const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
      flags.add(aliases[arg] ?? arg);
      flags.add(aliases[name] ?? name);
    } else {
      for (const letter of arg.slice(1)) flags.add(aliases[`-${letter}`] ?? `-${letter}`);
    }
  }
  return { program: command.program, flags, words };
}

/** kubectl: `ns/prod` → `namespace`, `prod`; `namespaces` → `namespace`. */
function normalizeWord(program: string, word: string): string[] {
  if (!KUBE_PROGRAMS.has(program)) return [word];
  const parts = /^[A-Za-z][A-Za-z0-9.-]*\/[^/]+$/.test(word) ? word.split('/') : [word];
  return parts.map((part, index) => (index === 0 ? (KUBE_KINDS[part.toLowerCase()] ?? part) : part));
}

/** Equal words, or paths that resolve to the same place (relative ones from the repository root); `dir/*` counts as `dir`. */
function sameWord(have: string, want: string, repoRoot: string): boolean {
  if (have === want) return true;
  if (have.endsWith('/*') && sameWord(have.slice(0, -2) || '/', want, repoRoot)) return true;
  if (!looksLikePath(have) && !looksLikePath(want)) return false;
  return path.posix.resolve(repoRoot, have) === path.posix.resolve(repoRoot, want);
}

function looksLikePath(word: string): boolean {
  return word.includes('/') || word === '.' || word === '..';
}

function containsInOrder<T>(have: readonly T[], want: readonly T[], equal: (have: T, want: T) => boolean): boolean {
  let at = 0;
  for (const item of have) {
    if (at < want.length && equal(item, want[at]!)) at += 1;
  }
  return at === want.length;
}

function normalizeSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
