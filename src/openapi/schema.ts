/**
 * OpenAPI Schema Objects → JSON Schema that Ajv accepts.
 *
 * OpenAPI 3.0 schemas are a dialect of draft 4/5 (`nullable`, boolean
 * `exclusiveMinimum`, `discriminator`); OpenAPI 3.1 schemas are JSON Schema
 * 2020-12 with a few annotations. Both need `readOnly`/`writeOnly` applied by
 * direction and Ajv-incompatible keywords removed. Every `$ref` a schema
 * reaches is converted once and copied into the root's `$defs`, so a result is
 * self-contained and compiles on its own.
 */
import { deref, type OpenApiDocument, resolvePointer } from './document.js';

export type JsonSchema = { [keyword: string]: unknown } | boolean;
export type JsonSchemaObject = { [keyword: string]: unknown };

/** Requests: `readOnly` properties are not required and not checked. Responses: the same for `writeOnly`. */
export type SchemaDirection = 'request' | 'response';

export interface ConvertOptions {
  direction: SchemaDirection;
  /**
   * Drop every `required`: the value lists only some fields (a partial
   * fixture), so only the fields present are checked.
   */
  partial?: boolean;
}

/** JSON Schema dialect of the converted schemas: draft-07 for OpenAPI 3.0, 2020-12 for 3.1. */
export type SchemaDialect = 'draft-07' | '2020-12';

export function schemaDialect(document: OpenApiDocument): SchemaDialect {
  return /^3\.1\./.test(document.openapi) ? '2020-12' : 'draft-07';
}

/** Keywords OpenAPI allows in schemas that are not validation keywords (or that Ajv rejects). */
const DROPPED = new Set([
  'example',
  'examples',
  'xml',
  'externalDocs',
  'deprecated',
  'discriminator',
  'nullable',
]);

const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'];
const SCHEMA_KEYWORDS = [
  'additionalProperties',
  'items',
  'additionalItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
];
const SCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

/**
 * Converts `schema` (any node of `document`, possibly a `$ref`) into a
 * self-contained JSON Schema: the converted node plus `$defs` holding every
 * schema it references, converted the same way.
 */
export function toJsonSchema(
  document: OpenApiDocument,
  schema: unknown,
  options: ConvertOptions,
): JsonSchemaObject {
  const converter = new Converter(document, options);
  const root = converter.convert(schema);
  const rootObject: JsonSchemaObject = typeof root === 'boolean' ? (root ? {} : { not: {} }) : root;
  if (converter.defs.size === 0) return rootObject;
  const defs = Object.fromEntries(converter.defs);
  return { ...rootObject, $defs: { ...(rootObject.$defs as object | undefined), ...defs } };
}

class Converter {
  readonly defs = new Map<string, JsonSchema>();
  private readonly keys = new Map<string, string>();
  private readonly is31: boolean;
  /**
   * Discriminator schemas whose dispatch is off while converting one of their
   * own branches: a branch that extends its base (`Cat: allOf [Pet, …]`)
   * would otherwise dispatch back into itself forever.
   */
  private suppressed = new Set<object>();
  private readonly nodeIds = new Map<object, number>();

  constructor(
    private readonly document: OpenApiDocument,
    private readonly options: ConvertOptions,
  ) {
    this.is31 = schemaDialect(document) === '2020-12';
  }

  convert(node: unknown): JsonSchema {
    if (typeof node === 'boolean') return node;
    if (!isObject(node)) return {};
    if (typeof node.$ref === 'string') return this.convertRef(node);
    return this.convertObject(node);
  }

  private convertRef(node: JsonSchemaObject): JsonSchema {
    const ref = node.$ref as string;
    const target = { $ref: `#/$defs/${this.define(ref)}` };
    if (!this.is31) {
      // OpenAPI 3.0 ignores $ref siblings; `nullable` beside one is the common exception people rely on.
      return node.nullable === true ? { anyOf: [target, { type: 'null' }] } : target;
    }
    const { $ref: _, ...siblings } = node;
    if (Object.keys(siblings).length === 0) return target;
    const rest = this.convertObject(siblings);
    return typeof rest === 'boolean'
      ? { allOf: [target, rest] }
      : { ...rest, allOf: [target, ...asArray(rest.allOf)] };
  }

  /** Reserves a `$defs` key for `ref` and converts its target once. */
  private define(ref: string): string {
    const context = [...this.suppressed].map((node) => this.nodeId(node)).sort((a, b) => a - b);
    const cacheKey = context.length === 0 ? ref : `${ref} without ${context.join(',')}`;
    const known = this.keys.get(cacheKey);
    if (known) return known;
    const name = ref.replace(/^#\//, '').replace(/[^A-Za-z0-9_.-]/g, '_') || 'root';
    const base = context.length === 0 ? name : `${name}__in_${context.join('_')}`;
    let key = base;
    for (let n = 2; [...this.keys.values()].includes(key); n++) key = `${base}_${n}`;
    this.keys.set(cacheKey, key);
    const target = resolvePointer(this.document, ref);
    // A dangling ref fails loudly at validation time instead of silently accepting everything.
    this.defs.set(key, target === undefined ? { not: {}, description: `unresolvable $ref ${ref}` } : true);
    if (target !== undefined) this.defs.set(key, this.convert(target));
    return key;
  }

  private nodeId(node: object): number {
    let id = this.nodeIds.get(node);
    if (id === undefined) {
      id = this.nodeIds.size + 1;
      this.nodeIds.set(node, id);
    }
    return id;
  }

  private convertObject(node: JsonSchemaObject): JsonSchema {
    const out: JsonSchemaObject = {};
    for (const [keyword, value] of Object.entries(node)) {
      if (DROPPED.has(keyword) || keyword.startsWith('x-')) continue;
      if (SCHEMA_MAP_KEYWORDS.includes(keyword) && isObject(value)) {
        out[keyword] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.convert(v)]));
      } else if (SCHEMA_ARRAY_KEYWORDS.includes(keyword) && Array.isArray(value)) {
        out[keyword] = value.map((v) => this.convert(v));
      } else if (keyword === 'items' && Array.isArray(value)) {
        out[keyword] = value.map((v) => this.convert(v));
      } else if (SCHEMA_KEYWORDS.includes(keyword) && (isObject(value) || typeof value === 'boolean')) {
        out[keyword] = this.convert(value);
      } else {
        out[keyword] = value;
      }
    }
    if (!this.is31) convertExclusiveBounds(node, out);
    this.applyDirection(node, out);
    if (this.options.partial) delete out.required;
    this.applyDiscriminator(node, out);
    return this.applyNullable(node, out);
  }

  /** Properties that are `readOnly` in requests (`writeOnly` in responses) are neither required nor checked. */
  private applyDirection(node: JsonSchemaObject, out: JsonSchemaObject): void {
    if (!isObject(node.properties) || !isObject(out.properties)) return;
    const hidden = this.options.direction === 'request' ? 'readOnly' : 'writeOnly';
    const skipped: string[] = [];
    for (const [name, property] of Object.entries(node.properties)) {
      if (isFlagged(this.document, property, hidden)) skipped.push(name);
    }
    if (skipped.length === 0) return;
    const properties = { ...out.properties };
    for (const name of skipped) properties[name] = true;
    out.properties = properties;
    if (Array.isArray(out.required)) {
      const required = out.required.filter((name) => !skipped.includes(name as string));
      if (required.length > 0) out.required = required;
      else delete out.required;
    }
  }

  /**
   * `discriminator` with `oneOf`/`anyOf` of `$ref`s (Ajv's own support refuses
   * `mapping`): the discriminating property picks the one subschema to check.
   * This also fixes `oneOf` failing on subschemas that overlap.
   */
  private applyDiscriminator(node: JsonSchemaObject, out: JsonSchemaObject): void {
    const discriminator = node.discriminator;
    if (!isObject(discriminator) || typeof discriminator.propertyName !== 'string') return;
    const choices = (node.oneOf ?? node.anyOf) as unknown;
    if (!Array.isArray(choices) || choices.length === 0) return;
    const refs = choices.map((choice) => (isObject(choice) ? choice.$ref : undefined));
    if (!refs.every((ref): ref is string => typeof ref === 'string')) return;
    if (this.suppressed.has(node)) {
      delete out.oneOf;
      delete out.anyOf;
      return;
    }
    const property = discriminator.propertyName;
    const branches = new Map<string, string>();
    const mapping = isObject(discriminator.mapping) ? discriminator.mapping : {};
    for (const [value, target] of Object.entries(mapping)) {
      if (typeof target !== 'string') continue;
      branches.set(value, target.startsWith('#') ? target : `#/components/schemas/${target}`);
    }
    const mapped = new Set(branches.values());
    for (const ref of refs) {
      if (!mapped.has(ref)) branches.set(ref.slice(ref.lastIndexOf('/') + 1), ref);
    }
    delete out.oneOf;
    delete out.anyOf;
    const values = [...branches.keys()];
    const outer = this.suppressed;
    this.suppressed = new Set([...outer, node]);
    const targets = [...branches].map(([value, ref]) => [value, this.convertRef({ $ref: ref })] as const);
    this.suppressed = outer;
    out.allOf = [
      ...asArray(out.allOf),
      { required: [property], properties: { [property]: { enum: values } } },
      ...targets.map(([value, target]) => ({
        if: { required: [property], properties: { [property]: { const: value } } },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
        then: target,
      })),
    ];
  }

  private applyNullable(node: JsonSchemaObject, out: JsonSchemaObject): JsonSchema {
    if (node.nullable !== true) return out;
    if (typeof out.type === 'string' || Array.isArray(out.type)) {
      const types = asArray(out.type);
      if (!types.includes('null')) out.type = [...types, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    // nullable beside allOf/oneOf/$ref-only schemas: "this, or null".
    return { anyOf: [out, { type: 'null' }] };
  }
}

function convertExclusiveBounds(node: JsonSchemaObject, out: JsonSchemaObject): void {
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof node[exclusive] !== 'boolean') continue;
    delete out[exclusive];
    if (node[exclusive] === true && typeof node[bound] === 'number') {
      out[exclusive] = node[bound];
      delete out[bound];
    }
  }
}

/** `readOnly`/`writeOnly` on the property itself, on its `$ref` target, or on an allOf-wrapped `$ref`. */
function isFlagged(document: OpenApiDocument, property: unknown, flag: 'readOnly' | 'writeOnly'): boolean {
  if (!isObject(property)) return false;
  if (property[flag] === true) return true;
  const target = deref<JsonSchemaObject>(document, property);
  if (isObject(target) && target[flag] === true) return true;
  const allOf = property.allOf;
  return Array.isArray(allOf) && allOf.length === 1 && isFlagged(document, allOf[0], flag);
}

function isObject(value: unknown): value is JsonSchemaObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
