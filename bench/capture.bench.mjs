// Peak RSS of a child that captures 64 MB of output through the guarded shell (bounded) vs one that
// buffers it all with child_process.execFile; module loading cancels out against 1 MB runs of each.
import { execFileSync } from 'node:child_process';
import { dist, root } from './lib.mjs';

function childPeakRss(script) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  return Number(JSON.parse(out.trim().split('\n').pop()).maxRss);
}

export default function captureBench() {
  const printer = (mb) => `node -e "const b=Buffer.alloc(1<<20,97);for(let i=0;i<${mb};i++)process.stdout.write(b)"`;
  const guarded = (mb) => `
    const { GuardedShell } = await import(${JSON.stringify(dist('shell/guarded-shell.js'))});
    const { Redactor } = await import(${JSON.stringify(dist('secrets/redact.js'))});
    const shell = new GuardedShell({ repoRoot: process.cwd(), forbiddenCommands: [], redactor: new Redactor(), audit: { record() {} }, dryRun: false, env: process.env });
    const result = await shell.run({ command: ${JSON.stringify(printer(mb))}, cwd: process.cwd(), actor: 'bench', timeoutMs: 60000 });
    if (result.outputBytes < ${mb} * 1048576) throw new Error('short output');
    console.log(JSON.stringify({ maxRss: process.resourceUsage().maxRSS }));`;
  const buffered = (mb) => `
    import { execFile } from 'node:child_process';
    const out = await new Promise((resolve, reject) => execFile('bash', ['-c', ${JSON.stringify(printer(mb))}], { maxBuffer: Infinity }, (error, stdout) => error ? reject(error) : resolve(stdout)));
    if (out.length < ${mb} * 1048576) throw new Error('short output');
    console.log(JSON.stringify({ maxRss: process.resourceUsage().maxRSS }));`;
  // What 64 MB of output costs on top of the same program printing 1 MB (module loading cancels out).
  const bounded = childPeakRss(guarded(64)) - childPeakRss(guarded(1));
  const unbounded = childPeakRss(buffered(64)) - childPeakRss(buffered(1));
  return {
    name: 'capture',
    detail: `extra peak RSS for 64 MB of output: guarded ${(bounded / 1024).toFixed(1)} MB, buffered ${(unbounded / 1024).toFixed(1)} MB`,
    ratio: Math.max(bounded, 0) / unbounded,
    unit: 'x the memory of buffering all output',
  };
}
