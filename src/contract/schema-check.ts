/**
 * Checks a relied-on value (the part of a recorded body a consumer relies
 * on) against an OpenAPI response schema, 3.0 or 3.1: only what the consumer
 * relies on is looked at, and a field is "present" when the schema (or some
 * branch of it) can have it. The rules are documented in
 * docs/compatibility.md.
 */
import { isDeepStrictEqual } from 'node:util';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { deref, resolvePointer } from '../openapi/document.js';
import { matchesPattern, unsupportedPatternReason } from '../openapi/linear-regexp.js';
import type { LocationStep } from './body-path.js';
import { isPlainObject, jsonTypeOf } from './relies-on.js';

export type SchemaIssueCode =
  | 'response.body.missing'
  | 'response.body.incompatible'
  | 'response.body.nullable'
  | 'response.body.format'
  | 'response.body.enum'
  | 'response.body.undeclared';

export interface SchemaIssue {
  code: SchemaIssueCode;
  steps: LocationStep[];
  expected?: unknown;
  actual?: unknown;
  detail: string;
}

type SchemaObject = Record<string, unknown>;
/** A schema with allOf flattened and oneOf/anyOf chosen: every part must hold. */
type Alternative = (SchemaObject | boolean)[];

/** Bounds the oneOf × anyOf × allOf product; beyond it, the remaining branches are not tried. */
const MAX_ALTERNATIVES = 64;

/** Issues of `value` against `schema`, following `$ref`s in `document`. */
export function checkAgainstSchema(document: unknown, schema: unknown, value: unknown): SchemaIssue[] {
  return checkValue(document, schema, value, []);
}

function checkValue(
  document: unknown,
  schema: unknown,
  value: unknown,
  steps: LocationStep[],
): SchemaIssue[] {
  let best: SchemaIssue[] | undefined;
  for (const alternative of alternatives(document, schema, new Set())) {
    const issues = checkAlternative(document, alternative, value, steps);
    if (!best || rank(issues) < rank(best)) best = issues;
    if (issues.length === 0) break;
  }
  return best ?? [];
}

/** Fewer errors first, then fewer warnings. */
function rank(issues: SchemaIssue[]): number {
  const warnings = issues.filter((issue) => issue.code === 'response.body.undeclared').length;
  return (issues.length - warnings) * 1000 + warnings;
}

function alternatives(document: unknown, schema: unknown, seenRefs: Set<string>): Alternative[] {
  if (isPlainObject(schema) && typeof schema.$ref === 'string') {
    const { $ref, ...siblings } = schema;
    if (seenRefs.has($ref)) return [[true]];
    const refs = new Set([...seenRefs, $ref]);
    const target = alternatives(document, resolvePointer(document, $ref), refs);
    // Keywords beside a $ref (3.1; in 3.0 often `nullable`) constrain the same value.
    return Object.keys(siblings).length > 0
      ? product(target, alternatives(document, siblings, refs))
      : target;
  }
  if (typeof schema === 'boolean') return [[schema]];
  // A dangling ref or a non-schema: nothing can be said, so anything is accepted.
  if (!isPlainObject(schema)) return [[true]];
  const { allOf, oneOf, anyOf, ...base } = schema;
  let result: Alternative[] = [[base]];
  if (Array.isArray(allOf)) {
    for (const member of allOf) result = product(result, alternatives(document, member, seenRefs));
  }
  for (const branches of [oneOf, anyOf]) {
    if (Array.isArray(branches) && branches.length > 0) {
      result = product(
        result,
        branches.flatMap((branch) => alternatives(document, branch, seenRefs)),
      );
    }
  }
  return result;
}

/** Every left alternative combined with every right one, at most MAX_ALTERNATIVES. */
function product(left: Alternative[], right: Alternative[]): Alternative[] {
  const combined: Alternative[] = [];
  for (const a of left) {
    for (const b of right) {
      if (combined.length < MAX_ALTERNATIVES) combined.push([...a, ...b]);
    }
  }
  return combined;
}

function typesOf(part: SchemaObject): string[] | undefined {
  const types =
    typeof part.type === 'string' ? [part.type] : Array.isArray(part.type) ? part.type : undefined;
  if (!types) return undefined;
  return part.nullable === true ? [...types.map(String), 'null'] : types.map(String);
}

function fitsType(value: unknown, type: string): boolean {
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value);
  return jsonTypeOf(value) === type;
}

/** A value's type as findings name it: integers apart from other numbers. */
function describeValueType(value: unknown): string {
  return typeof value === 'number' && Number.isInteger(value) ? 'integer' : jsonTypeOf(value);
}

function checkAlternative(
  document: unknown,
  parts: Alternative,
  value: unknown,
  steps: LocationStep[],
): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const objects = parts.filter(isPlainObject);
  if (parts.includes(false)) {
    return [
      {
        code: 'response.body.incompatible',
        steps,
        expected: 'nothing (schema false)',
        actual: describeValueType(value),
        detail: 'the schema allows no value here',
      },
    ];
  }
  // OpenAPI 3.0's `nullable: true` beside an allOf/$ref makes the whole schema nullable.
  if (value === null && objects.some((part) => part.nullable === true)) return [];
  for (const part of objects) {
    const types = typesOf(part);
    if (types && !types.some((type) => fitsType(value, type))) {
      issues.push(
        value === null
          ? {
              code: 'response.body.nullable',
              steps,
              expected: types.join(' or '),
              actual: 'null',
              detail: `received null, and the spec does not allow null (${types.join(' or ')})`,
            }
          : {
              code: 'response.body.incompatible',
              steps,
              expected: types.join(' or '),
              actual: describeValueType(value),
              detail: `received ${describeValueType(value)} (${preview(value)}), the spec says ${types.join(' or ')}`,
            },
      );
      continue;
    }
    const allowed = Array.isArray(part.enum) ? part.enum : 'const' in part ? [part.const] : undefined;
    if (allowed && !allowed.some((candidate) => isDeepStrictEqual(candidate, value))) {
      issues.push({
        code: 'response.body.enum',
        steps,
        expected: allowed,
        actual: value,
        detail: `received ${preview(value)}, not one of ${preview(allowed)}`,
      });
    }
    if (typeof part.format === 'string' && !satisfiesFormat(part.format, value)) {
      issues.push({
        code: 'response.body.format',
        steps,
        expected: part.format,
        actual: value,
        detail: `received ${preview(value)}, not a valid ${part.format}`,
      });
    }
  }
  if (issues.length > 0) return issues;
  if (isPlainObject(value)) issues.push(...checkFields(document, objects, value, steps));
  else if (Array.isArray(value)) issues.push(...checkElements(document, objects, value, steps));
  return issues;
}

function checkFields(
  document: unknown,
  parts: SchemaObject[],
  value: Record<string, unknown>,
  steps: LocationStep[],
): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  for (const [name, fieldValue] of Object.entries(value)) {
    const fieldSteps = [...steps, name];
    const declared = parts.flatMap((part) =>
      isPlainObject(part.properties) && Object.hasOwn(part.properties, name) ? [part.properties[name]] : [],
    );
    if (declared.length > 0) {
      if (declared.some((schema) => deref<Record<string, unknown>>(document, schema)?.writeOnly === true)) {
        issues.push({
          code: 'response.body.missing',
          steps: fieldSteps,
          detail: 'the spec marks it writeOnly',
        });
        continue;
      }
      for (const schema of declared) issues.push(...checkValue(document, schema, fieldValue, fieldSteps));
      continue;
    }
    const byPattern = parts.flatMap((part) =>
      isPlainObject(part.patternProperties)
        ? Object.entries(part.patternProperties).filter(
            ([pattern]) => unsupportedPatternReason(pattern) === undefined && matchesPattern(pattern, name),
          )
        : [],
    );
    if (byPattern.length > 0) {
      for (const [, schema] of byPattern)
        issues.push(...checkValue(document, schema, fieldValue, fieldSteps));
      continue;
    }
    issues.push(...checkUndeclaredField(document, parts, fieldValue, fieldSteps));
  }
  return issues;
}

/**
 * A relied-on field the schema does not name: missing when the object lists
 * its properties (or forbids others); allowed with a warning when the object
 * is a map or free-form (additionalProperties given, or no properties listed).
 */
function checkUndeclaredField(
  document: unknown,
  parts: SchemaObject[],
  value: unknown,
  steps: LocationStep[],
): SchemaIssue[] {
  const additional = parts.map((part) => part.additionalProperties).filter((schema) => schema !== undefined);
  if (additional.includes(false)) {
    return [
      {
        code: 'response.body.missing',
        steps,
        detail: 'the spec does not declare it and allows no other fields',
      },
    ];
  }
  const schemas = additional.filter((schema) => schema !== true && !isEmptySchema(schema));
  const listsProperties = parts.some(
    (part) => isPlainObject(part.properties) || isPlainObject(part.patternProperties),
  );
  if (schemas.length === 0 && additional.length === 0 && listsProperties) {
    return [{ code: 'response.body.missing', steps, detail: 'the spec does not declare it' }];
  }
  const issues = schemas.flatMap((schema) => checkValue(document, schema, value, steps));
  return [
    ...issues,
    {
      code: 'response.body.undeclared',
      steps,
      detail: 'the spec does not name it, only allows other fields, so it does not promise it',
    },
  ];
}

function checkElements(
  document: unknown,
  parts: SchemaObject[],
  value: unknown[],
  steps: LocationStep[],
): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  value.forEach((element, index) => {
    const elementSteps = [...steps, index];
    for (const part of parts) {
      const prefix = Array.isArray(part.prefixItems) ? part.prefixItems : undefined;
      const schema = prefix && index < prefix.length ? prefix[index] : part.items;
      if (schema !== undefined && !Array.isArray(schema)) {
        issues.push(...checkValue(document, schema, element, elementSteps));
      }
    }
  });
  return issues;
}

function isEmptySchema(schema: unknown): boolean {
  return isPlainObject(schema) && Object.keys(schema).length === 0;
}

/** Formats ajv-formats knows are checked; unknown formats accept anything. */
function satisfiesFormat(format: string, value: unknown): boolean {
  const definition = (fullFormats as Record<string, unknown>)[format];
  if (definition === undefined || definition === true) return true;
  let appliesTo: 'string' | 'number' = 'string';
  let validate: unknown = definition;
  if (isPlainObject(definition) && !(definition instanceof RegExp)) {
    if (definition.type === 'number') appliesTo = 'number';
    validate = definition.validate;
  }
  if (typeof value !== appliesTo) return true;
  if (validate instanceof RegExp) return validate.test(String(value));
  if (typeof validate === 'string') return new RegExp(validate).test(String(value));
  if (typeof validate === 'function') return Boolean((validate as (data: unknown) => unknown)(value));
  return true;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
