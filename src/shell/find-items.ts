import type { Field } from './fields.js';

/**
 * What `find` hands to `-delete`, `-exec … {}` and `xargs`: a pattern of the paths it may visit, one per start
 * point (`dir/**` or `dir/**\/<-name pattern>`), or unknown when a start point is not known.
 */
const EXPRESSION_START = /^[-(!),]/;

export function findStartPoints(args: readonly Field[]): Field[] {
  const starts: Field[] = [];
  for (const arg of args) {
    if (arg.value !== null && EXPRESSION_START.test(arg.value)) break;
    starts.push(arg);
  }
  return starts.length > 0 ? starts : [{ value: '.', glob: false, tainted: false, remote: false, home: false, text: '.' }];
}

/** The single `-name`/`-iname` pattern that filters every result, when the expression is that simple. */
function nameFilter(args: readonly Field[]): string | null {
  const values = args.map((arg) => arg.value);
  if (values.some((value) => value === '-o' || value === '-or' || value === '!' || value === '-not' || value === null)) return null;
  const at = values.findIndex((value) => value === '-name' || value === '-iname');
  const pattern = at >= 0 ? values[at + 1] : undefined;
  return pattern === undefined || pattern === null || pattern.includes('/') ? null : pattern;
}

export function findItems(args: readonly Field[]): Field[] {
  const name = nameFilter(args);
  return findStartPoints(args).map((start) => {
    if (start.value === null) return start;
    const base = start.value === '/' ? '' : start.value.replace(/\/+$/, '');
    return { ...start, value: `${base}/**${name === null ? '' : `/${name}`}`, glob: true };
  });
}

/** Does this `find` print its results separated by NUL bytes (`-print0`)? */
export function printsNullSeparated(args: readonly Field[]): boolean {
  return args.some((arg) => arg.value === '-print0');
}
