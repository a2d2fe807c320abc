import path from 'node:path';
import type { Field } from '../fields.js';

/**
 * Where a path argument points: a known absolute path (or glob pattern with the directory it is confined to),
 * or unknown (an unknown value, a relative path in an unknown directory, a `..` after a glob).
 */
export type PathTarget =
  | { readonly kind: 'unknown'; readonly field: Field }
  | { readonly kind: 'none' }
  | {
      readonly kind: 'path';
      readonly field: Field;
      /** Absolute and normalised; for a pattern, the pattern itself. */
      readonly abs: string;
      readonly pattern: boolean;
      /** The directory every match is in or equal to (the path itself when not a pattern). */
      readonly base: string;
    };

export interface PathContext {
  readonly repoRoot: string;
  readonly home: string | null;
}

export function targetOf(field: Field, cwd: string | null): PathTarget {
  const value = field.value;
  if (value === null) return { kind: 'unknown', field };
  if (value === '') return { kind: 'none' };
  if (!path.posix.isAbsolute(value) && cwd === null) return { kind: 'unknown', field };
  const absolute = path.posix.isAbsolute(value) ? value : `${cwd}/${value}`;
  if (!field.glob) {
    const abs = path.posix.resolve(absolute);
    return { kind: 'path', field, abs, pattern: false, base: abs };
  }
  const segments = absolute.split('/');
  const firstGlob = segments.findIndex((segment) => /[*?[]/.test(segment));
  if (firstGlob < 0) {
    const abs = path.posix.resolve(absolute);
    return { kind: 'path', field, abs, pattern: false, base: abs };
  }
  // `dir/*/../..` can climb out of dir: the pattern's reach is not known.
  if (segments.slice(firstGlob).includes('..')) return { kind: 'unknown', field };
  const base = path.posix.resolve(segments.slice(0, firstGlob).join('/') || '/');
  const rest = segments.slice(firstGlob).join('/');
  return { kind: 'path', field, abs: base === '/' ? `/${rest}` : `${base}/${rest}`, pattern: true, base };
}

export function isUnder(candidate: string, dir: string): boolean {
  return candidate === dir || candidate.startsWith(dir === '/' ? '/' : `${dir}/`);
}

/** The path relative to the repository root ('' for the root), or null when outside. */
export function repoRelative(target: Extract<PathTarget, { kind: 'path' }>, repoRoot: string): string | null {
  const root = path.posix.resolve(repoRoot);
  if (!isUnder(target.base, root)) return null;
  return target.abs === root ? '' : target.abs.slice(root === '/' ? 1 : root.length + 1);
}

const MAX_WILDCARDS = 12;

/**
 * A shell glob as a regular expression over `/`-separated paths (`**` crosses directories). Leading dots are not
 * matched by wildcards unless `dotfiles` (bash's `dotglob`, which the line may turn on): sensitive checks use it.
 */
export function globToRegExp(pattern: string, dotfiles = false): RegExp {
  // Many wildcards make a regular expression that backtracks for ages: such a pattern matches anything.
  if ((pattern.match(/[*?[]/g)?.length ?? 0) > MAX_WILDCARDS) return /^/;
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const ch = pattern[index]!;
    const atSegmentStart = !dotfiles && (index === 0 || pattern[index - 1] === '/');
    if (ch === '*' && pattern[index + 1] === '*') {
      const slash = pattern[index + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      index += slash ? 2 : 1;
    } else if (ch === '*') source += `${atSegmentStart ? '(?!\\.)' : ''}[^/]*`;
    else if (ch === '?') source += `${atSegmentStart ? '(?!\\.)' : ''}[^/]`;
    else if (ch === '[') {
      const end = pattern.indexOf(']', index + 2);
      if (end < 0) source += '\\[';
      else {
        source += `[${pattern.slice(index + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        index = end;
      }
    } else source += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  // `dir/**` also matches dir itself.
  return new RegExp(`^${source.replace(/\/\.\*$/, '(?:/.*)?')}$`);
}

/** Writing to these is harmless. */
export function isHarmlessDevice(abs: string): boolean {
  return /^\/dev\/(null|zero|stdout|stderr|tty|fd\/\d+)$|^\/proc\/self\/fd\/\d+$/.test(abs);
}

/** Block devices and memory: writing there destroys a disk or the running system. */
export function isDiskDevice(abs: string): boolean {
  return /^\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|md|dm-|loop|sr|disk\/|mapper\/|mem$|kmem$|port$)/.test(abs);
}
