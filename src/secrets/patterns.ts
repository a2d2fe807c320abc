/**
 * Shapes of well-known credentials. Used to redact text (logs, prompts, reports) and by the Jules rules to
 * reject patches that add a secret. Kept specific enough that ordinary code does not match.
 */
export interface SecretShape {
  readonly name: string;
  readonly pattern: RegExp;
}

export const SECRET_SHAPES: readonly SecretShape[] = [
  { name: 'private-key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g },
  { name: 'openai-key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { name: 'github-token', pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b/g },
  { name: 'github-pat', pattern: /\bgithub_pat_[A-Za-z0-9_]{40,}\b/g },
  { name: 'aws-access-key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { name: 'slack-token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  { name: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g },
  { name: 'azure-storage-key', pattern: /\bAccountKey=[A-Za-z0-9+/=]{40,}/g },
  { name: 'bearer-header', pattern: /\b(?:Authorization:\s*)?Bearer\s+[A-Za-z0-9._~+/-]{20,}=*/gi },
  { name: 'url-credentials', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s@/]+@/gi },
];

/** Environment variable names whose values are secrets. */
export const SECRET_ENV_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE/i;

/** Values shorter than this are not treated as secrets: redacting "1" or "true" everywhere helps nobody. */
export const MIN_SECRET_LENGTH = 6;

export function findSecretShapes(text: string): string[] {
  const found: string[] = [];
  for (const shape of SECRET_SHAPES) {
    shape.pattern.lastIndex = 0;
    if (shape.pattern.test(text)) found.push(shape.name);
    shape.pattern.lastIndex = 0;
  }
  return found;
}
