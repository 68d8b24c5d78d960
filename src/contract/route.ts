/**
 * Which operation of a spec a recorded request belongs to: its concrete path
 * matched against the spec's path templates (a literal segment beats a
 * parameter), the `servers` base path honoured.
 */
import {
  deref,
  HTTP_METHODS,
  type HttpMethod,
  type OpenApiDocument,
  type PathItem,
  serverBasePath,
} from '../spec/document.js';

export interface MatchedOperation {
  method: HttpMethod;
  /** The spec's path template, e.g. `/castles/{id}`. */
  pathTemplate: string;
  operationId?: string;
  /** The OpenAPI Operation object. */
  operation: Record<string, unknown>;
  pathItem: PathItem;
  /** Path parameter values taken from the concrete path, decoded. */
  pathParameters: Record<string, string>;
}

export type RouteResult =
  | { kind: 'found'; match: MatchedOperation }
  | { kind: 'unknown-path' }
  | { kind: 'unknown-method'; pathTemplate: string; allowed: HttpMethod[] };

/** `GET /castles/{id}` or the operationId: how findings name an operation. */
export function operationLabel(
  match: Pick<MatchedOperation, 'method' | 'pathTemplate' | 'operationId'>,
): string {
  return match.operationId ?? `${match.method.toUpperCase()} ${match.pathTemplate}`;
}

/**
 * Finds the operation for `method` and a concrete `path` (no query string).
 * Among templates matching the path, those with the method win; among them
 * the most specific (the first differing segment literal rather than
 * templated). The request path may include the servers base path or not.
 */
export function routeRequest(spec: OpenApiDocument, method: string, path: string): RouteResult {
  const wanted = method.toLowerCase();
  const candidates: { template: string; item: PathItem; parameters: Record<string, string> }[] = [];
  for (const candidatePath of pathCandidates(path, serverBasePath(spec))) {
    for (const [template, rawItem] of Object.entries(spec.paths ?? {})) {
      const item = deref<PathItem>(spec, rawItem);
      if (!item) continue;
      const parameters = matchPathTemplate(template, candidatePath);
      if (parameters) candidates.push({ template, item, parameters });
    }
    if (candidates.length > 0) break;
  }
  if (candidates.length === 0) return { kind: 'unknown-path' };
  candidates.sort((a, b) => compareSpecificity(a.template, b.template));
  for (const candidate of candidates) {
    const operation = candidate.item[wanted];
    if (!isHttpMethod(wanted) || !operation || typeof operation !== 'object') continue;
    const operationObject = operation as Record<string, unknown>;
    const match: MatchedOperation = {
      method: wanted,
      pathTemplate: candidate.template,
      operation: operationObject,
      pathItem: candidate.item,
      pathParameters: candidate.parameters,
    };
    if (typeof operationObject.operationId === 'string') match.operationId = operationObject.operationId;
    return { kind: 'found', match };
  }
  const best = candidates[0]!;
  return {
    kind: 'unknown-method',
    pathTemplate: best.template,
    allowed: HTTP_METHODS.filter((m) => best.item[m] && typeof best.item[m] === 'object'),
  };
}

function isHttpMethod(method: string): method is HttpMethod {
  return (HTTP_METHODS as readonly string[]).includes(method);
}

/** The path without the base path first (when it starts with it), then as recorded. */
function pathCandidates(path: string, basePath: string): string[] {
  if (basePath && (path === basePath || path.startsWith(`${basePath}/`))) {
    return [path.slice(basePath.length) || '/', path];
  }
  return [path];
}

function segmentsOf(path: string): string[] {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return trimmed.split('/').slice(1);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The path parameters when the concrete `path` matches the `template`
 * (`/castles/{id}` matches `/castles/42` with `{ id: '42' }`), else undefined.
 * A trailing slash is ignored; a parameter matches one non-empty segment (or
 * part of one: `/files/{name}.json`).
 */
export function matchPathTemplate(template: string, path: string): Record<string, string> | undefined {
  const templateSegments = segmentsOf(template);
  const pathSegments = segmentsOf(path);
  if (templateSegments.length !== pathSegments.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, templateSegment] of templateSegments.entries()) {
    const segment = safeDecode(pathSegments[index]!);
    if (!templateSegment.includes('{')) {
      if (templateSegment !== segment) return undefined;
      continue;
    }
    const names: string[] = [];
    const pattern = templateSegment
      .split(/(\{[^}]*\})/)
      .map((part) => {
        if (part.startsWith('{') && part.endsWith('}')) {
          names.push(part.slice(1, -1));
          return '(.+?)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    const found = new RegExp(`^${pattern}$`).exec(segment);
    if (!found) return undefined;
    names.forEach((name, i) => {
      parameters[name] = found[i + 1]!;
    });
  }
  return parameters;
}

/** Negative when template `a` is more specific than `b`: literal segments beat templated ones, left to right. */
function compareSpecificity(a: string, b: string): number {
  const left = segmentsOf(a);
  const right = segmentsOf(b);
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const leftLiteral = !left[i]!.includes('{');
    const rightLiteral = !right[i]!.includes('{');
    if (leftLiteral !== rightLiteral) return leftLiteral ? -1 : 1;
  }
  return 0;
}
