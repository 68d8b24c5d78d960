/**
 * Candidate instances of a JSON Schema, for the counterexample search: a
 * bounded, deterministic set of values near the schema's edges (each bound,
 * each enum value, each branch, each optional property present or not, an
 * extra property, an array at its size limits). They are only candidates:
 * the search keeps those the schema really accepts.
 */
import RandExpModule from 'randexp';
import { canonicalJson } from '../../util/canonical-json.js';
import type { JsonSchema, JsonSchemaObject } from '../schema.js';
import { isObject } from './schema-view.js';

// randexp is CommonJS; under NodeNext its default export arrives as the module object.
const RandExp = RandExpModule as unknown as typeof RandExpModule.default;

/** How many candidates one schema node yields; the root's list is cut at the same size. */
const MAX_PER_NODE = 48;
/** How many of a child's candidates are tried inside its parent (a property's values, an array's items). */
const MAX_PER_CHILD = 8;
/** How many `anyOf` branches are paired up for values matching two of them. */
const MAX_OVERLAPPING_BRANCHES = 4;
/** Below this depth a schema yields its first candidate only. */
const MAX_DEPTH = 6;

const FORMAT_SAMPLES: Record<string, string> = {
  'date-time': '2024-01-02T03:04:05Z',
  date: '2024-01-02',
  time: '03:04:05Z',
  email: 'a@example.com',
  uri: 'https://example.com/a',
  'uri-reference': '/a',
  url: 'https://example.com/a',
  uuid: '123e4567-e89b-12d3-a456-426614174000',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  hostname: 'example.com',
  byte: 'YQ==',
};

const ANY_TYPES = ['string', 'integer', 'number', 'boolean', 'object', 'array', 'null'];

/**
 * Candidate instances of `root` (a converted, self-contained schema whose
 * `$ref`s point into its `$defs`), then of `other` (the schema compared with
 * it: its edges are often where the two differ).
 */
export function candidateInstances(root: JsonSchemaObject, other?: JsonSchemaObject): unknown[] {
  const own = new Generator(root).of(root, 0).slice(0, MAX_PER_NODE);
  if (!other) return own;
  return [...own, ...new Generator(other).of(other, 0).slice(0, MAX_PER_NODE)];
}

class Generator {
  constructor(private readonly root: JsonSchemaObject) {}

  of(schema: JsonSchema | undefined, depth: number): unknown[] {
    const out = new Candidates();
    if (schema === false) return [];
    if (schema === undefined || schema === true) {
      out.addAll(['a', 1, null, true, {}, []]);
      return out.values;
    }
    if (depth > MAX_DEPTH) return this.first(schema);
    if (typeof schema.$ref === 'string') {
      out.addAll(this.of(this.resolve(schema.$ref), depth + 1));
      const { $ref: _, ...siblings } = schema;
      if (Object.keys(siblings).length === 0) return out.values;
      out.addAll(this.of(siblings, depth));
      return out.values;
    }
    if ('const' in schema) out.add(schema.const);
    if (Array.isArray(schema.enum)) out.addAll(schema.enum);
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      const branches = schema[keyword];
      if (!Array.isArray(branches)) continue;
      const { [keyword]: _, ...rest } = schema;
      for (const branch of branches) {
        out.addAll(this.of(mergeSchemas(rest, branch as JsonSchema), depth + 1).slice(0, MAX_PER_CHILD));
      }
      // Values matching two branches at once: what `anyOf` allows and `oneOf` refuses.
      if (keyword === 'anyOf') {
        const few = branches
          .slice(0, MAX_OVERLAPPING_BRANCHES)
          .map((branch) => this.inline(branch as JsonSchema));
        for (let i = 0; i < few.length; i++) {
          for (let j = i + 1; j < few.length; j++) {
            const both = mergeSchemas(rest, mergeSchemas(few[i]!, few[j]!));
            out.addAll(this.of(both, depth + 1).slice(0, MAX_PER_CHILD));
          }
        }
      }
    }
    if (Array.isArray(schema.allOf)) {
      const { allOf, ...rest } = schema;
      const merged = (allOf as JsonSchema[]).reduce<JsonSchema>(
        (a, b) => mergeSchemas(a, this.inline(b)),
        rest,
      );
      out.addAll(this.of(merged, depth + 1));
    }
    if (isObject(schema.if)) {
      const { if: condition, then, else: otherwise, ...rest } = schema;
      out.addAll(
        this.of(
          mergeSchemas(mergeSchemas(rest, condition as JsonSchema), (then ?? true) as JsonSchema),
          depth + 1,
        ),
      );
      out.addAll(this.of(mergeSchemas(rest, (otherwise ?? true) as JsonSchema), depth + 1));
    }
    for (const type of typesOf(schema)) out.addAll(this.ofType(schema, type, depth));
    // Values `not` refuses: the other side may be the one that accepts them.
    if (schema.not !== undefined)
      out.addAll(this.of(schema.not as JsonSchema, depth + 1).slice(0, MAX_PER_CHILD));
    return out.values;
  }

  private first(schema: JsonSchema): unknown[] {
    if (typeof schema === 'boolean') return schema ? [null] : [];
    if (typeof schema.$ref === 'string') return this.first(this.resolve(schema.$ref));
    if ('const' in schema) return [schema.const];
    if (Array.isArray(schema.enum)) return schema.enum.slice(0, 1);
    const type = typesOf(schema)[0];
    if (type === 'object') return [{}];
    if (type === 'array') return [[]];
    if (type === 'string') return ['a'];
    if (type === 'integer' || type === 'number') return [1];
    if (type === 'boolean') return [true];
    return [null];
  }

  private resolve(ref: string): JsonSchema {
    if (!ref.startsWith('#/')) return true;
    let node: unknown = this.root;
    for (const raw of ref.slice(2).split('/')) {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      node = isObject(node) ? node[segment] : undefined;
    }
    return typeof node === 'boolean' || isObject(node) ? (node as JsonSchema) : true;
  }

  /** A `$ref` replaced by what it points to, so that `allOf` members merge. */
  private inline(schema: JsonSchema, hops = 0): JsonSchema {
    if (typeof schema === 'boolean' || typeof schema.$ref !== 'string' || hops > 8) return schema;
    const { $ref, ...siblings } = schema;
    return mergeSchemas(siblings, this.inline(this.resolve($ref as string), hops + 1));
  }

  private ofType(schema: JsonSchemaObject, type: string, depth: number): unknown[] {
    switch (type) {
      case 'null':
        return [null];
      case 'boolean':
        return [true, false];
      case 'integer':
      case 'number':
        return numbers(schema, type === 'integer');
      case 'string':
        return strings(schema);
      case 'array':
        return this.arrays(schema, depth);
      case 'object':
        return this.objects(schema, depth);
      default:
        return [];
    }
  }

  private arrays(schema: JsonSchemaObject, depth: number): unknown[] {
    const prefix = Array.isArray(schema.prefixItems)
      ? (schema.prefixItems as JsonSchema[])
      : Array.isArray(schema.items)
        ? (schema.items as JsonSchema[])
        : [];
    const itemSchema = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
    const items =
      itemSchema === false
        ? []
        : this.of(itemSchema as JsonSchema | undefined, depth + 1).slice(0, MAX_PER_CHILD);
    const contained = isObject(schema.contains)
      ? this.of(schema.contains, depth + 1).slice(0, MAX_PER_CHILD)
      : [];
    const head: unknown[] = prefix.map((s) => this.of(s, depth + 1)[0] ?? null);
    const filler = items[0] ?? contained[0] ?? 'a';
    const out = new Candidates();
    const sized = (n: number) => [
      ...head,
      ...Array.from({ length: Math.max(0, n - head.length) }, () => filler),
    ];
    const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
    const max = typeof schema.maxItems === 'number' ? schema.maxItems : undefined;
    out.add(sized(Math.max(min, head.length)));
    out.add(sized(Math.max(min, head.length, 1)));
    for (const item of [...items, ...contained])
      out.add([...head, item, ...sized(min).slice(head.length + 1)]);
    for (const [i, s] of prefix.entries()) {
      for (const value of this.of(s, depth + 1).slice(0, MAX_PER_CHILD)) {
        const tuple: unknown[] = [...head];
        tuple[i] = value;
        out.add(tuple);
      }
    }
    out.add(sized(Math.max(min, head.length, 2)));
    if (items.length > 1) out.add([...head, ...items.slice(0, Math.max(2, min))]);
    const minContains = typeof schema.minContains === 'number' ? schema.minContains : 1;
    for (const value of contained.slice(0, 2)) {
      for (const n of [minContains, minContains + 1, Math.max(0, minContains - 1)]) {
        out.add([...head, ...Array.from({ length: n }, () => value)]);
      }
    }
    if (max !== undefined) out.add(sized(max));
    if (max !== undefined && max > 0) out.add(sized(max - 1));
    out.add(sized(min + 1));
    return out.values;
  }

  private objects(schema: JsonSchemaObject, depth: number): unknown[] {
    const properties = isObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
    const required = Array.isArray(schema.required)
      ? schema.required.filter((n): n is string => typeof n === 'string')
      : [];
    const values = new Map<string, unknown[]>();
    const valuesOf = (name: string) => {
      let list = values.get(name);
      if (!list) {
        list = this.of(properties[name], depth + 1).slice(0, MAX_PER_CHILD);
        values.set(name, list);
      }
      return list;
    };
    const minimal: Record<string, unknown> = {};
    for (const name of required) minimal[name] = valuesOf(name)[0] ?? 'a';
    const out = new Candidates();
    out.add(minimal);
    const full = { ...minimal };
    for (const name of Object.keys(properties)) if (!(name in full)) full[name] = valuesOf(name)[0];
    out.add(full);
    for (const name of Object.keys(properties)) {
      for (const value of valuesOf(name)) out.add({ ...minimal, [name]: value });
    }
    out.add({ ...minimal, extra: 'a' });
    out.add({ ...full, extra: 'a' });
    const sizes = [schema.minProperties, schema.maxProperties, 2].filter(
      (n): n is number => typeof n === 'number',
    );
    for (const size of sizes) {
      for (const n of [size, size - 1, size + 1]) {
        if (n < 0 || n > 64) continue;
        const sized: Record<string, unknown> = { ...full };
        for (let i = 0; Object.keys(sized).length < n; i++) sized[`extra${i}`] = 'a';
        out.add(sized);
      }
    }
    if (isObject(schema.patternProperties)) {
      for (const [pattern, sub] of Object.entries(schema.patternProperties as Record<string, JsonSchema>)) {
        const key = sampleOfPattern(pattern) ?? 'a';
        for (const value of [...this.of(sub, depth + 1).slice(0, MAX_PER_CHILD), 'a', 1])
          out.add({ ...minimal, [key]: value });
      }
    }
    if (isObject(schema.dependentSchemas) || isObject(schema.dependentRequired)) {
      for (const name of Object.keys({
        ...(schema.dependentSchemas as object),
        ...(schema.dependentRequired as object),
      })) {
        out.add({ ...minimal, [name]: valuesOf(name)[0] ?? 'a' });
      }
    }
    for (const name of required) {
      const { [name]: _, ...without } = minimal;
      out.add(without);
    }
    out.add({});
    return out.values;
  }
}

class Candidates {
  readonly values: unknown[] = [];
  private readonly seen = new Set<string>();

  add(value: unknown): void {
    if (this.values.length >= MAX_PER_NODE) return;
    const key = canonicalJson(value);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.values.push(value);
  }

  addAll(values: readonly unknown[]): void {
    for (const value of values) this.add(value);
  }
}

function typesOf(schema: JsonSchemaObject): string[] {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string');
  const hinted = new Set<string>();
  if (
    schema.properties ||
    schema.required ||
    schema.additionalProperties !== undefined ||
    schema.patternProperties
  )
    hinted.add('object');
  if (schema.items || schema.prefixItems || schema.contains) hinted.add('array');
  if (schema.minLength !== undefined || schema.maxLength !== undefined || schema.pattern || schema.format)
    hinted.add('string');
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.multipleOf !== undefined)
    hinted.add('number');
  if ('const' in schema || Array.isArray(schema.enum)) return [...hinted];
  return hinted.size > 0 ? [...hinted, ...ANY_TYPES.filter((t) => !hinted.has(t))] : ANY_TYPES;
}

function numbers(schema: JsonSchemaObject, integer: boolean): number[] {
  const num = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  const step = integer ? 1 : 0.5;
  const out: number[] = [0, 1, -1, 2, 10, 100, 1_000_000, -1_000_000];
  if (!integer) out.push(0.5, -0.5, 1.5);
  for (const bound of [num('minimum'), num('maximum'), num('exclusiveMinimum'), num('exclusiveMaximum')]) {
    if (bound === undefined) continue;
    const base = integer ? Math.ceil(bound) : bound;
    out.push(base, base - step, base + step, integer ? Math.floor(bound) : bound);
  }
  const multiple = num('multipleOf');
  if (multiple !== undefined && multiple > 0)
    out.push(multiple, multiple * 2, multiple * 3, -multiple, multiple / 2);
  return integer ? out.filter(Number.isInteger) : out;
}

function strings(schema: JsonSchemaObject): string[] {
  const out: string[] = [];
  const format = typeof schema.format === 'string' ? FORMAT_SAMPLES[schema.format] : undefined;
  if (format !== undefined) out.push(format);
  if (typeof schema.pattern === 'string') {
    const sample = sampleOfPattern(schema.pattern);
    if (sample !== undefined) out.push(sample);
  }
  if (schema.contentMediaType === 'application/json') out.push('{}', '[]', 'a');
  if (schema.contentEncoding === 'base64') out.push('YQ==', '!');
  out.push('a', '', 'abc', 'A', '1', 'a b', '2024-01-02');
  const lengths = [schema.minLength, schema.maxLength].filter((n): n is number => typeof n === 'number');
  for (const n of lengths)
    for (const m of [n, n - 1, n + 1]) if (m >= 0 && m <= 4096) out.push('a'.repeat(m));
  if (format !== undefined) out.push('not a format');
  return out;
}

/** A string matching `pattern`, the same every run, or undefined when randexp cannot read it. */
function sampleOfPattern(pattern: string): string | undefined {
  try {
    const generator = new RandExp(pattern, 'u');
    generator.max = 3;
    generator.randInt = (low: number) => low;
    return generator.gen();
  } catch {
    return undefined;
  }
}

/** Both schemas at once, as well as plain keyword-merging can say it (candidates are checked afterwards). */
function mergeSchemas(a: JsonSchema, b: JsonSchema): JsonSchema {
  if (a === true) return b;
  if (b === true) return a;
  if (a === false || b === false) return false;
  const merged: JsonSchemaObject = { ...a, ...b };
  if (isObject(a.properties) && isObject(b.properties))
    merged.properties = { ...a.properties, ...b.properties };
  if (Array.isArray(a.required) && Array.isArray(b.required))
    merged.required = [...new Set([...a.required, ...b.required])];
  if (a.type !== undefined && b.type !== undefined) {
    const bTypes = new Set(Array.isArray(b.type) ? b.type : [b.type]);
    const both = (Array.isArray(a.type) ? a.type : [a.type]).filter(
      (t) => bTypes.has(t) || (t === 'integer' && bTypes.has('number')),
    );
    if (both.length > 0) merged.type = both;
  }
  return merged;
}
