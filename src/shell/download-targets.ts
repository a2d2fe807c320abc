import { basename } from './command-wrappers.js';
import type { CommandFact } from './facts.js';
import { unknownField, type Field } from './fields.js';

/** The files curl/wget save a download to. */
export function downloadTargets(fact: Pick<CommandFact, 'program' | 'args'>): Field[] {
  const values = fact.args.map((arg) => arg.value);
  const url = fact.args.find((arg) => arg.value !== null && /^[a-z][a-z0-9+.-]*:\/\//i.test(arg.value));
  const remoteName = (): Field => {
    const name = url?.value ? basename(url.value.replace(/[?#].*$/, '')) : '';
    return name ? { ...url!, value: name } : unknownField('<remote name>');
  };
  const targets: Field[] = [];
  fact.args.forEach((arg, index) => {
    const value = arg.value;
    if (value === null) return;
    if (fact.program === 'curl' && (value === '-o' || value === '--output')) targets.push(fact.args[index + 1] ?? unknownField(value));
    else if (fact.program === 'curl' && /^-o./.test(value)) targets.push({ ...arg, value: value.slice(2) });
    else if (fact.program === 'curl' && value.startsWith('--output=')) targets.push({ ...arg, value: value.slice(9) });
    else if (fact.program === 'curl' && (value === '-O' || value === '--remote-name' || value === '--remote-name-all' || /^-[a-zA-Z]*O[a-zA-Z]*$/.test(value))) targets.push(remoteName());
    else if (fact.program === 'wget' && (value === '-O' || value === '--output-document')) targets.push(fact.args[index + 1] ?? unknownField(value));
    else if (fact.program === 'wget' && value.startsWith('--output-document=')) targets.push({ ...arg, value: value.slice(18) });
  });
  if (fact.program === 'wget' && !values.some((value) => value === '-O' || value?.startsWith('--output-document') || value?.startsWith('-O'))) {
    targets.push(remoteName());
  }
  if (fact.program === 'curl' && values.some((value) => value?.startsWith('--output-dir'))) targets.push(unknownField('<curl --output-dir>'));
  return targets;
}
