// The patch applier over the model-mistake corpus, side by side with `git apply`, `git apply --recount
// --ignore-whitespace` and GNU `patch --fuzz=3` (when installed) in the same run; then speed: fleet-orch against
// `git apply` on the corpus patches git applies correctly (the ratio), and a 200-hunk diff on a 20,000-line file.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { copyTree, listCases, treeSnapshot } from '../test/fixtures/patches/corpus.mjs';
import { dist } from './lib.mjs';

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CEILING_DIRECTORIES: tmpdir() };

function external(command, args) {
  return (tree, patchFile) => spawnSync(command, [...args(patchFile)], { cwd: tree, env: GIT_ENV, stdio: 'ignore' }).status === 0;
}

function hasPatch() {
  return spawnSync('patch', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** correct: the expected result (after/ for recoverable cases, refused and untouched for must-refuse ones). */
function judge(testCase, ok, tree, before) {
  const now = JSON.stringify(treeSnapshot(tree));
  if (testCase.meta.expect === 'apply') {
    if (ok && now === JSON.stringify(treeSnapshot(testCase.after))) return 'correct';
    return !ok && now === before ? 'refused' : 'wrong';
  }
  return !ok && now === before ? 'correct' : 'wrong';
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median ms of `run` (sync or async) over fresh copies of `prepare()`. */
async function timeRuns(rounds, prepare, run) {
  const times = [];
  for (let round = 0; round < rounds; round += 1) {
    const input = prepare();
    const start = process.hrtime.bigint();
    await run(input);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

/** A 20,000-line TypeScript file and a real git diff of 200 separate one-line edits to it. */
function bigCase(work) {
  const lines = [];
  for (let index = 0; index < 20_000; index += 1) {
    if (index % 50 === 0) lines.push(`export function step${index}(input: number): number {`);
    else if (index % 50 === 49) lines.push('}');
    else lines.push(`  const value${index} = input * ${index % 7} + ${index};`);
  }
  const dir = path.join(work, 'big-repo');
  mkdirSync(dir);
  execFileSync('git', ['init', '-q'], { cwd: dir, env: GIT_ENV });
  writeFileSync(path.join(dir, 'big.ts'), `${lines.join('\n')}\n`);
  execFileSync('git', ['add', '-A'], { cwd: dir, env: GIT_ENV });
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-q', '-m', 'big'], { cwd: dir, env: GIT_ENV });
  const edited = lines.map((line, index) => (index % 100 === 25 ? line.replace('input *', 'input /') : line));
  writeFileSync(path.join(dir, 'big.ts'), `${edited.join('\n')}\n`);
  const diff = execFileSync('git', ['diff'], { cwd: dir, env: GIT_ENV, encoding: 'utf8', maxBuffer: 64 << 20 });
  execFileSync('git', ['checkout', '-q', '--', 'big.ts'], { cwd: dir, env: GIT_ENV });
  rmSync(path.join(dir, '.git'), { recursive: true, force: true });
  const patchFile = path.join(work, 'big.diff');
  writeFileSync(patchFile, diff);
  return { dir, diff, patchFile, hunks: diff.split('\n').filter((line) => line.startsWith('@@')).length };
}

export default async function patchBench() {
  const { applyPatchToDirectory } = await import(dist('patch/apply-directory.js'));
  const cases = listCases();
  const work = mkdtempSync(path.join(tmpdir(), 'fleet-orch-patch-bench-'));
  let copies = 0;
  const fresh = (testCase) => {
    const root = path.join(work, `copy-${copies++}`);
    const tree = path.join(root, 'tree');
    copyTree(testCase.before, tree);
    mkdirSync(path.join(root, 'outside'));
    return tree;
  };
  const appliers = {
    'fleet-orch': async (tree, patchFile, testCase) =>
      (await applyPatchToDirectory(tree, testCase.patch, { protectedPaths: testCase.meta.protectedPaths ?? [] })).applied,
    'git apply': external('git', (file) => ['apply', file]),
    'git apply --recount --ignore-whitespace': external('git', (file) => ['apply', '--recount', '--ignore-whitespace', file]),
  };
  if (hasPatch()) appliers['patch --fuzz=3'] = external('patch', (file) => ['-p1', '--fuzz=3', '--batch', '--forward', '--no-backup-if-mismatch', '--reject-file=-', '-i', file]);
  try {
    const counts = {};
    const gitExact = [];
    for (const [name, apply] of Object.entries(appliers)) {
      const tally = { correct: 0, refused: 0, wrong: 0, refusedOk: 0, refusedWrong: 0 };
      for (const testCase of cases) {
        const tree = fresh(testCase);
        const before = JSON.stringify(treeSnapshot(tree));
        const verdict = judge(testCase, await apply(tree, testCase.patchFile, testCase), tree, before);
        if (testCase.meta.expect === 'apply') tally[verdict] += 1;
        else tally[verdict === 'correct' ? 'refusedOk' : 'refusedWrong'] += 1;
        if (name === 'git apply' && testCase.meta.expect === 'apply' && verdict === 'correct') gitExact.push(testCase);
      }
      counts[name] = tally;
    }
    if (counts['fleet-orch'].wrong + counts['fleet-orch'].refusedWrong > 0) throw new Error('fleet-orch applied a corpus patch wrongly');

    let fleetMs = 0;
    let gitMs = 0;
    for (const testCase of gitExact) {
      fleetMs += await timeRuns(7, () => fresh(testCase), (tree) => applyPatchToDirectory(tree, testCase.patch));
      gitMs += await timeRuns(7, () => fresh(testCase), (tree) => appliers['git apply'](tree, testCase.patchFile));
    }
    const big = bigCase(work);
    const bigCopy = () => {
      const tree = path.join(work, `big-${copies++}`);
      mkdirSync(tree);
      copyTree(path.join(big.dir, 'big.ts'), path.join(tree, 'big.ts'));
      return tree;
    };
    const applyBig = async (tree) => {
      if (!(await applyPatchToDirectory(tree, big.diff)).applied) throw new Error('the 200-hunk diff did not apply');
    };
    await timeRuns(3, bigCopy, applyBig);
    const bigFleet = await timeRuns(25, bigCopy, applyBig);
    const bigGit = await timeRuns(25, bigCopy, (tree) => appliers['git apply'](tree, big.patchFile));

    const recoverable = cases.filter((testCase) => testCase.meta.expect === 'apply').length;
    const mustRefuse = cases.length - recoverable;
    const table = Object.entries(counts)
      .map(([name, t]) => `${name}: ${t.correct}/${recoverable} applied correctly, ${t.refused} refused, ${t.wrong} applied wrongly; must-refuse ${t.refusedOk}/${mustRefuse} refused, ${t.refusedWrong} applied`)
      .join(' | ');
    return {
      name: 'patch',
      ratio: fleetMs / gitMs,
      unit: `x git apply's time (${gitExact.length} exact-match corpus patches)`,
      detail: `${table} | ${big.hunks}-hunk diff on a 20,000-line file: ${bigFleet.toFixed(1)} ms (git apply ${bigGit.toFixed(1)} ms)`,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
