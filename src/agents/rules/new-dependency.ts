import type { DiffLine } from '../diff-lines.js';
import { finding, type Rule } from './rule.js';

/**
 * A new dependency is supply-chain surface a person should look at: reported at medium (it does not reject
 * by itself; the model review sees it). A changed version of an existing dependency is not new.
 */
const NOT_DEPENDENCIES = new Set([
  'name', 'version', 'description', 'main', 'module', 'types', 'typings', 'license',
  'node', 'npm', 'pnpm', 'yarn', 'packageManager', 'type', 'private', 'homepage',
]);

const MANIFESTS: readonly { readonly file: RegExp; readonly name: (text: string) => string | null }[] = [
  {
    file: /(?:^|\/)package\.json$/,
    name: (text) => {
      const match = /^\s*"(@?[\w.-]+(?:\/[\w.-]+)?)"\s*:\s*"(?:[~^<>=*\d]|workspace:|npm:|file:|link:|git|https?:|github:|latest|next)/.exec(text);
      return match?.[1] !== undefined && !NOT_DEPENDENCIES.has(match[1]) ? match[1] : null;
    },
  },
  {
    file: /(?:^|\/)requirements[\w.-]*\.(?:txt|in)$/,
    name: (text) => /^\s*([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?\s*(?:[=<>~!]=|[<>]|@|;|$)/.exec(text)?.[1]?.toLowerCase() ?? null,
  },
  {
    file: /(?:^|\/)go\.mod$/,
    name: (text) => /^\s*(?:require\s+)?([\w.-]+\.[\w.-]+\/[\w./-]+)\s+v\d/.exec(text)?.[1] ?? null,
  },
];

export const newDependencyRule: Rule = (files) =>
  files.flatMap((file) => {
    const manifest = MANIFESTS.find((entry) => entry.file.test(file.path));
    if (manifest === undefined) return [];
    const namesIn = (lines: readonly DiffLine[]) => new Set(lines.map((line) => manifest.name(line.text)).filter((name) => name !== null));
    const before = namesIn(file.removed);
    return file.added.flatMap((line) => {
      const name = manifest.name(line.text);
      if (name === null || before.has(name)) return [];
      return [finding('new-dependency', 'medium', `${file.path}:${line.line} adds dependency ${name}`, file.path, line.line)];
    });
  });

