/**
 * Values that are credentials whatever they are called: well-known token
 * formats, `Bearer …` / `Basic …` credentials, private keys, and the
 * credentials of URLs (user info, signed query parameters). Found inside any
 * string and replaced there, so text around them survives.
 */
import { isBuiltInSecretName, type NameKind } from './names.js';

export const REDACTED = '[redacted]';

/** A documented credential format: its name (for docs/security.md) and how to find it in text. */
export interface CredentialShape {
  name: string;
  pattern: RegExp;
}

export const CREDENTIAL_SHAPES: readonly CredentialShape[] = [
  {
    name: 'private key (PEM)',
    pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  },
  { name: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  { name: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { name: 'GitLab token', pattern: /\bgl(?:pat|dt|ptt|rt|cbt)-[A-Za-z0-9_-]{20,}/g },
  { name: 'Slack token', pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g },
  {
    name: 'Slack webhook URL',
    pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]+/g,
  },
  { name: 'Stripe secret key', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g },
  { name: 'Stripe webhook secret', pattern: /\bwhsec_[A-Za-z0-9]{16,}\b/g },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: 'Google OAuth token', pattern: /\bya29\.[0-9A-Za-z_-]{20,}/g },
  { name: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { name: 'SendGrid key', pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g },
  { name: 'Twilio key', pattern: /\bSK[0-9a-f]{32}\b/g },
  { name: 'Azure storage account key', pattern: /(?<=AccountKey=)[A-Za-z0-9+/=]{20,}/g },
  {
    name: 'Bearer or Basic credentials',
    pattern:
      /(?<=\b(?:Bearer|Basic|bearer|basic)\s+)(?=[A-Za-z0-9._~+/=-]*[0-9=+/._-])[A-Za-z0-9._~+/=-]{8,}/g,
  },
];

/**
 * What every shape starts with (or follows): most strings hold none, and
 * output can hold hundreds of thousands of them, so the shapes run only
 * behind this one test.
 */
const SHAPE_HINT =
  /-----BEGIN|eyJ|A(?:KIA|SIA|BIA|CCA|Iza)|gh[pousr]_|github_pat_|gl(?:pat|dt|ptt|rt|cbt)-|xox|hooks\.slack|_(?:live|test)_|whsec_|ya29\.|npm_|SG\.|SK[0-9a-f]|AccountKey=|[Bb]earer|[Bb]asic/;

/** `scheme://user:password@` and `scheme://long-token@` (a plain login such as `git@` stays). */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:?#]*):([^\s/@?#]+)@/gi;
const URL_TOKEN_USER = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:?#]{20,})@/gi;
/** `?name=value` / `&name=value` in URLs and form bodies inside text. */
const QUERY_PAIR = /([?&;])([A-Za-z0-9_.[\]-]+)=([^&#\s"'<>]*)/g;

/**
 * Pure: the text with every credential-shaped value replaced by `[redacted]`;
 * `isSecret` decides which `?name=value` pairs hold secrets.
 */
export function redactShapes(
  text: string,
  isSecret: (name: string, kind: NameKind) => boolean = isBuiltInSecretName,
): string {
  let out = text;
  if (SHAPE_HINT.test(out)) for (const { pattern } of CREDENTIAL_SHAPES) out = out.replace(pattern, REDACTED);
  if (out.includes('@')) {
    out = out
      .replace(URL_PASSWORD, (_all, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`)
      .replace(URL_TOKEN_USER, (_all, scheme: string) => `${scheme}${REDACTED}@`);
  }
  if (out.includes('=')) {
    out = out.replace(QUERY_PAIR, (all, lead: string, name: string, value: string) =>
      value !== '' && value !== REDACTED && isSecret(decodeName(name), 'query')
        ? `${lead}${name}=${REDACTED}`
        : all,
    );
  }
  return out;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** Pure: a URL without its credentials, for messages and `--json` (contracts URLs with tokens). */
export function redactUrl(url: string): string {
  return redactShapes(url);
}
