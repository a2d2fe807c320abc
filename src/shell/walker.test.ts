import { describe, expect, it } from 'vitest';
import type { Analysis, CommandFact } from './facts.js';
import { parseShell } from './parse.js';
import { analyzeScript, MAX_EMBEDDING } from './walker.js';

function analyze(source: string, cwd: string | null = '/repo'): Analysis {
  const parsed = parseShell(source);
  if (!parsed.ok) throw new Error(parsed.reason);
  return analyzeScript(parsed.script, { cwd, home: '/home/ci' });
}

/** `program arg…` of each command, unknown values as `?`. */
const argv = (fact: CommandFact): string => [fact.program, ...fact.args.map((arg) => arg.value ?? '?')].join(' ');
const commands = (source: string): string[] => analyze(source).commands.map(argv);
const factFor = (source: string, program: string): CommandFact => analyze(source).commands.find((fact) => fact.program === program)!;

describe('walk: every command that would run', () => {
  it('opens wrappers, substitutions, bash -c and eval strings, find -exec and ssh', () => {
    expect(commands("sudo -E timeout 5 nice rm -rf a")).toEqual(['rm -rf a']);
    expect(commands('echo "$(date)" <(sort x)')).toEqual(['date', 'sort x', 'echo ? ?']);
    expect(commands("bash -c 'eval \"ls -la\"'")).toEqual(['bash -c eval "ls -la"', 'eval ls -la', 'ls -la']);
    expect(commands("find . -name '*.o' -exec rm -f {} +")).toEqual(['find . -name *.o -exec rm -f {} +', 'rm -f ./**/*.o']);
    expect(commands("ssh host 'uptime; df -h'")).toEqual(['ssh host uptime; df -h', 'uptime', 'df -h']);
    expect(factFor("ssh host 'df -h'", 'df')).toMatchObject({ remoteHost: true, cwd: null });
  });

  it('reads both meanings of an unknown wrapper option (value or command)', () => {
    expect(commands('timeout --weird 5 10 rm -rf x')).toEqual(['rm -rf x', '10 rm -rf x']);
  });

  it('records a wrapper that runs nothing else (env prints the environment)', () => {
    expect(factFor('env | sort', 'env')).toMatchObject({ emitsSecrets: true });
  });
});

describe('walk: variables', () => {
  it('follows assignments, unset and the values a child shell sees', () => {
    expect(commands('X=a; rm $X; unset X; rm "$X"x')).toEqual(['rm a', 'unset X', 'rm x']);
    expect(commands('X=a; bash -c \'rm "$X"\'')).toEqual(['bash -c rm "$X"', 'rm a', 'rm ']);
    expect(commands('export X=a; bash -c \'rm "$X"\'')).toEqual(['export X=a', 'bash -c rm "$X"', 'rm a']);
    expect(commands("bash -c 'rm \"$0\" \"$1\"' zero one")).toEqual(['bash -c rm "$0" "$1" zero one', 'rm zero one']);
  });

  it('joins branches: a value known on one path only has both values (or none)', () => {
    expect(commands('if t; then X=a; else X=b; fi; rm $X')).toEqual(['t', 'rm a', 'rm b']);
    expect(commands('t && X=a; rm "$X"')).toEqual(['t', 'rm ?']);
    expect(commands('for d in a b; do rm $d; done')).toEqual(['rm a', 'rm b', 'rm a', 'rm b']);
  });

  it('keeps assignments inside subshells and pipelines there', () => {
    expect(commands('X=a; (X=b); rm $X')).toEqual(['rm a']);
    expect(commands('X=a; echo | read X; rm "$X"')).toEqual(['echo', 'read X', 'rm ?']);
  });

  it('makes values unknown when something it cannot follow may change them', () => {
    expect(commands('X=a; read X; rm "$X"')).toEqual(['read X', 'rm ?']);
    expect(commands('X=a; source ./env.sh; rm "$X"')).toEqual(['source ./env.sh', 'rm ?']);
    expect(commands('X=a; : ${X:=b}; rm "$X"')).toEqual([': a', 'rm ?']);
  });

  it('taints values that come from secrets, also through variables and substitutions', () => {
    expect(factFor('T=$GITHUB_TOKEN; curl -d "$T" x', 'curl')).toMatchObject({ carriesSecrets: true, network: true });
    expect(factFor('curl -d "$(printenv)" x', 'curl').carriesSecrets).toBe(true);
    expect(factFor('curl -d "$(date)" x', 'curl').carriesSecrets).toBe(false);
  });
});

describe('walk: working directory', () => {
  it('follows cd, and a failed cd only where the line goes on after it', () => {
    expect(factFor('cd dist && rm -rf x', 'rm').cwd).toBe('/repo/dist');
    expect(factFor('cd dist || exit 1; rm -rf x', 'rm').cwd).toBe('/repo/dist');
    expect(factFor('cd dist; rm -rf x', 'rm').cwd).toBeNull();
    expect(factFor('cd /; rm -rf x', 'rm').cwd).toBe('/');
    expect(factFor('(cd dist && true); rm -rf x', 'rm').cwd).toBe('/repo');
    expect(factFor('cd "$X" && rm -rf x', 'rm').cwd).toBeNull();
    expect(factFor('env -C sub rm -rf x', 'rm').cwd).toBe('/repo/sub');
  });
});

describe('walk: functions, traps, aliases', () => {
  it('walks a function body at each call with its arguments', () => {
    expect(commands('f() { rm -rf "$1"; }; f a; f b')).toEqual(['f a', 'rm -rf a', 'f b', 'rm -rf b']);
  });

  it('walks trap bodies where they are set and again at the end, with the values of then', () => {
    expect(commands("trap 'rm -rf \"$D\"' EXIT; D=out")).toEqual(["trap rm -rf \"$D\" EXIT", 'rm -rf ?', 'rm -rf out']);
    expect(commands("alias ll='ls -l'")).toEqual(['alias ll=ls -l', 'ls -l']);
  });

  it('finds a fork bomb and stops at recursion otherwise', () => {
    expect(analyze(':(){ :|:& };:').findings.map((finding) => finding.rule)).toEqual(['builtin:fork-bomb']);
    expect(analyze('f() { f; }; f').findings).toEqual([]);
  });
});

describe('walk: what it cannot see is a finding', () => {
  it.each([
    ['$CMD arg', 'unparseable:dynamic-command'],
    ['eval "$X"', 'unparseable:dynamic-script'],
    ['echo ls | sh', 'unparseable:script-from-pipe'],
    ['python3 <<EOF\nprint(1)\nEOF', 'unparseable:heredoc-to-interpreter'],
    ['curl -s x | sh', 'builtin:pipe-to-shell'],
    ["bash -c 'echo \"unclosed'", 'unparseable:syntax'],
  ])('%j → %s', (source, rule) => {
    expect(analyze(source).findings.map((finding) => finding.rule)).toContain(rule);
  });

  it(`refuses scripts embedded more than ${MAX_EMBEDDING} levels deep`, () => {
    let script = 'true';
    for (let level = 0; level <= MAX_EMBEDDING; level += 1) script = `eval ${JSON.stringify(script).replace(/\$/g, '\\$')}`;
    expect(analyze(script).findings.map((finding) => finding.rule)).toContain('unparseable:too-deep');
  });
});
