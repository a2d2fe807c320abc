import type { Field } from './fields.js';

/** What kinds of programs are: network clients, downloaders, and commands that print secrets. */

/** Programs that always send or receive data over the network. */
const NETWORK_PROGRAMS = new Set([
  'curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'xh', 'httpie', 'lwp-request', 'lwp-download', 'GET', 'POST',
  'nc', 'ncat', 'netcat', 'socat', 'telnet', 'ssh', 'scp', 'sftp', 'rsync', 'ftp', 'tftp', 'lftp',
  'dig', 'nslookup', 'host', 'drill', 'ping', 'ping6', 'traceroute', 'whois', 'smbclient', 'mail', 'sendmail',
  'gh', 'az', 'aws', 'gcloud', 'gsutil', 'kubectl', 'oc', 'helm',
]);

/** Programs that reach the network only with some subcommands. */
const NETWORK_SUBCOMMANDS: Readonly<Record<string, ReadonlySet<string>>> = {
  git: new Set(['push', 'fetch', 'pull', 'clone', 'ls-remote', 'remote', 'submodule', 'send-email', 'request-pull', 'archive']),
  openssl: new Set(['s_client', 's_server']),
  docker: new Set(['login', 'push', 'pull']),
  podman: new Set(['login', 'push', 'pull']),
  npm: new Set(['publish', 'login', 'adduser', 'whoami', 'token']),
  yarn: new Set(['publish', 'login', 'npm']),
  pnpm: new Set(['publish', 'login', 'adduser']),
};

export function isNetworkCommand(program: string, args: readonly Field[]): boolean {
  if (NETWORK_PROGRAMS.has(program)) return true;
  const subcommands = NETWORK_SUBCOMMANDS[program];
  if (!subcommands) return false;
  // Options may come first (`git -c x=y push`): any argument naming a network subcommand counts.
  return args.some((field) => field.value === null || subcommands.has(field.value));
}

/** Programs whose output is (or may be) something fetched from the network. */
export const DOWNLOADERS = new Set([
  'curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'xh', 'httpie', 'lwp-request', 'lwp-download', 'GET',
  'nc', 'ncat', 'netcat', 'socat', 'telnet', 'openssl', 'ftp', 'tftp', 'lftp', 'ssh',
]);

/** Programs that print the environment when they run nothing else. */
const ENV_PRINTERS = new Set(['env', 'printenv']);

/** `program subcommand…` prefixes that print a credential. */
const TOKEN_PRINTERS: readonly (readonly string[])[] = [
  ['az', 'account', 'get-access-token'],
  ['az', 'keyvault', 'secret', 'show'],
  ['az', 'keyvault', 'secret', 'download'],
  ['az', 'storage', 'account', 'keys', 'list'],
  ['az', 'acr', 'credential', 'show'],
  ['az', 'aks', 'get-credentials'],
  ['gh', 'auth', 'token'],
  ['kubectl', 'get', 'secret'],
  ['kubectl', 'get', 'secrets'],
  ['kubectl', 'config', 'view'],
  ['aws', 'configure', 'get'],
  ['aws', 'sts', 'get-session-token'],
  ['aws', 'ecr', 'get-login-password'],
  ['aws', 'secretsmanager', 'get-secret-value'],
  ['gcloud', 'auth', 'print-access-token'],
  ['gcloud', 'auth', 'print-identity-token'],
  ['git', 'credential', 'fill'],
  ['vault', 'read'],
  ['vault', 'kv', 'get'],
];

/** Files that hold credentials (matched on the path as written or resolved). */
const CREDENTIAL_PATH =
  /(^|\/)\.ssh(\/|$)|(^|\/)\.aws\/|(^|\/)\.azure(\/|$)|(^|\/)\.kube\/config|(^|\/)\.docker\/config\.json|(^|\/)\.(npmrc|pypirc|netrc|git-credentials|vault-token|pgpass)$|(^|\/)\.gnupg(\/|$)|(^|\/)\.config\/(gh|gcloud)(\/|$)|^\/etc\/(shadow|gshadow|sudoers)|^\/proc\/[^/]+\/environ$|(^|\/)\.env(\.[\w.-]+)?$|(^|\/)id_(rsa|dsa|ecdsa|ed25519)|\.(pem|key|p12|pfx|jks|keystore)$|(^|\/)credentials(\.json)?$|(^|\/)secrets?\.(json|ya?ml|env)$|^\/var\/run\/secrets\/|^\/run\/secrets\//;

/** A path argument that names a credential file; `@file`, `name=@file` and `name=<file` (curl) included. */
export function isCredentialPath(text: string): boolean {
  // The path may follow `@`, `name=@`, `name=<` (curl) or `--option=` (`wget --body-file=…`).
  const candidates = [text, text.replace(/^[^=@<]*=[@<]|^@/, ''), text.slice(text.indexOf('=') + 1)];
  return candidates.some((candidate) => CREDENTIAL_PATH.test(candidate));
}

export function startsWithWords(program: string, args: readonly Field[], words: readonly string[]): boolean {
  if (words[0] !== program) return false;
  const positionals = args.filter((field) => field.value === null || !field.value.startsWith('-'));
  return words.slice(1).every((word, index) => positionals[index]?.value === word);
}

/** Do these arguments carry a secret: a secret variable, a credential file, a file written with secrets? */
export function argumentsCarrySecrets(args: readonly Field[], isSecretFile: (field: Field) => boolean): boolean {
  return args.some((field) => field.tainted || isCredentialPath(field.value ?? field.text) || isSecretFile(field));
}

/** Does this command print secrets of its own: the environment or a token? */
export function printsSecrets(program: string, args: readonly Field[]): boolean {
  if (ENV_PRINTERS.has(program)) return true;
  if ((program === 'set' || program === 'export' || program === 'declare' || program === 'typeset') && args.every((field) => field.value !== null && /^-[pxs]*$/.test(field.value))) {
    return true;
  }
  if (program === 'compgen' && args.some((field) => field.value === '-e' || field.value === '-v')) return true;
  return TOKEN_PRINTERS.some((words) => startsWithWords(program, args, words));
}
