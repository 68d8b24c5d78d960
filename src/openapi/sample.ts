/**
 * Deterministic sample values from schemas: openapi-sampler first, then the
 * sample is validated against the converted schema and common failures are
 * repaired (formats, required fields cut at circular refs, anyOf/oneOf, enum,
 * bounds, lengths, patterns). What could not be repaired is reported.
 */
import type { ErrorObject } from 'ajv';
import { sample } from 'openapi-sampler';
import RandExpModule from 'randexp';
import type { OpenApiDocument } from './document.js';
import { type JsonSchemaObject, type SchemaDirection, toJsonSchema } from './schema.js';
import { ajvViolations, specValidators, type Violation } from './validator.js';

export interface SampleOptions {
  direction: SchemaDirection;
}

export interface SampleResult {
  value: unknown;
  /** Violations the repaired sample still has (empty when it fits its schema). */
  unrepaired: Violation[];
}

type SamplerSchema = Parameters<typeof sample>[0];

// randexp is CommonJS; under NodeNext its default export arrives as the module object.
const RandExp = RandExpModule as unknown as typeof RandExpModule.default;

const MAX_ROUNDS = 32;

/** Canned values for formats openapi-sampler does not produce valid values for (or at all). */
const FORMAT_SAMPLES: Record<string, unknown> = {
  'date-time': '2024-01-01T00:00:00Z',
  date: '2024-01-01',
  time: '00:00:00Z',
  duration: 'P1D',
  email: 'user@example.com',
  'idn-email': 'user@example.com',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  'uri-reference': 'https://example.com/',
  iri: 'https://example.com/',
  'iri-reference': 'https://example.com/',
  'uri-template': 'https://example.com/{id}',
  uuid: '00000000-0000-4000-8000-000000000000',
  'json-pointer': '/a',
  'relative-json-pointer': '0',
  regex: '.*',
  byte: 'ZW50ZW50ZQ==',
  int32: 0,
  int64: 0,
};

const TYPE_DEFAULTS: Record<string, unknown> = {
  string: '',
  integer: 0,
  number: 0,
  boolean: false,
  array: [],
  object: {},
  null: null,
};

const schemaIds = new WeakMap<object, number>();
let nextSchemaId = 0;
/** Samples are deterministic: each (document, schema, direction) is generated once. */
const samplesByDocument = new WeakMap<OpenApiDocument, Map<string, SampleResult>>();

/**
 * A value for `schema` (any schema node of `document`, or a `$ref`), the same
 * on every run. `readOnly` properties are left out of request samples,
 * `writeOnly` ones out of response samples.
 */
export function generateSample(
  document: OpenApiDocument,
  schema: unknown,
  options: SampleOptions,
): SampleResult {
  let samples = samplesByDocument.get(document);
  if (!samples) {
    samples = new Map();
    samplesByDocument.set(document, samples);
  }
  const key = `${options.direction}|${idOf(schema)}`;
  let result = samples.get(key);
  if (!result) {
    result = sampleOnce(document, schema, options);
    samples.set(key, result);
  }
  // Callers own what they get (fixtures are laid over samples): never hand out the cached value.
  return { value: structuredClone(result.value), unrepaired: result.unrepaired };
}

function sampleOnce(document: OpenApiDocument, schema: unknown, options: SampleOptions): SampleResult {
  const converted = toJsonSchema(document, schema, { direction: options.direction });
  const validate = specValidators(document).compile(
    `sample|${options.direction}|${idOf(schema)}`,
    () => converted,
  );
  let value = initialSample(document, schema, options);
  const attempts = new Map<string, number>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (validate(value)) return { value, unrepaired: [] };
    const errors = sortDeepestFirst(validate.errors ?? []);
    let changed = false;
    for (const error of errors) {
      const repaired = repair(value, error, converted, attempts);
      if (repaired.changed) {
        value = repaired.value;
        changed = true;
        // Pointers of the other errors may be stale after a change: validate again.
        break;
      }
    }
    if (!changed) break;
  }
  if (validate(value)) return { value, unrepaired: [] };
  return { value, unrepaired: ajvViolations(validate.errors ?? [], 'body') };
}

function idOf(schema: unknown): string {
  if (!schema || typeof schema !== 'object') return JSON.stringify(schema);
  let id = schemaIds.get(schema);
  if (id === undefined) {
    id = nextSchemaId++;
    schemaIds.set(schema, id);
  }
  return String(id);
}

function initialSample(document: OpenApiDocument, schema: unknown, options: SampleOptions): unknown {
  const samplerOptions = {
    skipReadOnly: options.direction === 'request',
    skipWriteOnly: options.direction === 'response',
    quiet: true,
  };
  try {
    return sample(schema as SamplerSchema, { ...samplerOptions, enablePatterns: true }, document);
  } catch {
    try {
      return sample(schema as SamplerSchema, samplerOptions, document);
    } catch {
      return undefined;
    }
  }
}

/** A sample of an already converted (sub)schema; `$ref`s resolve against the converted root. */
function sampleConverted(schema: unknown, root: JsonSchemaObject): unknown {
  if (schema === true || schema === undefined) return null;
  try {
    return sample(schema as SamplerSchema, { quiet: true, enablePatterns: true }, root);
  } catch {
    return minimal(schema);
  }
}

function minimal(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object') return null;
  const type = (schema as { type?: unknown }).type;
  const first = Array.isArray(type) ? type[0] : type;
  return typeof first === 'string' && first in TYPE_DEFAULTS ? structuredClone(TYPE_DEFAULTS[first]) : null;
}

/**
 * Deepest first, so a value is repaired inside before around it; except a
 * `oneOf` that several branches match (one branch accepts any object, as in
 * GitHub's event payloads): repairing inside a branch cannot fix that, only
 * switching to another branch can.
 */
function sortDeepestFirst(errors: ErrorObject[]): ErrorObject[] {
  const ambiguous = (e: ErrorObject) =>
    e.keyword === 'oneOf' && Array.isArray((e.params as { passingSchemas?: unknown }).passingSchemas);
  return [...errors].sort(
    (a, b) => Number(ambiguous(b)) - Number(ambiguous(a)) || depth(b.instancePath) - depth(a.instancePath),
  );
}

function depth(pointer: string): number {
  return pointer === '' ? 0 : pointer.split('/').length;
}

function repair(
  value: unknown,
  error: ErrorObject,
  root: JsonSchemaObject,
  attempts: Map<string, number>,
): { changed: boolean; value: unknown } {
  const at = error.instancePath;
  const data = error.data;
  const parent = (error.parentSchema ?? {}) as JsonSchemaObject;
  const params = error.params as Record<string, unknown>;
  const replace = (next: unknown) => ({ changed: true, value: setAt(value, at, next) });
  const none = { changed: false, value };
  switch (error.keyword) {
    case 'format': {
      const canned = FORMAT_SAMPLES[String(params.format)];
      return canned === undefined || canned === data ? none : replace(canned);
    }
    case 'required': {
      const name = String(params.missingProperty);
      const properties = (parent.properties ?? {}) as Record<string, unknown>;
      const next = sampleConverted(properties[name] ?? {}, root);
      return { changed: true, value: setAt(value, `${at}/${escapePointer(name)}`, next ?? {}) };
    }
    case 'enum':
      return replace((params.allowedValues as unknown[])[0]);
    case 'const':
      return replace(params.allowedValue);
    case 'type': {
      const sampled = sampleConverted(parent, root);
      const wanted = String(params.type).split(',')[0] ?? 'null';
      const fits = typeOfValue(sampled) === wanted || (wanted === 'number' && typeof sampled === 'number');
      return replace(fits ? sampled : structuredClone(TYPE_DEFAULTS[wanted] ?? null));
    }
    case 'minimum':
    case 'maximum':
      return replace(params.limit);
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const limit = Number(params.limit);
      const step = parent.type === 'integer' || Number.isInteger(data) ? 1 : 0.5;
      return replace(error.keyword === 'exclusiveMinimum' ? limit + step : limit - step);
    }
    case 'multipleOf': {
      const m = Number(params.multipleOf);
      return replace(Math.ceil(Number(data) / m) * m);
    }
    case 'minLength':
      return replace(String(data).padEnd(Number(params.limit), 'a'));
    case 'maxLength':
      return replace(String(data).slice(0, Number(params.limit)));
    case 'pattern': {
      const key = `pattern ${at}`;
      if (attempts.has(key)) return none;
      attempts.set(key, 1);
      const sampled = patternSample(String(params.pattern));
      return sampled !== undefined && sampled !== data ? replace(sampled) : none;
    }
    case 'minItems': {
      if (!Array.isArray(data)) return none;
      const item = data[0] ?? sampleConverted(parent.items ?? {}, root);
      const items = [...data];
      while (items.length < Number(params.limit)) items.push(structuredClone(item));
      return replace(items);
    }
    case 'maxItems':
      return Array.isArray(data) ? replace(data.slice(0, Number(params.limit))) : none;
    case 'uniqueItems': {
      if (!Array.isArray(data)) return none;
      const seen = new Set<string>();
      return replace(
        data.filter((item) => !seen.has(JSON.stringify(item)) && !!seen.add(JSON.stringify(item))),
      );
    }
    case 'additionalProperties': {
      if (!data || typeof data !== 'object') return none;
      const { [String(params.additionalProperty)]: _, ...rest } = data as Record<string, unknown>;
      return replace(rest);
    }
    case 'oneOf':
    case 'anyOf': {
      const branches = parent[error.keyword];
      if (!Array.isArray(branches)) return none;
      const key = `${error.keyword} ${at}`;
      const tried = attempts.get(key) ?? 0;
      if (tried >= branches.length) return none;
      attempts.set(key, tried + 1);
      return replace(sampleConverted(branches[tried], root));
    }
    default:
      return none;
  }
}

/**
 * A string matching `pattern`, the same every run: randexp with every choice
 * the smallest (first alternative, first character of a class, fewest
 * repetitions). openapi-sampler's own pattern sampler misreads classes such
 * as `\d+` (GitHub, Slack and LaunchDarkly patterns).
 */
function patternSample(pattern: string): string | undefined {
  try {
    const generator = new RandExp(pattern, 'u');
    generator.randInt = (min: number) => min;
    return generator.gen();
  } catch {
    return undefined;
  }
}

function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `value` with the node at JSON Pointer `pointer` replaced (the root when the pointer is ''). */
function setAt(value: unknown, pointer: string, next: unknown): unknown {
  if (pointer === '') return next;
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = segments.pop()!;
  let node = value as Record<string, unknown>;
  for (const segment of segments) {
    const child = node[segment];
    if (!child || typeof child !== 'object') return value;
    node = child as Record<string, unknown>;
  }
  node[last] = next;
  return value;
}
