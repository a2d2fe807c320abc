import type { CommandFact } from '../facts.js';
import type { Field } from '../fields.js';
import { dynamicArgument, hasOption, violation, type RuleContext, type Violation } from './rule-types.js';

/**
 * Cloud CLIs: never delete resources (`az … delete|purge|remove`, `az rest --method delete`, a Complete-mode
 * deployment, `aws … delete-*`, `gcloud … delete`), never set or rotate secrets and credentials.
 */
const DELETE_WORD = /^(delete|purge|remove|wipe|destroy)(-|$)|^(delete|remove)-/;
const SECRET_VERBS = new Set(['set', 'set-attributes', 'restore', 'recover', 'import', 'create', 'update', 'rotate', 'reset', 'renew', 'regenerate', 'add', 'put']);

/** The command path of `az group delete --name x`: the words before the first option (leading options skipped). */
function commandPath(args: readonly Field[]): { path: Field[]; dynamic: Field | null } {
  const path: Field[] = [];
  let index = 0;
  while (index < args.length && args[index]!.value?.startsWith('-')) index += args[index + 1]?.value?.startsWith('-') === false ? 2 : 1;
  for (; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg.value === null) return { path, dynamic: arg };
    if (arg.value.startsWith('-')) break;
    path.push(arg);
  }
  return { path, dynamic: null };
}

export function judgeCloud(fact: CommandFact, _context: RuleContext): Violation | null {
  switch (fact.program) {
    case 'az':
      return judgeAz(fact);
    case 'gh':
      return judgeGh(fact);
    case 'aws':
    case 'gcloud':
    case 'gsutil':
      return judgeOtherCloud(fact);
    default:
      return null;
  }
}

function judgeAz(fact: CommandFact): Violation | null {
  const { path, dynamic } = commandPath(fact.args);
  if (dynamic) return dynamicArgument(fact, dynamic, 'the az command');
  const words = path.map((field) => field.value!);
  const shown = `az ${words.join(' ')}`;
  if (words.some((word) => DELETE_WORD.test(word))) return violation('builtin:az-delete', `${shown} deletes Azure resources, which is never allowed`);
  if (words[0] === 'rest' && optionIs(fact.args, ['--method', '-m'], /^delete$/i)) return violation('builtin:az-delete', 'az rest --method DELETE deletes Azure resources');
  if (words.includes('deployment') && optionIs(fact.args, ['--mode'], /^complete$/i)) {
    return violation('builtin:az-delete', `${shown} --mode Complete deletes every resource missing from the template`);
  }
  const last = words.at(-1) ?? '';
  const secretWrite =
    (words.includes('secret') && SECRET_VERBS.has(last)) ||
    (words.includes('credential') && SECRET_VERBS.has(last)) ||
    words.includes('create-for-rbac') ||
    (words.includes('keys') && /^(renew|regenerate)$/.test(last)) ||
    words.some((word) => word.includes('regenerate')) ||
    (words.includes('keyvault') && (words.includes('key') || words.includes('certificate')) && SECRET_VERBS.has(last)) ||
    (words.join(' ').includes('deployment user set')) ||
    (words.includes('variable') && hasOption(fact.args, ['--secret']) && !optionIs(fact.args, ['--secret'], /^false$/i));
  return secretWrite ? violation('builtin:secret-write', `${shown} sets or rotates a secret or credential, which is never allowed`) : null;
}

function judgeGh(fact: CommandFact): Violation | null {
  const { path, dynamic } = commandPath(fact.args);
  if (dynamic) return dynamicArgument(fact, dynamic, 'the gh command');
  const [area, verb] = path.map((field) => field.value!);
  if (area === 'secret' && verb !== 'list') return violation('builtin:secret-write', `gh secret ${verb ?? ''} changes a repository secret`);
  if ((area === 'repo' || area === 'release') && verb === 'delete') return violation('builtin:az-delete', `gh ${area} delete deletes a hosted resource`);
  return null;
}

function judgeOtherCloud(fact: CommandFact): Violation | null {
  const { path, dynamic } = commandPath(fact.args);
  if (dynamic) return dynamicArgument(fact, dynamic, `the ${fact.program} command`);
  const words = path.map((field) => field.value!);
  const shown = `${fact.program} ${words.join(' ')}`;
  if (words.some((word) => /^(delete|remove|terminate|deregister|destroy|purge)(-|$)/.test(word)) || (words[0] === 's3' && /^(rm|rb)$/.test(words[1] ?? '')) || (fact.program === 'gsutil' && /^(rm|rb)$/.test(words[0] ?? ''))) {
    return violation('builtin:cloud-delete', `${shown} deletes cloud resources, which is never allowed`);
  }
  const secretArea = words.some((word) => /secret|credential|access-key|kms/.test(word));
  if (secretArea && words.some((word) => /^(put|create|update|rotate|set|add)(-|$)/.test(word))) {
    return violation('builtin:secret-write', `${shown} sets or rotates a secret or credential, which is never allowed`);
  }
  return null;
}

function optionIs(args: readonly Field[], names: readonly string[], pattern: RegExp): boolean {
  return args.some((arg, index) => {
    const value = arg.value;
    if (value === null) return false;
    if (names.includes(value)) return args[index + 1]?.value === null || pattern.test(args[index + 1]?.value ?? '');
    const equals = value.indexOf('=');
    return equals > 0 && names.includes(value.slice(0, equals)) && pattern.test(value.slice(equals + 1));
  });
}
