/**
 * A small glob matcher for protected paths (Node 20's `path.matchesGlob` is still experimental):
 * `**` any number of path segments (including none), `*` any run of characters within a segment, `?` one
 * character within a segment. Patterns are anchored at the repository root (`config.yaml` is the root file;
 * write `**\/config.yaml` for every one) and matched case-insensitively, because a case-insensitive file
 * system (macOS, Windows) would write `.GitHub/Workflows/x.yml` into the protected folder.
 */
export function globToRegExp(pattern: string): RegExp {
  const parts = normalizeGlobPath(pattern).split('/');
  let source = '';
  parts.forEach((part, index) => {
    const first = index === 0;
    const last = index === parts.length - 1;
    if (part === '**') {
      source += first ? (last ? '.*' : '(?:.*/)?') : '(?:/.*)?';
      return;
    }
    const previousWasLeadingGlobstar = index === 1 && parts[0] === '**';
    if (!first && !previousWasLeadingGlobstar) source += '/';
    source += segmentSource(part);
  });
  return new RegExp(`^${source}$`, 'i');
}

export function matchesGlob(path: string, pattern: string): boolean {
  return globToRegExp(pattern).test(normalizeGlobPath(path));
}

function segmentSource(segment: string): string {
  let source = '';
  for (const char of segment) {
    if (char === '*') source += source.endsWith('[^/]*') ? '' : '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return source;
}

function normalizeGlobPath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/^\/+/, '').replace(/\/{2,}/g, '/');
}
