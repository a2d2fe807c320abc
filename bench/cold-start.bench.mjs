// Cold start of `fleet-orch --help` and `fleet-orch config validate` next to `node -e 0` in the same run:
// the CLI loads each command's code (model client, winston, git …) only when that command runs, from the
// dist/bin/ bundle (scripts/bundle.mjs).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root } from './lib.mjs';

const ROUNDS = 10;

function meanMs(args) {
  spawnSync(process.execPath, args, { cwd: root }); // warm the file cache
  const start = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i += 1) {
    const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  }
  return Number(process.hrtime.bigint() - start) / 1e6 / ROUNDS;
}

export default function coldStartBench() {
  const bin = path.join(root, 'bin', 'fleet-orch.js');
  const node = meanMs(['-e', '0']);
  const help = meanMs([bin, '--help']);
  const validate = meanMs([bin, 'config', 'validate', '-c', path.join(root, 'config.yaml')]);
  return [
    { name: 'help', ratio: help / node, unit: 'x the start of `node -e 0`', detail: `${help.toFixed(0)} ms vs ${node.toFixed(0)} ms (target < 3x)` },
    { name: 'validate', ratio: validate / node, unit: 'x the start of `node -e 0`', detail: `${validate.toFixed(0)} ms vs ${node.toFixed(0)} ms (target < 3x)` },
  ];
}
