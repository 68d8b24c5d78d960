/**
 * The operations of a document, and routing a concrete request path to one
 * of them by the spec's path templates.
 */
import { deref, HTTP_METHODS, type HttpMethod, type OpenApiDocument, serverBasePath } from './document.js';
import { type SegmentRegExp, segmentRegExp } from './linear-regexp.js';

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface ParameterObject {
  name: string;
  in: ParameterLocation;
  required?: boolean;
  schema?: unknown;
  content?: Record<string, { schema?: unknown } | undefined>;
  style?: string;
  explode?: boolean;
  [key: string]: unknown;
}

export interface SpecOperation {
  operationId?: string;
  /** `GET /castles/{id}`: how an operation without an operationId is named. */
  operationKey: string;
  method: HttpMethod;
  template: string;
  /** The Operation Object itself. */
  operation: Record<string, unknown>;
  /** Path-level and operation-level parameters merged (the operation's win), `$ref`s followed. */
  parameters: ParameterObject[];
}

export type RouteResult =
  | {
      kind: 'match';
      operation: SpecOperation;
      operationId?: string;
      operationKey: string;
      template: string;
      /** Path parameters, percent-decoded. */
      params: Record<string, string>;
    }
  | { kind: 'method-not-allowed'; template: string; allowed: string[] }
  | { kind: 'not-found' };

export interface Router {
  readonly operations: readonly SpecOperation[];
  /** The server base path requests are expected under ('' when none). */
  readonly basePath: string;
  /** Routes a live request: the path must be under the base path, exactly as sent. */
  route(method: string, path: string): RouteResult;
  /**
   * Routes a recorded request (a contract's interaction, an imported pact):
   * the base path may be there or not, and a trailing slash is ignored.
   */
  routeRecorded(method: string, path: string): RouteResult;
  /** An operation by operationId or by `METHOD /template`. */
  find(operation: string): SpecOperation | undefined;
}

/** Every operation of the document, in document order. */
export function listOperations(document: OpenApiDocument): SpecOperation[] {
  const operations: SpecOperation[] = [];
  for (const [template, rawItem] of Object.entries(document.paths ?? {})) {
    const item = deref<Record<string, unknown>>(document, rawItem);
    if (!item) continue;
    const shared = parametersOf(document, item.parameters);
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation || typeof operation !== 'object') continue;
      const op = operation as Record<string, unknown>;
      const own = parametersOf(document, op.parameters);
      const parameters = [
        ...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)),
        ...own,
      ];
      operations.push({
        ...(typeof op.operationId === 'string' ? { operationId: op.operationId } : {}),
        operationKey: `${method.toUpperCase()} ${template}`,
        method,
        template,
        operation: op,
        parameters,
      });
    }
  }
  return operations;
}

function parametersOf(document: OpenApiDocument, list: unknown): ParameterObject[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((p) => deref<ParameterObject>(document, p))
    .filter((p): p is ParameterObject => !!p && typeof p.name === 'string' && typeof p.in === 'string');
}

type Segment = { kind: 'literal'; text: string } | { kind: 'pattern'; regex: SegmentRegExp; names: string[] };

interface Node {
  literals: Map<string, Node>;
  patterns: { regex: SegmentRegExp; names: string[]; node: Node }[];
  /** A single-parameter segment (`{id}`); tried after literals and mixed segments. */
  param?: { node: Node };
  template?: string;
}

const routers = new WeakMap<OpenApiDocument, Router>();

/** The router of a document, built once per document object. */
export function routerFor(document: OpenApiDocument): Router {
  let router = routers.get(document);
  if (!router) {
    router = createRouter(document);
    routers.set(document, router);
  }
  return router;
}

/** Routes `method` + concrete `path` (no query string) with the document's cached router. */
export function routeRequest(document: OpenApiDocument, method: string, path: string): RouteResult {
  return routerFor(document).route(method, path);
}

/** Routes a recorded request with the document's cached router (see `Router.routeRecorded`). */
export function routeRecordedRequest(document: OpenApiDocument, method: string, path: string): RouteResult {
  return routerFor(document).routeRecorded(method, path);
}

/**
 * The path parameters (percent-decoded) when the concrete `path` matches the
 * `template` (`/castles/{id}` matches `/castles/42` with `{ id: '42' }`),
 * else undefined. A trailing slash is ignored; a parameter matches one
 * non-empty segment or part of one (`/files/{name}.json`).
 */
export function matchPathTemplate(template: string, path: string): Record<string, string> | undefined {
  const templateSegments = segmentsOf(withoutTrailingSlash(template));
  const pathSegments = segmentsOf(withoutTrailingSlash(path));
  if (templateSegments.length !== pathSegments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, raw] of templateSegments.entries()) {
    const segment = parseSegment(raw);
    const concrete = pathSegments[index]!;
    if (segment.kind === 'literal') {
      if (segment.text !== safeDecode(concrete)) return undefined;
      continue;
    }
    const match = segment.regex.exec(concrete);
    if (!match) return undefined;
    segment.names.forEach((name, i) => {
      params[name] = safeDecode(match[i + 1] ?? '');
    });
  }
  return params;
}

/** `path` relative to `basePath` when it is under it, else undefined. */
export function underBasePath(path: string, basePath: string): string | undefined {
  if (!basePath) return path;
  if (path !== basePath && !path.startsWith(`${basePath}/`)) return undefined;
  return path.slice(basePath.length) || '/';
}

export function createRouter(document: OpenApiDocument): Router {
  const operations = listOperations(document);
  const byTemplate = new Map<string, Map<string, SpecOperation>>();
  const byName = new Map<string, SpecOperation>();
  for (const op of operations) {
    let methods = byTemplate.get(op.template);
    if (!methods) {
      methods = new Map();
      byTemplate.set(op.template, methods);
    }
    methods.set(op.method, op);
    byName.set(op.operationKey, op);
    if (op.operationId) byName.set(op.operationId, op);
  }
  const root: Node = newNode();
  for (const template of byTemplate.keys()) insert(root, template);
  const basePath = serverBasePath(document);

  /** Routes a path already relative to the base path. */
  const routeRelative = (method: string, path: string): RouteResult => {
    const matches: { template: string; params: Record<string, string> }[] = [];
    collect(root, segmentsOf(path), 0, [], matches);
    if (matches.length === 0) return { kind: 'not-found' };
    const wanted = method.toLowerCase();
    for (const match of matches) {
      const operation = byTemplate.get(match.template)?.get(wanted as HttpMethod);
      if (operation) {
        return {
          kind: 'match',
          operation,
          ...(operation.operationId ? { operationId: operation.operationId } : {}),
          operationKey: operation.operationKey,
          template: match.template,
          params: match.params,
        };
      }
    }
    const best = matches[0]!;
    const allowed = [...(byTemplate.get(best.template)?.keys() ?? [])].map((m) => m.toUpperCase());
    return { kind: 'method-not-allowed', template: best.template, allowed };
  };

  return {
    operations,
    basePath,
    find: (name) => byName.get(name),
    route(method, path) {
      const relative = underBasePath(path, basePath);
      return relative === undefined ? { kind: 'not-found' } : routeRelative(method, relative);
    },
    routeRecorded(method, rawPath) {
      const path = withoutTrailingSlash(rawPath);
      const relative = basePath ? underBasePath(path, basePath) : undefined;
      const result =
        relative === undefined ? { kind: 'not-found' as const } : routeRelative(method, relative);
      return result.kind === 'not-found' ? routeRelative(method, path) : result;
    },
  };
}

function segmentsOf(path: string): string[] {
  return path.split('/').slice(1);
}

function withoutTrailingSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}

function newNode(): Node {
  return { literals: new Map(), patterns: [] };
}

function insert(root: Node, template: string): void {
  let node = root;
  for (const raw of segmentsOf(template)) {
    const segment = parseSegment(raw);
    if (segment.kind === 'literal') {
      let next = node.literals.get(segment.text);
      if (!next) {
        next = newNode();
        node.literals.set(segment.text, next);
      }
      node = next;
    } else if (segment.names.length === 1 && segment.regex.source === '^(.+)$') {
      node.param ??= { node: newNode() };
      node = node.param.node;
    } else {
      let entry = node.patterns.find((p) => p.regex.source === segment.regex.source);
      if (!entry) {
        entry = { ...segment, node: newNode() };
        node.patterns.push(entry);
      }
      node = entry.node;
    }
  }
  node.template ??= template;
}

function parseSegment(raw: string): Segment {
  if (!raw.includes('{')) return { kind: 'literal', text: raw };
  const names: string[] = [];
  const source = raw
    .split(/(\{[^}]*\})/)
    .map((part) => {
      const name = /^\{([^}]*)\}$/.exec(part)?.[1];
      if (name === undefined) return escapeRegex(part);
      names.push(name);
      return '(.+)';
    })
    .join('');
  // Lazy quantifiers would make `{a}.{b}` ambiguous in another way; greedy is what most routers do.
  return { kind: 'pattern', regex: segmentRegExp(`^${source}$`), names };
}

/**
 * Depth-first, literals before mixed segments before whole-segment parameters: best match first.
 * Parameter values are collected in order and named by the matched template itself: templates
 * sharing a prefix may name the same position differently (`/commits/{commit_sha}/comments`,
 * `/commits/{ref}/status`).
 */
function collect(
  node: Node,
  segments: string[],
  index: number,
  values: string[],
  out: { template: string; params: Record<string, string> }[],
): void {
  if (index === segments.length) {
    if (node.template) out.push({ template: node.template, params: nameValues(node.template, values) });
    return;
  }
  const segment = segments[index]!;
  const literal = node.literals.get(safeDecode(segment));
  if (literal) collect(literal, segments, index + 1, values, out);
  if (segment === '') return;
  for (const pattern of node.patterns) {
    const match = pattern.regex.exec(segment);
    if (!match) continue;
    const found = pattern.names.map((_, i) => safeDecode(match[i + 1] ?? ''));
    collect(pattern.node, segments, index + 1, [...values, ...found], out);
  }
  if (node.param) {
    collect(node.param.node, segments, index + 1, [...values, safeDecode(segment)], out);
  }
}

function nameValues(template: string, values: string[]): Record<string, string> {
  const names = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
  return Object.fromEntries(names.map((name, i) => [name, values[i] ?? '']));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
