/**
 * Verification of an interaction imported from a pact file: the provider's
 * response compared with the pact's expected response the way the Pact
 * specification defines it. Without a rule, values must be equal (objects may
 * have extra keys, arrays must have the same elements); a matching rule
 * relaxes or changes that for its path and everything beneath it. A rule
 * this module does not know is a mismatch of its own, never a pass.
 * docs/verification-matching.md ("Imported pacts") documents the rules.
 */
import { isDeepStrictEqual } from 'node:util';
import { formatLocation } from '../contract/body-path.js';
import type { ActualResponse } from '../contract/compare-response.js';
import { headerValue, isJsonMediaType, mediaTypeOf } from '../contract/media-type.js';
import { isPlainObject, jsonTypeOf } from '../contract/relies-on.js';
import { EntenteError } from '../errors.js';
import type { Interaction, Mismatch } from '../model/records.js';
import { dateFormatRegExp, ISO_DEFAULTS, UnsupportedDateFormat } from './date-format.js';
import {
  type Matcher,
  type PathRule,
  parseRuleSet,
  pathRules,
  type RuleSet,
  type Step,
  selectRules,
} from './rules.js';

export type PactMismatchKind =
  | 'response.status'
  | 'response.header'
  | 'response.body.missing'
  | 'response.body.not-json'
  | 'response.body.type'
  | 'response.body.value'
  | 'response.body.length'
  | 'response.rule'
  | 'pact.rule.unsupported';

/** Every mismatch kind the comparison of an imported pact reports, documented. */
export const pactMismatchKinds: Record<PactMismatchKind, { title: string; description: string }> = {
  'response.status': {
    title: 'Status differs',
    description:
      'Another status than the pact expects (or, with a statusCode rule, a status outside its class or list).',
  },
  'response.header': {
    title: 'Header missing or different',
    description:
      'A header the pact expects is absent, or its value differs (whitespace after commas ignored; Content-Type compared by media type and the parameters the pact gives), or does not satisfy its header rule.',
  },
  'response.body.missing': {
    title: 'Expected body or key missing',
    description: 'The pact expects a body, or a key in an object, that the response does not have.',
  },
  'response.body.not-json': {
    title: 'Body is not JSON',
    description: 'The pact expects a JSON body; the response body does not parse as JSON.',
  },
  'response.body.type': {
    title: 'Another type',
    description: 'A value has another JSON type than expected (type matcher, or an object/array expected).',
  },
  'response.body.value': {
    title: 'Value differs',
    description: 'No rule applies (or an equality rule does) and the value is not equal to the expected one.',
  },
  'response.body.length': {
    title: 'Array length',
    description:
      'An array has another length than expected (no rule applies), or fewer or more elements than a min/max rule allows.',
  },
  'response.rule': {
    title: 'Matching rule not satisfied',
    description:
      'A value does not satisfy a matching rule: regex, integer, decimal, number, boolean, null, date/time/datetime format, include, semver, notEmpty, contentType, eachKey, arrayContains.',
  },
  'pact.rule.unsupported': {
    title: 'Matching rule not supported',
    description:
      'The pact has a matching rule entente does not implement (or cannot read): the interaction fails rather than pass unchecked.',
  },
};

export type PactMismatch = Mismatch & { kind: PactMismatchKind };

/** Compares a provider response with an imported pact interaction's expected response and rules. */
export function comparePactResponse(interaction: Interaction, actual: ActualResponse): PactMismatch[] {
  const rules = interaction.pact?.response?.matchingRules ?? {};
  const out: PactMismatch[] = [];
  const where = `interaction ${interaction.id} pact.response.matchingRules`;
  const expected = interaction.response;
  try {
    compareStatus(expected.status, actual.status, rules.status, `${where}.status`, out);
    if (out.length > 0) return out;
    compareHeaders(expected.headers ?? {}, actual.headers, rules.header, `${where}.header`, out);
    compareBody(interaction, actual, pathRules(rules.body, `${where}.body`), out);
  } catch (error) {
    if (!(error instanceof EntenteError)) throw error;
    out.push({ kind: 'pact.rule.unsupported', path: 'matchingRules', message: error.message });
  }
  return out;
}

const STATUS_CLASSES: Record<string, (status: number) => boolean> = {
  info: (s) => s >= 100 && s < 200,
  success: (s) => s >= 200 && s < 300,
  redirect: (s) => s >= 300 && s < 400,
  clientError: (s) => s >= 400 && s < 500,
  serverError: (s) => s >= 500 && s < 600,
  nonError: (s) => s < 400,
  error: (s) => s >= 400,
};

function compareStatus(
  expected: number,
  actual: number,
  category: unknown,
  where: string,
  out: PactMismatch[],
): void {
  const rules = pathRules(category, where);
  const ruleSet = rules.find((r) => r.tokens.length === 0)?.rules;
  if (!ruleSet) {
    if (expected !== actual)
      out.push({
        kind: 'response.status',
        path: 'status',
        expected,
        actual,
        message: `status: expected ${expected}, got ${actual}`,
      });
    return;
  }
  const results = ruleSet.matchers.map((matcher): PactMismatch[] => {
    if (matcher.match !== 'statusCode') return checkLeaf(matcher, expected, actual, 'status');
    const status = matcher.status;
    const accepted = Array.isArray(status)
      ? status.map(Number).includes(actual)
      : typeof status === 'string' && STATUS_CLASSES[status]
        ? STATUS_CLASSES[status](actual)
        : undefined;
    if (accepted === undefined) return [unsupported('status', matcher, 'unknown status class')];
    return accepted
      ? []
      : [
          {
            kind: 'response.status',
            path: 'status',
            expected: status,
            actual,
            message: `status: expected ${Array.isArray(status) ? `one of ${status.join(', ')}` : `a ${status} status`}, got ${actual}`,
          },
        ];
  });
  out.push(...combine(ruleSet, results));
}

function compareHeaders(
  expected: Record<string, string>,
  actual: Record<string, string>,
  category: unknown,
  where: string,
  out: PactMismatch[],
): void {
  const rules = pathRules(category, where);
  for (const [name, value] of Object.entries(expected)) {
    const path = `header ${name.toLowerCase()}`;
    const received = headerValue(actual, name);
    if (received === undefined) {
      out.push({
        kind: 'response.header',
        path,
        expected: value,
        message: `${path}: missing; the pact expects ${JSON.stringify(value)}`,
      });
      continue;
    }
    const rule = rules.find((r) => r.path.toLowerCase() === name.toLowerCase());
    if (rule) {
      const results = rule.rules.matchers.map((m) => checkLeaf(m, value, received, path, true));
      out.push(...combine(rule.rules, results).map((m) => ({ ...m, kind: headerKind(m.kind) })));
      continue;
    }
    if (!headerValuesEqual(name, value, received)) {
      out.push({
        kind: 'response.header',
        path,
        expected: value,
        actual: received,
        message: `${path}: expected ${JSON.stringify(value)}, got ${JSON.stringify(received)}`,
      });
    }
  }
}

function headerKind(kind: PactMismatchKind): PactMismatchKind {
  return kind === 'pact.rule.unsupported' ? kind : 'response.header';
}

function headerValuesEqual(name: string, expected: string, actual: string): boolean {
  if (name.toLowerCase() !== 'content-type')
    return expected.replace(/,\s+/g, ',') === actual.replace(/,\s+/g, ',');
  const [expectedType, ...expectedParams] = expected.split(';').map((p) => p.trim().toLowerCase());
  const [actualType, ...actualParams] = actual.split(';').map((p) => p.trim().toLowerCase());
  return expectedType === actualType && expectedParams.every((p) => actualParams.includes(p));
}

function compareBody(
  interaction: Interaction,
  actual: ActualResponse,
  rules: PathRule[],
  out: PactMismatch[],
): void {
  const expected = interaction.response.body;
  if (expected === undefined) return;
  if (actual.body === undefined) {
    out.push({
      kind: 'response.body.missing',
      path: '$',
      message: '$: the response has no body; the pact expects one',
    });
    return;
  }
  const expectedType = mediaTypeOf(headerValue(interaction.response.headers, 'content-type'));
  const json = expectedType ? isJsonMediaType(expectedType) : typeof expected !== 'string';
  let body = actual.body;
  if (
    json &&
    typeof body === 'string' &&
    !isJsonMediaType(mediaTypeOf(headerValue(actual.headers, 'content-type')))
  ) {
    try {
      body = JSON.parse(body);
    } catch {
      out.push({
        kind: 'response.body.not-json',
        path: '$',
        expected: 'JSON',
        actual: preview(body),
        message: '$: the pact expects a JSON body; the response body is not JSON',
      });
      return;
    }
  }
  new BodyMatcher(rules, actual).compare([], expected, body, out);
}

/** Container-level matchers: they say how an object or array's children are compared. */
const MAP_MATCHERS = new Set(['values', 'eachKey', 'eachValue']);

class BodyMatcher {
  constructor(
    private readonly rules: PathRule[],
    private readonly response: ActualResponse,
  ) {}

  compare(steps: Step[], expected: unknown, actual: unknown, out: PactMismatch[]): void {
    const selected = selectRules(this.rules, steps);
    if (!selected) {
      this.compareByDefault(steps, expected, actual, out);
      return;
    }
    const location = formatLocation(steps);
    const { rules } = selected.rule;
    // A parent's collection-level rule does not constrain its children's own collections.
    const matchers = selected.inherited
      ? rules.matchers
          .filter((m) => !MAP_MATCHERS.has(m.match) && m.match !== 'arrayContains')
          .map((m) => (m.match === 'type' ? { match: 'type' } : m))
      : rules.matchers;
    if (matchers.length === 0) {
      this.compareByDefault(steps, expected, actual, out);
      return;
    }
    const results = matchers.map((matcher) => this.apply(matcher, steps, location, expected, actual));
    const found = combine({ combine: rules.combine, matchers }, results);
    out.push(...found);
    if (found.length > 0) return;
    // eachValue compared the children already, with its own rules.
    if (matchers.some((m) => ['equality', 'arrayContains', 'eachValue'].includes(m.match))) return;
    const mapLike = matchers.some((m) => MAP_MATCHERS.has(m.match));
    this.compareChildren(steps, expected, actual, out, true, mapLike);
  }

  /** No rule: equal values; objects may have extra keys; arrays the same length. */
  private compareByDefault(steps: Step[], expected: unknown, actual: unknown, out: PactMismatch[]): void {
    const location = formatLocation(steps);
    if (isPlainObject(expected) || Array.isArray(expected)) {
      const type = jsonTypeOf(expected);
      if (jsonTypeOf(actual) !== type) {
        out.push(typeMismatch(location, type, actual));
        return;
      }
      this.compareChildren(steps, expected, actual, out, false);
      return;
    }
    if (!isDeepStrictEqual(expected, actual)) {
      out.push({
        kind: 'response.body.value',
        path: location,
        expected,
        actual,
        message: `${location}: expected ${preview(expected)}, got ${preview(actual)}`,
      });
    }
  }

  private compareChildren(
    steps: Step[],
    expected: unknown,
    actual: unknown,
    out: PactMismatch[],
    ruled: boolean,
    mapLike = false,
  ): void {
    const location = formatLocation(steps);
    if (isPlainObject(expected) && isPlainObject(actual)) {
      if (mapLike) {
        const examples = Object.values(expected);
        for (const [key, value] of Object.entries(actual)) {
          const example = Object.hasOwn(expected, key) ? expected[key] : examples[0];
          if (example !== undefined || examples.length === 0)
            this.compare([...steps, key], example, value, out);
        }
        return;
      }
      for (const [key, value] of Object.entries(expected)) {
        if (Object.hasOwn(actual, key)) this.compare([...steps, key], value, actual[key], out);
        else {
          const at = formatLocation([...steps, key]);
          out.push({
            kind: 'response.body.missing',
            path: at,
            expected: value,
            message: `${at}: missing; the pact expects ${preview(value)}`,
          });
        }
      }
      return;
    }
    if (Array.isArray(expected) && Array.isArray(actual)) {
      if (ruled) {
        if (expected.length === 0) return;
        actual.forEach((item, index) => {
          this.compare([...steps, index], expected[index] ?? expected[0], item, out);
        });
        return;
      }
      if (expected.length !== actual.length) {
        out.push({
          kind: 'response.body.length',
          path: location,
          expected: expected.length,
          actual: actual.length,
          message: `${location}: expected ${expected.length} elements, got ${actual.length}`,
        });
      }
      const length = Math.min(expected.length, actual.length);
      for (let i = 0; i < length; i += 1) this.compare([...steps, i], expected[i], actual[i], out);
    }
  }

  private apply(
    matcher: Matcher,
    steps: Step[],
    location: string,
    expected: unknown,
    actual: unknown,
  ): PactMismatch[] {
    switch (matcher.match) {
      case 'type':
        return checkType(matcher, location, expected, actual);
      case 'values':
        return isPlainObject(actual) ? [] : [typeMismatch(location, 'object', actual)];
      case 'eachKey':
      case 'eachValue':
        return this.applyEach(matcher, steps, location, expected, actual);
      case 'arrayContains':
        return this.applyArrayContains(matcher, location, expected, actual);
      case 'contentType':
        return checkContentType(matcher, location, this.response);
      default:
        if (
          (isPlainObject(expected) && isPlainObject(actual)) ||
          (Array.isArray(expected) && Array.isArray(actual) && matcher.match !== 'notEmpty')
        )
          return []; // cascades to the children
        return checkLeaf(matcher, expected, actual, location);
    }
  }

  private applyEach(
    matcher: Matcher,
    steps: Step[],
    location: string,
    expected: unknown,
    actual: unknown,
  ): PactMismatch[] {
    const inner = Array.isArray(matcher.rules) ? matcher.rules : undefined;
    if (!inner) return [unsupported(location, matcher, 'rules is missing')];
    const ruleSet = parseRuleSet({ combine: 'AND', matchers: inner }, `${location} ${matcher.match}.rules`);
    const out: PactMismatch[] = [];
    if (matcher.match === 'eachKey') {
      if (!isPlainObject(actual)) return [typeMismatch(location, 'object', actual)];
      for (const key of Object.keys(actual)) {
        const at = `${formatLocation([...steps, key])} (key)`;
        out.push(
          ...combine(
            ruleSet,
            ruleSet.matchers.map((m) => checkLeaf(m, key, key, at, true)),
          ),
        );
      }
      return out;
    }
    const children: [Step, unknown][] = isPlainObject(actual)
      ? Object.entries(actual)
      : Array.isArray(actual)
        ? actual.map((item, index) => [index, item])
        : [];
    if (children.length === 0 && !isPlainObject(actual) && !Array.isArray(actual))
      return [typeMismatch(location, jsonTypeOf(expected), actual)];
    const examples = isPlainObject(expected)
      ? Object.values(expected)
      : Array.isArray(expected)
        ? expected
        : [];
    const each = new BodyMatcher(
      [
        ...this.rules,
        { path: `${location}[*]`, tokens: [...steps.map(toToken), { kind: 'star' }], rules: ruleSet },
      ],
      this.response,
    );
    for (const [step, value] of children) each.compare([...steps, step], examples[0], value, out);
    return out;
  }

  private applyArrayContains(
    matcher: Matcher,
    location: string,
    expected: unknown,
    actual: unknown,
  ): PactMismatch[] {
    if (!Array.isArray(actual)) return [typeMismatch(location, 'array', actual)];
    const variants = Array.isArray(matcher.variants) ? matcher.variants : undefined;
    if (!variants) return [unsupported(location, matcher, 'variants is missing')];
    const out: PactMismatch[] = [];
    for (const [i, variant] of variants.entries()) {
      if (!isPlainObject(variant)) return [unsupported(location, matcher, `variants[${i}] is not an object`)];
      const example = Array.isArray(expected) ? expected[Number(variant.index)] : undefined;
      const rules = pathRules(variant.rules, `${location} arrayContains.variants[${i}].rules`);
      const found = actual.some((item) => {
        const mismatches: PactMismatch[] = [];
        new BodyMatcher(rules, this.response).compare([], example, item, mismatches);
        return mismatches.length === 0;
      });
      if (!found) {
        out.push({
          kind: 'response.rule',
          path: location,
          expected: example,
          message: `${location}: no element matches variant ${i} of arrayContains (${preview(example)})`,
        });
      }
    }
    return out;
  }
}

function toToken(step: Step) {
  return typeof step === 'number'
    ? { kind: 'index' as const, index: step }
    : { kind: 'field' as const, name: step };
}

function checkType(matcher: Matcher, location: string, expected: unknown, actual: unknown): PactMismatch[] {
  const type = jsonTypeOf(expected);
  if (expected !== undefined && jsonTypeOf(actual) !== type) return [typeMismatch(location, type, actual)];
  const out: PactMismatch[] = [];
  const size = Array.isArray(actual)
    ? actual.length
    : isPlainObject(actual)
      ? Object.keys(actual).length
      : undefined;
  if (size === undefined) return out;
  const min = typeof matcher.min === 'number' ? matcher.min : undefined;
  const max = typeof matcher.max === 'number' ? matcher.max : undefined;
  if ((min !== undefined && size < min) || (max !== undefined && size > max)) {
    const bounds = [min !== undefined ? `at least ${min}` : '', max !== undefined ? `at most ${max}` : '']
      .filter(Boolean)
      .join(' and ');
    out.push({
      kind: 'response.body.length',
      path: location,
      expected: bounds,
      actual: size,
      message: `${location}: expected ${bounds} elements, got ${size}`,
    });
  }
  return out;
}

function checkContentType(matcher: Matcher, location: string, response: ActualResponse): PactMismatch[] {
  const wanted = typeof matcher.value === 'string' ? mediaTypeOf(matcher.value) : undefined;
  if (!wanted) return [unsupported(location, matcher, 'value is missing')];
  const actual = mediaTypeOf(headerValue(response.headers, 'content-type'));
  if (actual === wanted) return [];
  return [
    {
      kind: 'response.rule',
      path: location,
      expected: wanted,
      actual: actual ?? null,
      message: `${location}: expected content of type ${wanted}, got ${actual ?? 'none'}`,
    },
  ];
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/**
 * A matcher applied to one value (a body leaf, a header value, a status,
 * a map key). Strings stand for numbers and booleans in headers and keys.
 */
export function checkLeaf(
  matcher: Matcher,
  expected: unknown,
  actual: unknown,
  location: string,
  textual = false,
): PactMismatch[] {
  const fail = (what: string): PactMismatch[] => [
    {
      kind: 'response.rule',
      path: location,
      expected: describeMatcher(matcher),
      actual: actual === undefined ? null : actual,
      message: `${location}: expected ${what}, got ${actual === undefined ? 'nothing' : preview(actual)}`,
    },
  ];
  const text = typeof actual === 'string' ? actual : undefined;
  // Headers and map keys are text: there a number or a boolean can only be written as one.
  const written = textual ? text : undefined;
  switch (matcher.match) {
    case 'equality':
      return isDeepStrictEqual(expected, actual)
        ? []
        : [
            {
              kind: 'response.body.value',
              path: location,
              expected,
              actual,
              message: `${location}: expected ${preview(expected)} (equality), got ${preview(actual)}`,
            },
          ];
    case 'type':
      return jsonTypeOf(expected) === jsonTypeOf(actual)
        ? []
        : [typeMismatch(location, jsonTypeOf(expected), actual)];
    case 'regex': {
      if (typeof matcher.regex !== 'string') return [unsupported(location, matcher, 'regex is missing')];
      let regex: RegExp;
      try {
        regex = new RegExp(`^(?:${matcher.regex})$`, 'u');
      } catch {
        return [unsupported(location, matcher, 'the regular expression does not compile in JavaScript')];
      }
      if (actual === null || typeof actual === 'object' || actual === undefined)
        return fail(`a value matching /${matcher.regex}/`);
      return regex.test(String(actual)) ? [] : fail(`a value matching /${matcher.regex}/`);
    }
    case 'integer':
      return (typeof actual === 'number' && Number.isInteger(actual)) ||
        (written !== undefined && /^-?\d+$/.test(written))
        ? []
        : fail('an integer');
    case 'decimal':
      return (typeof actual === 'number' && Number.isFinite(actual) && !Number.isInteger(actual)) ||
        (written !== undefined && /^-?\d*\.\d+$/.test(written))
        ? []
        : fail('a decimal number (with a fraction)');
    case 'number':
      return typeof actual === 'number' ||
        (written !== undefined && /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(written))
        ? []
        : fail('a number');
    case 'boolean':
      return typeof actual === 'boolean' || written === 'true' || written === 'false'
        ? []
        : fail('a boolean');
    case 'null':
      return actual === null ? [] : fail('null');
    case 'date':
    case 'time':
    case 'datetime':
    case 'timestamp': {
      const format = [
        matcher.format,
        matcher[matcher.match],
        matcher.date,
        matcher.time,
        matcher.timestamp,
      ].find((f): f is string => typeof f === 'string');
      const kind = matcher.match === 'timestamp' ? 'datetime' : matcher.match;
      let regex: RegExp;
      try {
        regex = format === undefined ? ISO_DEFAULTS[kind] : dateFormatRegExp(format);
      } catch (error) {
        if (error instanceof UnsupportedDateFormat) return [unsupported(location, matcher, error.message)];
        throw error;
      }
      const what = `a ${kind} ${format === undefined ? '(ISO 8601)' : `in the format ${format}`}`;
      return text !== undefined && regex.test(text) ? [] : fail(what);
    }
    case 'include':
      if (typeof matcher.value !== 'string') return [unsupported(location, matcher, 'value is missing')];
      return actual !== undefined &&
        actual !== null &&
        typeof actual !== 'object' &&
        String(actual).includes(matcher.value)
        ? []
        : fail(`a value including ${JSON.stringify(matcher.value)}`);
    case 'notEmpty':
      return actual === undefined ||
        actual === null ||
        actual === '' ||
        (Array.isArray(actual) && actual.length === 0) ||
        (isPlainObject(actual) && Object.keys(actual).length === 0)
        ? fail('a value that is not empty')
        : jsonTypeOf(expected) === jsonTypeOf(actual) || expected === undefined
          ? []
          : [typeMismatch(location, jsonTypeOf(expected), actual)];
    case 'semver':
      return text !== undefined && SEMVER.test(text) ? [] : fail('a semantic version');
    default:
      return [unsupported(location, matcher, 'not supported here')];
  }
}

function combine(ruleSet: RuleSet, results: PactMismatch[][]): PactMismatch[] {
  if (ruleSet.combine === 'AND') return results.flat();
  const unsupportedFound = results.flat().filter((m) => m.kind === 'pact.rule.unsupported');
  if (results.some((r) => r.length === 0)) return unsupportedFound;
  return results.flat();
}

function unsupported(location: string, matcher: Matcher, why: string): PactMismatch {
  return {
    kind: 'pact.rule.unsupported',
    path: location,
    expected: matcher,
    message: `${location}: matching rule ${JSON.stringify(matcher)} cannot be checked (${why}): the interaction fails rather than pass unchecked`,
  };
}

function typeMismatch(location: string, expected: string, actual: unknown): PactMismatch {
  const type = actual === undefined ? 'nothing' : jsonTypeOf(actual);
  return {
    kind: 'response.body.type',
    path: location,
    expected,
    actual: type,
    message: `${location}: expected ${expected}, got ${type}${actual === undefined ? '' : ` (${preview(actual)})`}`,
  };
}

function describeMatcher(matcher: Matcher): string {
  return JSON.stringify(matcher);
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
