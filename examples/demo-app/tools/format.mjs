// The project's own formatter: two-space indentation instead of tabs, no trailing whitespace,
// exactly one final newline. `--check` lists unformatted files and exits 1; `--write` fixes them.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [mode, ...roots] = process.argv.slice(2);
if (mode !== '--check' && mode !== '--write') {
  console.error('usage: format.mjs --check|--write <dir>...');
  process.exit(2);
}

const files = roots.flatMap(walk).filter((file) => file.endsWith('.js'));
const unformatted = [];
for (const file of files) {
  const source = readFileSync(file, 'utf8');
  const formatted = format(source);
  if (formatted === source) continue;
  unformatted.push(file);
  if (mode === '--write') writeFileSync(file, formatted);
}

if (mode === '--check' && unformatted.length > 0) {
  for (const file of unformatted) console.log(`[warn] ${file}`);
  console.log(`[warn] Code style issues found in ${unformatted.length} file(s). Run "npm run format" to fix.`);
  process.exit(1);
}
console.log(mode === '--write' ? `formatted ${unformatted.length} file(s)` : 'All matched files use the project style!');

function format(source) {
  const lines = source.split(/\r?\n/).map((line) => line.replace(/\t/g, '  ').replace(/[ \t]+$/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return `${lines.join('\n')}\n`;
}

function walk(entry) {
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry).flatMap((name) => walk(path.join(entry, name)));
}
