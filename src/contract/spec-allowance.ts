/**
 * What the provider's spec allowed, at record time, beyond the values a
 * consumer received: which received fields the spec makes optional, and
 * which other JSON types it allows where a value was received (null for a
 * nullable field, any type for a free-form one). Recorded in the interaction
 * itself (`response.allows`), so verification and the static check never
 * re-read an old spec. docs/verification-matching.md documents the rules.
 */

import type { Interaction } from '../model/records.js';
import { deref, type OpenApiDocument, resolvePointer } from '../openapi/document.js';
import { routeRecordedRequest, type SpecOperation } from '../openapi/router.js';
import { declaredResponse, matchMediaType } from '../openapi/validator.js';
import { compareText } from '../util/compare-text.js';
import { formatBodyPath, generalizeLocation, type LocationStep } from './body-path.js';
import { headerValue, isJsonMediaType, mediaTypeOf } from './media-type.js';
import { isPlainObject, type JsonType, jsonTypeOf } from './relies-on.js';

export interface SpecAllowance {
  /** Body paths of received fields the spec does not require: they may be absent. */
  absent?: string[];
  /** Per body path, every JSON type the spec allows there, when that is more than the received type. */
  types?: Record<string, JsonType[]>;
}

const ALL_TYPES: readonly JsonType[] = ['array', 'boolean', 'null', 'number', 'object', 'string'];

/** What a schema (all its allOf / oneOf / anyOf parts merged) says about a value and its fields. */
interface SchemaFacts {
  /** undefined: any type. */
  types: Set<JsonType> | undefined;
  required: Set<string>;
  /** Field name → every schema that declares it. */
  properties: Map<string, unknown[]>;
  /** Schemas for fields not named in `properties` (additionalProperties); `true` when anything goes. */
  additional: unknown[];
  items: unknown[];
}

/** Bounds the schema walk on deeply nested or recursive schemas. */
const MAX_DEPTH = 64;

function factsOf(document: unknown, schemas: readonly unknown[], depth = 0): SchemaFacts {
  const facts: SchemaFacts = {
    types: undefined,
    required: new Set(),
    properties: new Map(),
    additional: [],
    items: [],
  };
  for (const schema of schemas) mergeInto(facts, single(document, schema, new Set(), depth));
  return facts;
}

/** Intersects constraints (every schema of the list applies to the same value). */
function mergeInto(target: SchemaFacts, source: SchemaFacts): void {
  if (source.types) {
    target.types = target.types
      ? new Set([...target.types].filter((type) => source.types!.has(type)))
      : new Set(source.types);
  }
  for (const name of source.required) target.required.add(name);
  for (const [name, schemas] of source.properties) {
    target.properties.set(name, [...(target.properties.get(name) ?? []), ...schemas]);
  }
  target.additional.push(...source.additional);
  target.items.push(...source.items);
}

function single(document: unknown, schema: unknown, seenRefs: Set<string>, depth: number): SchemaFacts {
  const facts: SchemaFacts = {
    types: undefined,
    required: new Set(),
    properties: new Map(),
    additional: [true],
    items: [],
  };
  if (depth > MAX_DEPTH || !isPlainObject(schema)) return facts;
  if (typeof schema.$ref === 'string') {
    const { $ref, ...siblings } = schema;
    if (seenRefs.has($ref)) return facts;
    const refs = new Set([...seenRefs, $ref]);
    const target = single(document, resolvePointer(document, $ref), refs, depth + 1);
    if (Object.keys(siblings).length === 0) return target;
    const combined = single(document, siblings, refs, depth + 1);
    // 3.0's `nullable: true` beside a $ref makes the referenced schema nullable.
    if (siblings.nullable === true && target.types) target.types.add('null');
    mergeInto(combined, target);
    return combined;
  }
  const declared =
    typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type : undefined;
  if (declared) {
    facts.types = new Set(declared.map((type) => (type === 'integer' ? 'number' : String(type)) as JsonType));
    if (schema.nullable === true) facts.types.add('null');
  } else if (schema.properties !== undefined || schema.required !== undefined) {
    // Authors who list properties without `type: object` mean an object.
    facts.types = new Set(['object']);
  } else if (schema.items !== undefined) {
    facts.types = new Set(['array']);
  }
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) if (typeof name === 'string') facts.required.add(name);
  }
  if (isPlainObject(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties)) facts.properties.set(name, [property]);
  }
  facts.additional = schema.additionalProperties === false ? [] : [schema.additionalProperties ?? true];
  if (schema.items !== undefined) facts.items.push(schema.items);
  if (Array.isArray(schema.allOf)) {
    for (const member of schema.allOf) mergeInto(facts, single(document, member, seenRefs, depth + 1));
  }
  for (const branches of [schema.oneOf, schema.anyOf]) {
    if (!Array.isArray(branches) || branches.length === 0) continue;
    mergeInto(facts, union(branches.map((branch) => single(document, branch, seenRefs, depth + 1))));
  }
  if (schema.nullable === true && facts.types) facts.types.add('null');
  return facts;
}

/** One of several branches applies: any type of any branch, only fields every branch requires. */
function union(branches: SchemaFacts[]): SchemaFacts {
  const [first, ...rest] = branches;
  const facts: SchemaFacts = {
    types: branches.some((b) => b.types === undefined)
      ? undefined
      : new Set(branches.flatMap((b) => [...b.types!])),
    required: new Set([...first!.required].filter((name) => rest.every((b) => b.required.has(name)))),
    properties: new Map(),
    additional: eitherOf(branches.map((b) => b.additional)),
    items: eitherOf(branches.map((b) => b.items)),
  };
  for (const name of new Set(branches.flatMap((b) => [...b.properties.keys()]))) {
    facts.properties.set(
      name,
      eitherOf(branches.flatMap((b) => (b.properties.has(name) ? [b.properties.get(name)!] : []))),
    );
  }
  return facts;
}

/** Schema lists (each a list of schemas that all apply) of which any one applies. */
function eitherOf(lists: unknown[][]): unknown[] {
  const nonEmpty = lists.filter((list) => list.length > 0);
  if (nonEmpty.length === 0) return [];
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  return [{ anyOf: nonEmpty.map((list) => ({ allOf: list })) }];
}

/**
 * The allowance of a received body against a schema: walks the body, and at
 * each place records what the schema allows beyond what was received.
 */
export function allowanceFor(document: unknown, schema: unknown, body: unknown): SpecAllowance {
  const absent = new Set<string>();
  const types = new Map<string, Set<JsonType>>();
  const walk = (schemas: unknown[], value: unknown, steps: LocationStep[], depth: number): void => {
    if (depth > MAX_DEPTH) return;
    const facts = factsOf(document, schemas, depth);
    const path = formatBodyPath(generalizeLocation(steps));
    const allowed = facts.types ?? new Set(ALL_TYPES);
    if (!(allowed.size === 1 && allowed.has(jsonTypeOf(value)))) {
      const set = types.get(path) ?? new Set();
      for (const type of allowed) set.add(type);
      set.add(jsonTypeOf(value));
      types.set(path, set);
    }
    if (isPlainObject(value)) {
      for (const [name, child] of Object.entries(value)) {
        const childSteps = [...steps, name];
        if (!facts.required.has(name)) absent.add(formatBodyPath(generalizeLocation(childSteps)));
        const declared = facts.properties.get(name);
        const childSchemas = declared ?? (facts.additional.length > 0 ? facts.additional : [true]);
        walk(childSchemas, child, childSteps, depth + 1);
      }
    } else if (Array.isArray(value)) {
      const items = facts.items.length > 0 ? facts.items : [true];
      value.forEach((element, index) => {
        walk(items, element, [...steps, index], depth + 1);
      });
    }
  };
  walk([schema], body, [], 0);
  const allowance: SpecAllowance = {};
  if (absent.size > 0) allowance.absent = [...absent].sort();
  // A type set that is only what was received everywhere says nothing.
  const widened = [...types].filter(([, set]) => set.size > 1).sort(([a], [b]) => compareText(a, b));
  if (widened.length > 0) {
    allowance.types = Object.fromEntries(widened.map(([path, set]) => [path, [...set].sort()]));
  }
  return allowance;
}

/**
 * The allowance of a mock response, from the operation's response schema
 * for its status and content type; undefined when the body is not JSON or
 * the spec declares no schema for it.
 */
export function responseAllowance(
  document: OpenApiDocument,
  operation: SpecOperation,
  response: { status: number; contentType: string | undefined; body: unknown },
): SpecAllowance | undefined {
  if (response.body === undefined || !isJsonMediaType(mediaTypeOf(response.contentType))) return undefined;
  const declared = declaredResponse(document, operation, response.status);
  const content = deref<Record<string, unknown>>(document, declared?.response.content);
  if (!content) return undefined;
  const key = matchMediaType(Object.keys(content), response.contentType ?? 'application/json');
  const media = key === undefined ? undefined : deref<Record<string, unknown>>(document, content[key]);
  if (!media || media.schema === undefined) return undefined;
  return allowanceFor(document, media.schema, response.body);
}

/**
 * For a format 1 interaction (recorded before allowances were): the allowance
 * of its recorded response under `document`, the spec of the provider version
 * being verified, the only spec at hand. undefined for a format 2 interaction
 * (it carries its own) or when the spec has no such operation.
 */
export function legacyAllowance(
  document: OpenApiDocument,
  interaction: Interaction,
): SpecAllowance | undefined {
  if (interaction.response.reliance !== undefined) return undefined;
  const route = routeRecordedRequest(document, interaction.request.method, interaction.request.path);
  if (route.kind !== 'match') return undefined;
  return responseAllowance(document, route.operation, {
    status: interaction.response.status,
    contentType: headerValue(interaction.response.headers, 'content-type') ?? 'application/json',
    body: interaction.response.body,
  });
}
