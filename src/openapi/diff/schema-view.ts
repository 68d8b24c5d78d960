import { deref, encodePointerSegment } from '../document.js';

/** A schema node as written, and the JSON pointer where it sits. */
export interface SchemaRef {
  node: unknown;
  pointer: string;
}

export interface Bound {
  value: number;
  exclusive: boolean;
}

/** Numeric, length and size constraints, with 3.0 and 3.1 exclusive bounds normalised. */
export interface Constraints {
  lower?: Bound;
  upper?: Bound;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  pattern?: string;
  uniqueItems?: boolean;
  minContains?: number;
  maxContains?: number;
}

/**
 * A schema flattened for comparison: `$ref`s followed, `allOf` merged,
 * `oneOf`/`anyOf` folded into what any branch may hold (types, properties and
 * enum values of every branch; only the properties every branch requires are
 * required). Children stay lazy (`SchemaRef`) so recursive schemas are fine.
 */
export interface SchemaView {
  /** Unique per view: the key for memoised comparisons. */
  id: number;
  pointer: string;
  /** JSON types other than null; undefined means any. */
  types?: ReadonlySet<string>;
  nullable: boolean;
  format?: string;
  enum?: readonly unknown[];
  constraints: Constraints;
  properties: ReadonlyMap<string, SchemaRef>;
  required: ReadonlySet<string>;
  /** false when closed; a schema when every extra property must match one; undefined when open. */
  additionalProperties?: false | SchemaRef;
  items?: SchemaRef;
  readOnly: boolean;
  writeOnly: boolean;
  /** The schema object as written (its `$ref` followed), for the keywords compared as written. */
  node?: Readonly<Record<string, unknown>>;
}

/** Keys that sit beside a `$ref` without changing what it validates. */
const ANNOTATION_KEYS = new Set([
  '$ref',
  'description',
  'summary',
  'title',
  'example',
  'examples',
  'deprecated',
]);

/** Builds and caches the views of one document's schemas. */
export class SchemaViews {
  private readonly cache = new WeakMap<object, SchemaView>();
  private readonly building = new WeakSet<object>();
  private static nextId = 0;
  private readonly anyView: SchemaView;

  constructor(private readonly document: unknown) {
    this.anyView = this.create({ pointer: '' });
  }

  view(ref: SchemaRef): SchemaView {
    let { node, pointer } = ref;
    if (
      isObject(node) &&
      typeof node.$ref === 'string' &&
      Object.keys(node).every((k) => ANNOTATION_KEYS.has(k))
    ) {
      pointer = node.$ref.startsWith('#') ? node.$ref.slice(1) : node.$ref;
      node = deref(this.document, node);
    }
    if (!isObject(node)) return node === undefined ? this.anyView : this.create({ pointer });
    const cached = this.cache.get(node);
    if (cached) return cached;
    if (this.building.has(node)) return this.create({ pointer });
    this.building.add(node);
    try {
      const view = this.build(node, pointer);
      this.cache.set(node, view);
      return view;
    } finally {
      this.building.delete(node);
    }
  }

  private build(node: Record<string, unknown>, pointer: string): SchemaView {
    const own = this.ownView(node, pointer);
    const allOf = Array.isArray(node.allOf) ? node.allOf : [];
    const members = allOf.map((member, i) => this.view({ node: member, pointer: `${pointer}/allOf/${i}` }));
    if (isObject(node) && typeof node.$ref === 'string') {
      members.push(this.view({ node: { $ref: node.$ref }, pointer }));
    }
    let view = members.reduce(mergeAll, own);
    if (members.length > 0) view = { ...view, nullable: own.nullable || members.every((m) => m.nullable) };
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const branches = node[keyword];
      if (!Array.isArray(branches) || branches.length === 0) continue;
      const branchViews = branches.map((branch, i) =>
        this.view({ node: branch, pointer: `${pointer}/${keyword}/${i}` }),
      );
      const union = unionOf(branchViews, pointer);
      view = { ...mergeAll(view, union), nullable: view.nullable || union.nullable };
    }
    return { ...view, id: SchemaViews.nextId++, pointer, node };
  }

  private ownView(node: Record<string, unknown>, pointer: string): SchemaView {
    const rawTypes = typeof node.type === 'string' ? [node.type] : Array.isArray(node.type) ? node.type : [];
    const typeNames = rawTypes.filter((t): t is string => typeof t === 'string');
    let types: Set<string> | undefined = new Set(typeNames.filter((t) => t !== 'null'));
    // `type: 'null'` alone (a nullable wrapper's branch) holds nothing but null: no other type, not any.
    if (types.size === 0 && typeNames.length === 0) {
      if (isObject(node.properties) || isObject(node.additionalProperties)) types = new Set(['object']);
      else if (isObject(node.items)) types = new Set(['array']);
      else types = undefined;
    }
    let enumValues: unknown[] | undefined;
    if (Array.isArray(node.enum)) enumValues = node.enum;
    else if ('const' in node) enumValues = [node.const];
    const nullable =
      node.nullable === true || typeNames.includes('null') || (enumValues?.includes(null) ?? false);
    const properties = new Map<string, SchemaRef>();
    if (isObject(node.properties)) {
      for (const [name, schema] of Object.entries(node.properties)) {
        properties.set(name, {
          node: schema,
          pointer: `${pointer}/properties/${encodePointerSegment(name)}`,
        });
      }
    }
    const required = new Set(
      Array.isArray(node.required) ? node.required.filter((r): r is string => typeof r === 'string') : [],
    );
    let additionalProperties: false | SchemaRef | undefined;
    if (node.additionalProperties === false) additionalProperties = false;
    else if (isObject(node.additionalProperties)) {
      additionalProperties = { node: node.additionalProperties, pointer: `${pointer}/additionalProperties` };
    }
    return this.create({
      pointer,
      types,
      nullable,
      format: typeof node.format === 'string' ? node.format : undefined,
      enum: enumValues?.filter((v) => v !== null),
      constraints: constraintsOf(node),
      properties,
      required,
      additionalProperties,
      items: isObject(node.items) ? { node: node.items, pointer: `${pointer}/items` } : undefined,
      readOnly: node.readOnly === true,
      writeOnly: node.writeOnly === true,
    });
  }

  private create(fields: Partial<SchemaView> & { pointer: string }): SchemaView {
    return {
      id: SchemaViews.nextId++,
      nullable: false,
      constraints: {},
      properties: new Map(),
      required: new Set(),
      readOnly: false,
      writeOnly: false,
      ...fields,
    };
  }
}

function constraintsOf(node: Record<string, unknown>): Constraints {
  const num = (key: string) => (typeof node[key] === 'number' ? (node[key] as number) : undefined);
  const constraints: Constraints = {};
  const minimum = num('minimum');
  const maximum = num('maximum');
  // 3.0 writes exclusive bounds as booleans beside minimum/maximum; 3.1 as numbers.
  if (typeof node.exclusiveMinimum === 'number')
    constraints.lower = { value: node.exclusiveMinimum, exclusive: true };
  else if (minimum !== undefined)
    constraints.lower = { value: minimum, exclusive: node.exclusiveMinimum === true };
  if (typeof node.exclusiveMaximum === 'number')
    constraints.upper = { value: node.exclusiveMaximum, exclusive: true };
  else if (maximum !== undefined)
    constraints.upper = { value: maximum, exclusive: node.exclusiveMaximum === true };
  for (const key of [
    'multipleOf',
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
    'minProperties',
    'maxProperties',
    'minContains',
    'maxContains',
  ] as const) {
    const value = num(key);
    if (value !== undefined) constraints[key] = value;
  }
  if (typeof node.pattern === 'string') constraints.pattern = node.pattern;
  if (node.uniqueItems === true) constraints.uniqueItems = true;
  return constraints;
}

/** allOf: both apply; `a` wins where only one value can be kept. */
function mergeAll(a: SchemaView, b: SchemaView): SchemaView {
  const properties = new Map(a.properties);
  for (const [name, schema] of b.properties) if (!properties.has(name)) properties.set(name, schema);
  return {
    ...a,
    types: intersectTypes(a.types, b.types),
    format: a.format ?? b.format,
    enum: a.enum ?? b.enum,
    constraints: { ...b.constraints, ...definedOnly(a.constraints) },
    properties,
    required: new Set([...a.required, ...b.required]),
    additionalProperties: a.additionalProperties ?? b.additionalProperties,
    items: a.items ?? b.items,
    readOnly: a.readOnly || b.readOnly,
    writeOnly: a.writeOnly || b.writeOnly,
  };
}

/** oneOf/anyOf: what any branch may hold. */
function unionOf(branches: SchemaView[], pointer: string): SchemaView {
  const properties = new Map<string, SchemaRef>();
  for (const branch of branches) {
    for (const [name, schema] of branch.properties) if (!properties.has(name)) properties.set(name, schema);
  }
  const [first, ...rest] = branches as [SchemaView, ...SchemaView[]];
  const required = new Set([...first.required].filter((name) => rest.every((b) => b.required.has(name))));
  const anyType = branches.some((b) => b.types === undefined);
  const formats = new Set(branches.map((b) => b.format));
  const allEnums = branches.every((b) => b.enum !== undefined);
  return {
    id: -1,
    pointer,
    types: anyType ? undefined : new Set(branches.flatMap((b) => [...(b.types ?? [])])),
    nullable: branches.some((b) => b.nullable),
    format: formats.size === 1 ? first.format : undefined,
    enum: allEnums ? branches.flatMap((b) => b.enum ?? []) : undefined,
    constraints: {},
    properties,
    required,
    additionalProperties: branches.every((b) => b.additionalProperties === false) ? false : undefined,
    items: branches.find((b) => b.items)?.items,
    readOnly: branches.every((b) => b.readOnly),
    writeOnly: branches.every((b) => b.writeOnly),
  };
}

function intersectTypes(
  a: ReadonlySet<string> | undefined,
  b: ReadonlySet<string> | undefined,
): ReadonlySet<string> | undefined {
  if (!a) return b;
  if (!b) return a;
  const both = new Set([...a].filter((t) => b.has(t)));
  if ((a.has('integer') && b.has('number')) || (a.has('number') && b.has('integer'))) both.add('integer');
  return both.size > 0 ? both : a;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
