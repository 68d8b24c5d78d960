/**
 * What kind of OpenAPI object sits where. Bundling and reference checks must
 * know whether a `$ref` refers to a schema, a parameter or a path item (that
 * decides where a bundled target goes), and must leave example values and
 * extensions alone: a `$ref` key inside an `example` is data, not a reference.
 */

/** The flavour of document: it decides the object kinds and where reusable objects live. */
export type SpecFlavour = 'swagger-2.0' | 'openapi-3';

export type NodeKind =
  | 'root'
  | 'paths'
  | 'pathItem'
  | 'pathItemMap'
  | 'operation'
  | 'parameter'
  | 'parameterMap'
  | 'requestBody'
  | 'requestBodyMap'
  | 'responses'
  | 'response'
  | 'responseMap'
  | 'contentMap'
  | 'mediaType'
  | 'encodingMap'
  | 'encoding'
  | 'header'
  | 'headerMap'
  | 'example'
  | 'exampleMap'
  | 'link'
  | 'linkMap'
  | 'callback'
  | 'callbackMap'
  | 'securityScheme'
  | 'securitySchemeMap'
  | 'components'
  | 'schema'
  | 'schemaMap'
  | 'discriminator'
  /** Structure without references we know of (info, servers, tags): walked generically. */
  | 'other'
  /** Values that are data (examples, defaults, enums, extensions): never walked. */
  | 'data';

/** Kinds whose keys are names chosen by the author: a `$ref` key there is a name, not a reference. */
const MAP_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>([
  'paths',
  'pathItemMap',
  'parameterMap',
  'requestBodyMap',
  'responses',
  'responseMap',
  'contentMap',
  'encodingMap',
  'headerMap',
  'exampleMap',
  'linkMap',
  'callback',
  'callbackMap',
  'securitySchemeMap',
  'schemaMap',
]);

const MAP_ELEMENT: Partial<Record<NodeKind, NodeKind>> = {
  paths: 'pathItem',
  pathItemMap: 'pathItem',
  parameterMap: 'parameter',
  requestBodyMap: 'requestBody',
  responses: 'response',
  responseMap: 'response',
  contentMap: 'mediaType',
  encodingMap: 'encoding',
  headerMap: 'header',
  exampleMap: 'example',
  linkMap: 'link',
  callback: 'pathItem',
  callbackMap: 'callback',
  securitySchemeMap: 'securityScheme',
  schemaMap: 'schema',
};

const SCHEMA_CHILDREN: Record<string, NodeKind> = {
  properties: 'schemaMap',
  patternProperties: 'schemaMap',
  $defs: 'schemaMap',
  definitions: 'schemaMap',
  dependentSchemas: 'schemaMap',
  items: 'schema',
  prefixItems: 'schema',
  additionalItems: 'schema',
  unevaluatedItems: 'schema',
  contains: 'schema',
  additionalProperties: 'schema',
  unevaluatedProperties: 'schema',
  propertyNames: 'schema',
  allOf: 'schema',
  anyOf: 'schema',
  oneOf: 'schema',
  not: 'schema',
  if: 'schema',
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `then` keyword; this table is never awaited
  then: 'schema',
  else: 'schema',
  contentSchema: 'schema',
  discriminator: 'discriminator',
};

const OBJECT_CHILDREN: Partial<Record<NodeKind, Record<string, NodeKind>>> = {
  pathItem: {
    parameters: 'parameter',
    get: 'operation',
    put: 'operation',
    post: 'operation',
    delete: 'operation',
    options: 'operation',
    head: 'operation',
    patch: 'operation',
    trace: 'operation',
    servers: 'other',
  },
  operation: {
    parameters: 'parameter',
    requestBody: 'requestBody',
    responses: 'responses',
    callbacks: 'callbackMap',
    servers: 'other',
  },
  parameter: { schema: 'schema', content: 'contentMap', examples: 'exampleMap', items: 'schema' },
  header: { schema: 'schema', content: 'contentMap', examples: 'exampleMap', items: 'schema' },
  requestBody: { content: 'contentMap' },
  response: { content: 'contentMap', headers: 'headerMap', links: 'linkMap', schema: 'schema' },
  mediaType: { schema: 'schema', examples: 'exampleMap', encoding: 'encodingMap' },
  encoding: { headers: 'headerMap' },
  components: {
    schemas: 'schemaMap',
    responses: 'responseMap',
    parameters: 'parameterMap',
    examples: 'exampleMap',
    requestBodies: 'requestBodyMap',
    headers: 'headerMap',
    securitySchemes: 'securitySchemeMap',
    links: 'linkMap',
    callbacks: 'callbackMap',
    pathItems: 'pathItemMap',
  },
  schema: SCHEMA_CHILDREN,
  discriminator: { mapping: 'data' },
};

const ROOT_CHILDREN: Record<SpecFlavour, Record<string, NodeKind>> = {
  'openapi-3': { paths: 'paths', webhooks: 'pathItemMap', components: 'components' },
  'swagger-2.0': {
    paths: 'paths',
    definitions: 'schemaMap',
    parameters: 'parameterMap',
    responses: 'responseMap',
  },
};

/** Kinds whose unknown keys hold only data (plain values chosen by the author). */
const DATA_BY_DEFAULT: ReadonlySet<NodeKind> = new Set<NodeKind>([
  'schema',
  'parameter',
  'header',
  'mediaType',
  'example',
  'link',
  'securityScheme',
  'discriminator',
  'requestBody',
  'response',
  'encoding',
]);

export function isMapKind(kind: NodeKind): boolean {
  return MAP_KINDS.has(kind);
}

/** The kind of the value under `key` in an object of kind `kind` (arrays keep their kind for elements). */
export function childKind(flavour: SpecFlavour, kind: NodeKind, key: string): NodeKind {
  if (kind === 'data') return 'data';
  if (key.startsWith('x-')) return 'data';
  const element = MAP_ELEMENT[kind];
  if (element) return element;
  if (kind === 'root') return ROOT_CHILDREN[flavour][key] ?? 'other';
  if (kind === 'other') return 'other';
  const known = OBJECT_CHILDREN[kind]?.[key];
  if (known) return known;
  return DATA_BY_DEFAULT.has(kind) ? 'data' : 'other';
}

/**
 * Where reusable objects of each kind live in the bundled document. Kinds
 * without an entry (path items, anything unusual) are inlined instead.
 */
export const COMPONENT_HOME: Record<SpecFlavour, Partial<Record<NodeKind, string[]>>> = {
  'openapi-3': {
    schema: ['components', 'schemas'],
    response: ['components', 'responses'],
    parameter: ['components', 'parameters'],
    example: ['components', 'examples'],
    requestBody: ['components', 'requestBodies'],
    header: ['components', 'headers'],
    securityScheme: ['components', 'securitySchemes'],
    link: ['components', 'links'],
    callback: ['components', 'callbacks'],
  },
  'swagger-2.0': {
    schema: ['definitions'],
    parameter: ['parameters'],
    response: ['responses'],
  },
};

export interface RefSite {
  /** The `$ref` string as written. */
  ref: string;
  /** JSON pointer of the object holding the `$ref`. */
  pointer: string;
  kind: NodeKind;
  /** The object holding the `$ref` (absent for a discriminator mapping value). */
  holder?: Record<string, unknown>;
}

export function encodeSegment(segment: string): string {
  if (!segment.includes('~') && !segment.includes('/')) return segment;
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Decodes one segment of a `$ref` fragment: percent-encoding, then JSON pointer escapes. */
export function decodeSegment(raw: string): string {
  let text = raw;
  if (raw.includes('%')) {
    try {
      text = decodeURIComponent(raw);
    } catch {
      // A stray '%' is taken literally.
    }
  }
  return text.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The value at a `$ref` fragment (a JSON pointer, '' for the whole document), or undefined. */
export function resolveFragment(document: unknown, fragment: string): unknown {
  if (fragment === '') return document;
  let node: unknown = document;
  for (const raw of fragment.split('/').slice(1)) {
    const segment = decodeSegment(raw);
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(segment)) return undefined;
      node = node[Number(segment)];
    } else if (node !== null && typeof node === 'object' && Object.hasOwn(node, segment)) {
      node = (node as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return node;
}

/**
 * Calls `visit` for every reference in `document` (every `$ref` in a place
 * where OpenAPI allows one, and discriminator mapping values that are refs),
 * in document order.
 */
export function forEachRef(document: unknown, flavour: SpecFlavour, visit: (site: RefSite) => void): void {
  const names = schemaNames(document, flavour);
  // Keys down to the current node; the pointer string is only built for references.
  const path: string[] = [];
  const pointer = (...more: string[]): string =>
    [...path, ...more].map((s) => `/${encodeSegment(s)}`).join('');
  const walk = (node: unknown, kind: NodeKind): void => {
    if (kind === 'data' || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(String(i));
        walk(node[i], kind);
        path.pop();
      }
      return;
    }
    const record = node as Record<string, unknown>;
    const isRef = !isMapKind(kind) && typeof record.$ref === 'string';
    if (isRef) visit({ ref: record.$ref as string, pointer: pointer(), kind, holder: record });
    if (kind === 'discriminator') {
      const mapping = record.mapping;
      if (mapping && typeof mapping === 'object') {
        for (const [name, value] of Object.entries(mapping)) {
          if (typeof value === 'string' && isMappingRef(value, names)) {
            visit({ ref: value, pointer: pointer('mapping', name), kind: 'schema' });
          }
        }
      }
    }
    for (const key of Object.keys(record)) {
      if (isRef && key === '$ref') continue;
      path.push(key);
      walk(record[key], childKind(flavour, kind, key));
      path.pop();
    }
  };
  walk(document, 'root');
}

/** What OpenAPI allows as a component name: a mapping value of this shape names a schema. */
const COMPONENT_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * Whether a discriminator mapping value is a URI reference (`#/components/schemas/Cat`,
 * `./cat.yaml`, `pets.yaml#/Cat`) rather than a schema name (`Cat`). OpenAPI 3.0.4 and 3.1.1
 * recommend reading a value that could be either as a name (authors write `./cat` to mean a
 * file). Specs written before that clarification map to `cat.yaml`: a value ending in
 * `.yaml`, `.yml` or `.json` is a file unless the entry document has a schema of that name.
 */
export function isMappingRef(value: string, schemaNames: ReadonlySet<string>): boolean {
  if (!COMPONENT_NAME.test(value)) return true;
  return /\.(ya?ml|json)$/i.test(value) && !schemaNames.has(value);
}

/** The names of the schemas an entry document declares, which mapping values may name. */
export function schemaNames(document: unknown, flavour: SpecFlavour): Set<string> {
  let node = document;
  for (const key of COMPONENT_HOME[flavour].schema ?? []) {
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return new Set(node !== null && typeof node === 'object' && !Array.isArray(node) ? Object.keys(node) : []);
}
