/**
 * The shape of a bundled OpenAPI document as entente handles it: plain JSON,
 * OpenAPI 3.0.x or 3.1.x, with internal `#/...` `$ref`s only.
 */
export type OpenApiDocument = {
  openapi: string;
  info?: { title?: string; version?: string; [key: string]: unknown };
  servers?: { url: string; [key: string]: unknown }[];
  paths?: Record<string, PathItem | undefined>;
  components?: Record<string, Record<string, unknown> | undefined>;
  [key: string]: unknown;
};

export type PathItem = Record<string, unknown>;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Decodes one JSON Pointer segment (RFC 6901). */
export function decodePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function encodePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The value an internal `$ref` (`#/components/schemas/Castle`) points at, or undefined. */
export function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const pointer = ref.slice(1);
  if (pointer === '') return document;
  let node: unknown = document;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = decodePointerSegment(decodeURIComponent(raw));
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/**
 * Follows `$ref` chains until a node without `$ref` (or a cycle, or a dangling
 * ref: then undefined).
 */
export function deref<T = unknown>(document: unknown, node: unknown): T | undefined {
  const seen = new Set<string>();
  let current = node;
  while (current && typeof current === 'object' && typeof (current as { $ref?: unknown }).$ref === 'string') {
    const ref = (current as { $ref: string }).$ref;
    if (seen.has(ref)) return undefined;
    seen.add(ref);
    current = resolvePointer(document, ref);
  }
  return current as T | undefined;
}

/**
 * The base path of the first `servers` entry (`https://x/api/v1` → `/api/v1`),
 * server variables replaced by their defaults; '' when none.
 */
export function serverBasePath(document: OpenApiDocument): string {
  const server = document.servers?.[0];
  if (!server?.url) return '';
  const variables = (server.variables ?? {}) as Record<string, { default?: unknown }>;
  const withoutVariables = server.url.replace(/\{([^}]*)\}/g, (_, name: string) =>
    String(variables[name]?.default ?? 'x'),
  );
  let path: string;
  try {
    path = new URL(withoutVariables, 'http://placeholder').pathname;
  } catch {
    return '';
  }
  path = decodeURI(path).replace(/\/+$/, '');
  return path === '/' ? '' : path;
}
