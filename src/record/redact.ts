import type { BodyPath } from '../contract/body-path.js';

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

/** Pure: query parameters with the values of secret names (`api_key`, `token`, configured ones) replaced. */
export function redactQuery(
  query: Record<string, string | string[]>,
  extra: string[] = [],
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(query)) {
    out[name] = !isSecretHeader(name, extra)
      ? value
      : Array.isArray(value)
        ? value.map(() => REDACTED)
        : REDACTED;
  }
  return out;
}

/**
 * Pure: a body with the value at every path replaced, keeping its JSON type
 * so verification still checks the field: strings become `[redacted]`,
 * numbers 0, booleans false, objects `{}`, arrays `[]`. `[]` in a path
 * reaches every element of an array. Paths that name nothing are ignored.
 */
export function redactBody(body: unknown, paths: readonly BodyPath[]): unknown {
  return paths.reduce((current, path) => redactAt(current, path, 0), body);
}

function redactAt(value: unknown, path: BodyPath, index: number): unknown {
  if (index === path.length) return placeholder(value);
  const segment = path[index]!;
  if (segment.kind === 'every') {
    return Array.isArray(value) ? value.map((element) => redactAt(element, path, index + 1)) : value;
  }
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    !Object.hasOwn(value, segment.name)
  ) {
    return value;
  }
  const record = value as Record<string, unknown>;
  return { ...record, [segment.name]: redactAt(record[segment.name], path, index + 1) };
}

function placeholder(value: unknown): unknown {
  if (Array.isArray(value)) return [];
  switch (typeof value) {
    case 'string':
      return REDACTED;
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'object':
      return value === null ? null : {};
    default:
      return value;
  }
}
