/**
 * The static check of an imported pact honours its matching rules, which
 * PactFlow's own comparator ignores: a rule says more about what the
 * consumer needs than its example value does. Pure: a response body schema
 * and the pact's body rules in, issues out (the static check turns them into
 * findings).
 *
 * - `integer` needs the spec to promise integers (`number` may send 1.5);
 *   `decimal` numbers (an `integer` schema never sends a fraction); `number`,
 *   `boolean`, `null`, `date`/`time`/`datetime` (a string) their types.
 * - `regex`: every value of the spec's `enum` must match it.
 * - `values`, `eachKey`, `eachValue` make an object's keys data: the static
 *   check does not look those keys up as declared properties.
 */
import type { LocationStep } from '../contract/body-path.js';
import { isPlainObject } from '../contract/relies-on.js';
import type { SchemaIssue } from '../contract/schema-check.js';
import { deref } from '../openapi/document.js';
import { type PathRule, pathRules, selectRules } from './rules.js';

export interface RuleIssue {
  code: 'response.body.incompatible' | 'response.body.nullable' | 'response.body.enum';
  steps: LocationStep[];
  expected: unknown;
  actual: unknown;
  detail: string;
}

export interface PactStaticResult {
  issues: RuleIssue[];
  /** Body locations whose keys are data (map-like rules): property findings beneath them do not apply. */
  mapLike: LocationStep[][];
}

const TYPE_OF_RULE: Record<string, { accepts: (types: Set<string>) => boolean; wants: string }> = {
  integer: { accepts: (t) => t.has('integer'), wants: 'integer' },
  decimal: { accepts: (t) => t.has('number'), wants: 'number (with a fraction)' },
  number: { accepts: (t) => t.has('number') || t.has('integer'), wants: 'number' },
  boolean: { accepts: (t) => t.has('boolean'), wants: 'boolean' },
  date: { accepts: (t) => t.has('string'), wants: 'string (date)' },
  time: { accepts: (t) => t.has('string'), wants: 'string (time)' },
  datetime: { accepts: (t) => t.has('string'), wants: 'string (datetime)' },
  timestamp: { accepts: (t) => t.has('string'), wants: 'string (datetime)' },
};

/** Checks the rules of an imported interaction's body against the response schema. */
export function checkPactRules(
  document: unknown,
  schema: unknown,
  body: unknown,
  bodyRules: unknown,
): PactStaticResult {
  const rules = pathRules(bodyRules, 'matchingRules.body');
  const result: PactStaticResult = { issues: [], mapLike: [] };
  if (rules.length === 0) return result;
  walk(document, rules, [schema], body, [], result);
  return result;
}

function walk(
  document: unknown,
  rules: PathRule[],
  schemas: unknown[],
  value: unknown,
  steps: LocationStep[],
  result: PactStaticResult,
): void {
  const candidates = schemas.flatMap((s) => alternatives(document, s));
  const selected = selectRules(rules, steps);
  const own = selected && !selected.inherited ? selected.rule.rules : undefined;
  const matchers = selected?.rule.rules.matchers ?? [];
  if (own?.matchers.some((m) => ['values', 'eachKey', 'eachValue'].includes(m.match)))
    result.mapLike.push(steps);
  if (candidates.length > 0 && !isPlainObject(value) && !Array.isArray(value)) {
    for (const matcher of matchers)
      checkLeafRule(matcher, candidates, steps, selected?.rule.rules.combine ?? 'AND', result);
  }
  if (isPlainObject(value)) {
    for (const [name, child] of Object.entries(value)) {
      const childSchemas = candidates.flatMap((s) => propertySchemas(document, s, name));
      if (childSchemas.length) walk(document, rules, childSchemas, child, [...steps, name], result);
    }
  } else if (Array.isArray(value)) {
    const items = candidates.map((s) => (s as { items?: unknown }).items).filter((s) => s !== undefined);
    if (items.length)
      value.forEach((child, index) => {
        walk(document, rules, items, child, [...steps, index], result);
      });
  }
}

function checkLeafRule(
  matcher: Record<string, unknown> & { match: string },
  candidates: Record<string, unknown>[],
  steps: LocationStep[],
  combine: 'AND' | 'OR',
  result: PactStaticResult,
): void {
  if (combine === 'OR') return; // another matcher of the set may be the one the spec satisfies
  const types = new Set(candidates.flatMap(typesOf));
  if (types.size === 0) return; // a schema without type allows anything
  if (matcher.match === 'null') {
    if (!types.has('null'))
      result.issues.push({
        code: 'response.body.nullable',
        steps,
        expected: [...types],
        actual: 'null',
        detail: 'the pact requires null (null rule); the spec does not allow null',
      });
    return;
  }
  const typed = TYPE_OF_RULE[matcher.match];
  if (typed && !typed.accepts(types)) {
    result.issues.push({
      code: 'response.body.incompatible',
      steps,
      expected: [...types],
      actual: typed.wants,
      detail: `the pact's ${matcher.match} rule needs ${typed.wants}; the spec gives ${[...types].join(' or ')}`,
    });
    return;
  }
  if (matcher.match === 'regex' && typeof matcher.regex === 'string') {
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${matcher.regex})$`, 'u');
    } catch {
      return;
    }
    const enums = candidates.flatMap((s) => (Array.isArray(s.enum) ? s.enum : []));
    const outside = enums.filter((v) => typeof v === 'string' && !regex.test(v));
    if (outside.length > 0)
      result.issues.push({
        code: 'response.body.enum',
        steps,
        expected: matcher.regex,
        actual: outside,
        detail: `the spec allows ${outside.map((v) => JSON.stringify(v)).join(', ')}, which the pact's regex /${matcher.regex}/ rejects`,
      });
  }
}

/** A schema and its allOf members, or its oneOf/anyOf branches, `$ref`s followed. */
function alternatives(document: unknown, node: unknown, depth = 0): Record<string, unknown>[] {
  const schema = deref<Record<string, unknown>>(document, node);
  if (!isPlainObject(schema) || depth > 16) return [];
  const branches = [...asArray(schema.oneOf), ...asArray(schema.anyOf)];
  if (branches.length) return branches.flatMap((b) => alternatives(document, b, depth + 1));
  const members = asArray(schema.allOf);
  if (!members.length) return [schema];
  const merged: Record<string, unknown> = { ...schema };
  for (const member of members.flatMap((m) => alternatives(document, m, depth + 1))) {
    merged.properties = { ...(merged.properties as object), ...(member.properties as object) };
    for (const key of ['type', 'items', 'enum', 'nullable', 'additionalProperties'])
      if (merged[key] === undefined && member[key] !== undefined) merged[key] = member[key];
  }
  return [merged];
}

function propertySchemas(document: unknown, schema: Record<string, unknown>, name: string): unknown[] {
  const properties = deref<Record<string, unknown>>(document, schema.properties);
  if (properties && Object.hasOwn(properties, name)) return [properties[name]];
  if (isPlainObject(schema.additionalProperties)) return [schema.additionalProperties];
  return [];
}

function typesOf(schema: Record<string, unknown>): string[] {
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  const out = types.filter((t): t is string => typeof t === 'string');
  if (schema.nullable === true) out.push('null');
  if (out.length === 0 && Array.isArray(schema.enum) && schema.enum.includes(null)) out.push('null');
  return out;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * The schema issues of an imported interaction's body with its matching
 * rules honoured: property issues beneath map-like rules dropped (their keys
 * are data), the rules' own issues added.
 */
export function withPactRules(
  document: unknown,
  schema: unknown,
  body: unknown,
  bodyRules: unknown,
  issues: SchemaIssue[],
): SchemaIssue[] {
  const { issues: ruleIssues, mapLike } = checkPactRules(document, schema, body, bodyRules);
  const beneathMap = (steps: LocationStep[]) =>
    mapLike.some((prefix) => prefix.length < steps.length && prefix.every((step, i) => steps[i] === step));
  return [
    ...issues.filter(
      (issue) =>
        !(
          (issue.code === 'response.body.missing' || issue.code === 'response.body.undeclared') &&
          beneathMap(issue.steps)
        ),
    ),
    ...ruleIssues,
  ];
}
