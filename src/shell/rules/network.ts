import type { CommandFact } from '../facts.js';
import type { Field } from '../fields.js';
import { violation, type RuleContext, type Violation } from './rule-types.js';

/**
 * The network: secrets never leave (a network client whose arguments or input carry a secret variable, a
 * credential file, a file written with secrets or the output of `env`/a token printer is refused); no shell is
 * handed to a socket (`nc -e sh`, `socat … EXEC:sh`); no deletes through a cloud or cluster REST API.
 */
const HTTP_CLIENTS = new Set(['curl', 'wget', 'http', 'https', 'xh']);

export function judgeNetwork(fact: CommandFact, _context: RuleContext): Violation | null {
  if (fact.network && fact.carriesSecrets) {
    return violation('builtin:secret-exfiltration', `${fact.program} would send secret environment variables or credential files over the network`);
  }
  const values = fact.args.map((arg) => arg.value ?? '');
  if (/^(nc|ncat|netcat)$/.test(fact.program) && values.some((value) => /^-(e|c)$|^--(exec|sh-exec|lua-exec)/.test(value))) {
    return violation('builtin:pipe-to-shell', `${fact.program} -e connects a program to a network socket`);
  }
  if (fact.program === 'socat' && values.some((value) => /(^|[,!])(EXEC|SYSTEM):/i.test(value))) {
    return violation('builtin:pipe-to-shell', 'socat EXEC:/SYSTEM: connects a program to a network socket');
  }
  if (HTTP_CLIENTS.has(fact.program) && deletes(fact.args)) return judgeRestDelete(fact.args);
  return null;
}

function deletes(args: readonly Field[]): boolean {
  return args.some((arg, index) => {
    const value = arg.value ?? '';
    const previous = index > 0 ? args[index - 1]!.value : '';
    return /^(-X|--request|--method)$/.test(previous ?? '') ? /^delete$/i.test(value) : /^(-XDELETE|--request=DELETE|--method=DELETE|DELETE)$/i.test(value);
  });
}

/** `curl -X DELETE https://management.azure.com/…`, `curl -X DELETE …/api/v1/namespaces/prod`. */
function judgeRestDelete(args: readonly Field[]): Violation | null {
  for (const arg of args) {
    const url = arg.value;
    if (url === null) return violation('unparseable:dynamic-argument', `an HTTP DELETE to ${arg.text} is only known when it runs`);
    if (/^(https?:\/\/)?(management\.azure\.com|[\w.-]*\.vault\.azure\.net|graph\.microsoft\.com)/i.test(url)) {
      return violation('builtin:az-delete', 'an HTTP DELETE to the Azure API deletes Azure resources');
    }
    if (/\/api\/v1\/namespaces\/[^/?]+\/?(\?.*)?$/.test(url)) return violation('builtin:k8s-namespace-delete', 'an HTTP DELETE of a Kubernetes namespace');
    if (/\/(apis?)\/.*\/namespaces\/[^/]+\/[^/]+/.test(url) && !/\/pods\/[^/?]+\/?(\?.*)?$/.test(url)) {
      return violation('builtin:k8s-destructive', 'an HTTP DELETE of Kubernetes resources beyond a single pod');
    }
  }
  return null;
}
