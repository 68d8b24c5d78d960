/** What a redacted value is replaced with, everywhere. Verification puts real values back (see `--header`). */
export const REDACTED = '[redacted]';

const ALWAYS_SECRET = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
const SECRET_PATTERNS = [/api[-_]?key/i, /token/i, /secret/i, /password/i, /session/i];

/** Whether a header carries a secret: the standard credential headers, `*api-key*`, `*token*`, and the configured ones. */
export function isSecretHeader(name: string, extra: string[] = []): boolean {
  const lower = name.toLowerCase();
  return (
    ALWAYS_SECRET.has(lower) ||
    SECRET_PATTERNS.some((p) => p.test(lower)) ||
    extra.some((e) => e.toLowerCase() === lower)
  );
}

/** Pure: headers with every secret value replaced. Header names are lower-cased. */
export function redactHeaders(
  headers: Record<string, string> | undefined,
  extra: string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    out[name.toLowerCase()] = isSecretHeader(name, extra) ? REDACTED : value;
  }
  return out;
}
