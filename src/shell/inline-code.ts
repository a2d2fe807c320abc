/**
 * Code of other languages given inline (`python -c`, `node -e`, `perl -e`, `awk '…'`, `sed '…'`) cannot be
 * judged like a shell line. This heuristic refuses inline code that can do what the policy guards against:
 * run processes, delete files, reach the network, hide what it does (dynamic imports, decoding), or write to
 * a path literal outside the repository.
 * Ordinary one-liners (`node -p "require('./package.json').version"`, `python -c "import sys; print(sys.version)"`)
 * stay allowed. It is a heuristic: the real answer for untrusted code is not to run it.
 */
const COMMON: readonly RegExp[] = [/\bfork\b/, /\bbase64\b|\bb64decode\b|\batob\s*\(/i, /\beval\s*\(/, /\bexec\s*\(/];

const RISKS: Readonly<Record<string, readonly RegExp[]>> = {
  python: [
    /\bos\s*\.\s*(system|popen|exec\w*|spawn\w*|remove|unlink|rmdir|removedirs|rename|replace|chmod|chown|kill|putenv|fork\w*)\b/,
    /\b(subprocess|shutil|socket|urllib|requests|httpx|http\.client|ftplib|smtplib|telnetlib|pty|ctypes|importlib|paramiko)\b/,
    /\b__import__\b|\bgetattr\s*\(|\bglobals\s*\(|\bcompile\s*\(/,
    /\.\s*(unlink|rmdir|rename|chmod)\s*\(/,
  ],
  node: [
    /\bchild_process\b|\bexecSync\b|\bspawnSync\b|\bexecFile\w*\b|\bspawn\s*\(/,
    /\b(rmSync|rmdirSync|unlinkSync|renameSync|chmodSync|chownSync|symlinkSync)\b/,
    /\bfs\s*\.\s*(rm|rmdir|unlink|rename|chmod|chown|symlink)\s*\(/,
    /\brequire\s*\(\s*['"`](node:)?(http|https|net|dgram|tls|dns|http2|child_process|worker_threads|vm)['"`]/,
    /\bimport\s*\(/,
    /\bfetch\s*\(|\bXMLHttpRequest\b|\bWebSocket\b/,
    /\bprocess\s*\.\s*(kill|binding|dlopen)\b|\bFunction\s*\(|\bfromCharCode\b|\brequire\s*\(\s*[^'"`\s]/,
  ],
  perl: [/\b(system|exec|qx|unlink|rmdir|rename|chmod|chown|kill|open)\b/, /`/, /\b(IO::Socket|LWP|HTTP::|Net::|Socket)\b/, /\brequire\b|\buse\s+\w/],
  ruby: [/\b(system|exec|spawn|IO\.popen|Open3|Kernel|FileUtils|File\.(delete|unlink|write|rename|chmod)|Dir\.(rmdir|delete)|Net::|Socket|URI\.open|open-uri)\b/, /`|%x[({[]/, /\brequire\b/],
  php: [/\b(system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|unlink|rmdir|rename|chmod|file_put_contents|fopen|fsockopen|curl_\w+|file_get_contents)\s*\(/, /`/],
  lua: [/\bos\s*\.\s*(execute|remove|rename|exit)\b|\bio\s*\.\s*(popen|open)\b|\brequire\b|\bloadstring\b|\bload\s*\(/],
  pwsh: [/./],
  deno: [/./],
  fish: [/./],
  awk: [/\bsystem\s*\(/, /\|\s*&?\s*getline|\bgetline\b[^<\n]*</, /\b(print|printf)\b[^;{}\n]*[>|]/],
  sed: [/(^|[;\n{}])\s*(\d+|\$|\/[^/]*\/)?(,(\d+|\$|\/[^/]*\/))?\s*!?\s*e(\s|;|$)/, /s(.)(?:\\.|(?!\1).)*\1(?:\\.|(?!\1).)*\1[a-zA-Z0-9]*e/, /(^|[;\n{}]|\/[gpiImM0-9]*)\s*[wW]\s+\S/],
};

/** Longer inline code is refused (and the patterns below stay fast). */
export const MAX_INLINE_CODE = 4096;

/** Writing files is fine inside the repository; a path literal outside it (absolute, `~`, `..`) is not. */
const WRITES = /\b(writeFileSync|appendFileSync|copyFileSync|cpSync|createWriteStream|writeFile|appendFile|copyFile|write_text|write_bytes|touch|file_put_contents)\b|\bopen\s*\([^)]*,\s*['"][wax+]|File\.write/;
const OUTSIDE_PATH_LITERAL = /(['"`])(\/|~|\.\.\/|\.git\/|\.github\/)[^'"`]*\1/;

/** Why this inline code is refused, or null when it looks harmless. */
export function inlineCodeRisk(family: string, code: string): string | null {
  if (code.length > MAX_INLINE_CODE) return `inline ${family} code longer than ${MAX_INLINE_CODE} characters is not judged`;
  const risks = RISKS[family] ?? [/./];
  const common = family === 'awk' || family === 'sed' ? [] : COMMON;
  for (const pattern of [...risks, ...common]) {
    const match = pattern.exec(code);
    if (match) return `inline ${family} code that may run processes, change files or use the network (${(match[0] || code).trim().slice(0, 40)})`;
  }
  const write = WRITES.exec(code);
  const outside = OUTSIDE_PATH_LITERAL.exec(code);
  if (write && outside) return `inline ${family} code that writes ${outside[0].slice(0, 40)}, outside the repository or into .git/CI configuration`;
  return null;
}
