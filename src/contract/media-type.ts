/** Content types as contracts compare them: `type/subtype`, parameters ignored. */

/** `application/problem+json; charset=utf-8` → `application/problem+json`; undefined when absent or blank. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const essence = contentType?.split(';')[0]?.trim().toLowerCase();
  return essence ? essence : undefined;
}

/** application/json, any `+json` suffix (problem+json, vnd.x+json), and `*\/json`. */
export function isJsonMediaType(mediaType: string | undefined): boolean {
  if (!mediaType) return false;
  const [type, subtype] = mediaType.split('/');
  if (!type || !subtype) return false;
  return subtype === 'json' || subtype.endsWith('+json');
}

/**
 * Whether a response of media type `actual` serves a consumer that received
 * `expected`: equal essences, or both JSON-compatible.
 */
export function mediaTypesCompatible(expected: string, actual: string): boolean {
  return expected === actual || (isJsonMediaType(expected) && isJsonMediaType(actual));
}

/** A header value by case-insensitive name. */
export function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
