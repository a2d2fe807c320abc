import { addedCode, finding, where, type Rule } from './rule.js';

/** Turning certificate verification off "fixes" a TLS error by removing the protection: refused. */
const TLS_OFF: readonly RegExp[] = [
  /\brejectUnauthorized\s*:\s*false\b/,
  /\bNODE_TLS_REJECT_UNAUTHORIZED\b["'\]]*\s*[:=]+\s*["']?0/,
  /\bNODE_TLS_REJECT_UNAUTHORIZED=0\b/,
  /\bverify\s*=\s*False\b/,
  /\bstrictSSL\s*[:=]\s*false\b/i,
  /\bstrict-ssl\s*[:= ]\s*false\b/i,
  /\bInsecureSkipVerify\s*:\s*true\b/,
  /\bsslVerify\s*[:= ]\s*false\b/i,
  /\bGIT_SSL_NO_VERIFY\b/,
  /\b_create_unverified_context\b/,
  /\bCURLOPT_SSL_VERIFY(?:PEER|HOST)\s*,\s*(?:false|0)\b/i,
];

export const tlsDisabledRule: Rule = (files) => {
  const findings = [];
  for (const { file, added } of addedCode(files)) {
    if (TLS_OFF.some((pattern) => pattern.test(added.text))) {
      findings.push(finding('tls-disabled', 'high', `${where(file, added)} turns TLS certificate verification off`, file.path, added.line));
    }
  }
  return findings;
};
