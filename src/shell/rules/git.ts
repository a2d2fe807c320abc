import type { CommandFact } from '../facts.js';
import type { Field } from '../fields.js';
import { globToRegExp } from './paths.js';
import { dynamicArgument, hasOption, show, violation, type RuleContext, type Violation } from './rule-types.js';

/**
 * git: no force push (`--force`, `-f`, `+refspec`, `--force-with-lease`, `--mirror`), no push to or deletion of
 * a protected branch (also `git branch -D main`, `git update-ref -d refs/heads/main`), no push whose destination
 * is implicit (it may be a protected branch), and no configuration that makes git run programs.
 */
const GLOBAL_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env', '--super-prefix']);
const PUSH_WITH_VALUE = new Set(['--repo', '-o', '--push-option', '--receive-pack', '--exec']);
/** Settings that make git run a program, load hooks or follow includes. */
const EXEC_SETTINGS = /^(core\.hookspath|core\.fsmonitor|credential\.helper|filter\..+|protocol\..*allow|uploadpack\..+|receivepack\..+|include\.path|includeif\..+|core\.gitproxy|core\.worktree)$/;

interface GitCommand {
  readonly subcommand: Field | undefined;
  /** Arguments after the subcommand. */
  readonly args: readonly Field[];
  /** `-c key=value` settings before it. */
  readonly settings: readonly Field[];
}

function parseGit(args: readonly Field[]): GitCommand {
  const settings: Field[] = [];
  let index = 0;
  while (index < args.length) {
    const value = args[index]!.value;
    if (value === null || !value.startsWith('-')) break;
    if (value === '-c' && args[index + 1]) settings.push(args[index + 1]!);
    index += GLOBAL_WITH_VALUE.has(value) ? 2 : 1;
  }
  return { subcommand: args[index], args: args.slice(index + 1), settings };
}

export function judgeGit(fact: CommandFact, context: RuleContext): Violation | null {
  if (fact.program !== 'git') return null;
  const git = parseGit(fact.args);
  for (const setting of git.settings) {
    const found = judgeSetting(setting, fact);
    if (found) return found;
  }
  const sub = git.subcommand;
  if (sub === undefined) return null;
  if (sub.value === null) return dynamicArgument(fact, sub, 'the git subcommand');
  switch (sub.value) {
    case 'push':
      return judgePush(fact, git.args, context);
    case 'branch':
      return judgeBranch(fact, git.args, context);
    case 'update-ref':
      return judgeUpdateRef(fact, git.args, context);
    case 'checkout':
    case 'switch':
      return judgeForceCreate(fact, git.args, context);
    case 'config':
      return judgeConfig(fact, git.args);
    default:
      return null;
  }
}

function judgeSetting(setting: Field, fact: CommandFact): Violation | null {
  if (setting.value === null) return dynamicArgument(fact, setting, 'the setting');
  const key = setting.value.split('=')[0]!.toLowerCase();
  return EXEC_SETTINGS.test(key) ? violation('builtin:git-exec-config', `git setting ${key} makes git run programs or load configuration from elsewhere`) : null;
}

function judgeConfig(fact: CommandFact, args: readonly Field[]): Violation | null {
  const key = args.find((arg) => arg.value === null || !arg.value.startsWith('-'));
  if (key === undefined) return null;
  if (key.value === null) return dynamicArgument(fact, key, 'the git setting');
  return judgeSetting(key, fact);
}

function judgePush(fact: CommandFact, args: readonly Field[], context: RuleContext): Violation | null {
  const positionals: Field[] = [];
  let deleting = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    const value = arg.value;
    if (value === null) return dynamicArgument(fact, arg, 'the push argument');
    if (value === '--') {
      positionals.push(...args.slice(index + 1));
      break;
    }
    if (!value.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (/^--(force|force-with-lease|force-if-includes|mirror)(=|$)/.test(value) || (!value.startsWith('--') && value.slice(1).includes('f'))) {
      return violation('builtin:force-push', `force-pushing (${value}) is never allowed`);
    }
    if (/^--(all|branches|prune)$/.test(value)) return violation('builtin:protected-branch', `git push ${value} may update or delete protected branches`);
    if (value === '--delete' || (!value.startsWith('--') && value.slice(1).includes('d'))) deleting = true;
    if (PUSH_WITH_VALUE.has(value)) index += 1;
  }
  const refspecs = positionals.slice(1);
  if (refspecs.length === 0 && !hasOption(args, ['--tags'])) {
    return violation('builtin:protected-branch', 'git push without an explicit destination branch may update a protected branch');
  }
  for (const refspec of refspecs) {
    const spec = refspec.value!;
    if (spec.startsWith('+')) return violation('builtin:force-push', `force-pushing (${spec}) is never allowed`);
    const colon = spec.indexOf(':');
    const source = colon < 0 ? spec : spec.slice(0, colon);
    const destination = colon < 0 ? spec : spec.slice(colon + 1) || source;
    if (/^(HEAD|@)$/.test(destination)) return violation('builtin:protected-branch', `git push ${spec} pushes to the current branch, which may be protected`);
    const branch = branchName(destination);
    if (branch !== null && isProtected(branch, context)) {
      const what = deleting || (colon === 0) ? 'deletes' : 'pushes to';
      return violation('builtin:protected-branch', `git push ${what} the protected branch ${branch}`);
    }
  }
  return null;
}

function judgeBranch(fact: CommandFact, args: readonly Field[], context: RuleContext): Violation | null {
  const changing = hasOption(args, ['-d', '-D', '--delete', '-m', '-M', '--move', '-c', '-C', '--copy', '-f', '--force']);
  if (!changing) return null;
  for (const arg of args) {
    if (arg.value === null) return dynamicArgument(fact, arg, 'the branch');
    if (!arg.value.startsWith('-') && isProtected(branchName(arg.value) ?? arg.value, context)) {
      return violation('builtin:protected-branch', `git branch ${args.map(show).join(' ')} changes the protected branch ${arg.value}`);
    }
  }
  return null;
}

function judgeUpdateRef(fact: CommandFact, args: readonly Field[], context: RuleContext): Violation | null {
  for (const arg of args) {
    if (arg.value === null) return dynamicArgument(fact, arg, 'the ref');
    const branch = branchName(arg.value);
    if (arg.value.startsWith('refs/heads/') && branch !== null && isProtected(branch, context)) {
      return violation('builtin:protected-branch', `git update-ref changes the protected branch ${branch}`);
    }
  }
  return null;
}

/** `git checkout -B main`, `git switch -C main` reset a branch to another commit. */
function judgeForceCreate(fact: CommandFact, args: readonly Field[], context: RuleContext): Violation | null {
  const at = args.findIndex((arg) => arg.value === '-B' || arg.value === '-C' || arg.value === '--force-create');
  if (at < 0) return null;
  const name = args[at + 1];
  if (name === undefined) return null;
  if (name.value === null) return dynamicArgument(fact, name, 'the branch');
  return isProtected(name.value, context) ? violation('builtin:protected-branch', `${fact.program} resets the protected branch ${name.value}`) : null;
}

/** `refs/heads/main` → main; tags and other refs → null. */
function branchName(ref: string): string | null {
  if (ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
  if (ref.startsWith('refs/')) return null;
  return ref.replace(/^heads\//, '');
}

function isProtected(branch: string, context: RuleContext): boolean {
  return context.protectedBranches.some((entry) => entry === branch || (/[*?[]/.test(entry) && globToRegExp(entry).test(branch)) || (/[*?[]/.test(branch) && globToRegExp(branch).test(entry)));
}
