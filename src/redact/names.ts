/**
 * Which names carry secrets: header, query parameter, body field, form field
 * and provider-state parameter names. A name is split into words
 * (`Ocp-Apim-Subscription-Key` → ocp apim subscription key, `accessToken` →
 * access token) so `author` is not `auth` and `sortKey` is not an API key.
 */

/** Where a name was found: short names (`key`, `sig`) are secrets in headers and query strings only. */
export type NameKind = 'header' | 'query' | 'field';

/** Always secrets, whatever else the name says. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** A name with one of these words names a secret. */
export const SECRET_WORDS = [
  'auth',
  'authorization',
  'authentication',
  'apikey',
  'token',
  'tokens',
  'secret',
  'secrets',
  'password',
  'passwords',
  'passwd',
  'pwd',
  'passphrase',
  'credential',
  'credentials',
  'signature',
  'cookie',
  'session',
  'sessionid',
  'csrf',
  'xsrf',
  'otp',
  'jwt',
  'privatekey',
  'accesskey',
  'secretkey',
  'cvv',
  'cvc',
] as const;

/** `key` names a secret after one of these words: `apiKey`, `Ocp-Apim-Subscription-Key`, `private_key`. */
export const KEY_QUALIFIERS = [
  'api',
  'subscription',
  'access',
  'secret',
  'private',
  'client',
  'signing',
  'master',
  'account',
  'encryption',
  'app',
  'auth',
  'license',
] as const;

/** Whole names that are secrets in headers and query strings only (`?key=…&sig=…`). */
export const SHORT_NAMES = ['key', 'sig', 'sign', 'code_verifier'] as const;

/**
 * A last word that makes the name describe a secret rather than hold one:
 * `tokenType`, `passwordUpdatedAt`, `sessionTimeout`, `authMethod`.
 */
export const DESCRIBING_WORDS = [
  'type',
  'kind',
  'method',
  'scheme',
  'mode',
  'url',
  'uri',
  'endpoint',
  'expiry',
  'expires',
  'expiration',
  'ttl',
  'timeout',
  'at',
  'date',
  'time',
  'count',
  'length',
  'hint',
  'format',
  'policy',
  'required',
  'enabled',
  'strength',
  'provider',
  'status',
] as const;

const secretWords = new Set<string>(SECRET_WORDS);
const keyQualifiers = new Set<string>(KEY_QUALIFIERS);
const shortNames = new Set<string>(SHORT_NAMES);
const describingWords = new Set<string>(DESCRIBING_WORDS);

/** `Ocp-Apim-Subscription-Key` → [ocp, apim, subscription, key]; `APIKey` → [api, key]. */
export function nameWords(name: string): string[] {
  return (name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []).map((word) => word.toLowerCase());
}

const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 10_000;

/** Pure: whether the built-in list calls this name a secret (remembered: the same names come back all the time). */
export function isBuiltInSecretName(name: string, kind: NameKind): boolean {
  const key = `${kind}:${name}`;
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = judgeName(name, kind);
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(key, verdict);
  }
  return verdict;
}

function judgeName(name: string, kind: NameKind): boolean {
  const lower = name.toLowerCase();
  if (kind === 'header' && SECRET_HEADERS.has(lower)) return true;
  if (kind !== 'field' && shortNames.has(lower)) return true;
  const words = nameWords(name);
  if (words.length === 0) return false;
  if (words.length > 1 && describingWords.has(words[words.length - 1]!)) return false;
  return words.some(
    (word, index) =>
      secretWords.has(word) ||
      ((word === 'key' || word === 'keys') && index > 0 && keyQualifiers.has(words[index - 1]!)),
  );
}
