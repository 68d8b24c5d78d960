/**
 * Verification's comparison: does a real provider response still give the
 * consumer what it relies on? The rules are documented in
 * docs/verification-matching.md.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Interaction, Mismatch } from '../model/records.js';
import { REDACTED } from '../redact/shapes.js';
import { type BodyPath, formatBodyPath, formatLocation, type LocationStep } from './body-path.js';
import { headerValue, isJsonMediaType, mediaTypeOf, mediaTypesCompatible } from './media-type.js';
import { isPlainObject, jsonTypeOf, parseRecordedPaths, reliedOnShape } from './relies-on.js';
import type { SpecAllowance } from './spec-allowance.js';
import { describeTypes, shapeOf, type ValueShape, widenShape } from './value-shape.js';

export type MismatchKind =
  | 'response.status'
  | 'response.content-type'
  | 'response.body.not-json'
  | 'response.body.missing'
  | 'response.body.type'
  | 'response.body.value';

/** Every mismatch kind verification reports, documented. */
export const mismatchKinds: Record<MismatchKind, { title: string; description: string }> = {
  'response.status': {
    title: 'Status differs',
    description:
      'The provider answered with another status than the one the consumer received. The body of a response with another status is not compared.',
  },
  'response.content-type': {
    title: 'Content type incompatible',
    description:
      'The Content-Type of the response is not compatible with the one the consumer received. Parameters (charset) are ignored; every JSON media type (application/json, application/problem+json, application/vnd.x+json) is compatible with every other.',
  },
  'response.body.not-json': {
    title: 'Body is not JSON',
    description: 'The consumer relies on a JSON body, and the response body does not parse as JSON.',
  },
  'response.body.missing': {
    title: 'Relied-on field missing',
    description:
      'A field the consumer relies on is absent from the response (or the response has no body at all).',
  },
  'response.body.type': {
    title: 'Relied-on field has another type',
    description:
      'A field the consumer relies on has another JSON type than the one it received (string, number, boolean, null, object, array). null where a value was received is a type mismatch.',
  },
  'response.body.value': {
    title: 'Pinned value differs',
    description: 'A value the contract pins is not equal (deep equality) to the one the consumer received.',
  },
};

export type VerificationMismatch = Mismatch & { kind: MismatchKind };

export interface ActualResponse {
  status: number;
  headers: Record<string, string>;
  /**
   * The parsed JSON body when the response's content type is JSON; otherwise
   * the raw text (or undefined for an empty body).
   */
  body: unknown;
}

export interface CompareOptions {
  /**
   * What a format 1 interaction (no `allows` of its own) may treat as the
   * spec's allowance: derived from the spec of the provider version verified.
   */
  legacyAllows?: SpecAllowance;
}

/** Compares an actual provider response with what the interaction's consumer relies on. */
export function compareResponse(
  interaction: Interaction,
  actual: ActualResponse,
  options: CompareOptions = {},
): VerificationMismatch[] {
  const recorded = interaction.response;
  if (recorded.status !== actual.status) {
    return [
      {
        kind: 'response.status',
        path: 'status',
        expected: recorded.status,
        actual: actual.status,
        message: `status: expected ${recorded.status}, got ${actual.status}`,
      },
    ];
  }
  const where = `interaction ${interaction.id}`;
  const shape = reliedOnShape(recorded.body, recorded.reliesOn, where);
  const pins = parseRecordedPaths(recorded.body, recorded.pins ?? [], where);
  if (shape === undefined && pins.length === 0) return [];

  const mismatches: VerificationMismatch[] = [];
  const expectedType =
    mediaTypeOf(headerValue(recorded.headers, 'content-type')) ??
    (recorded.body === undefined ? undefined : 'application/json');
  const actualType = mediaTypeOf(headerValue(actual.headers, 'content-type'));
  if (
    expectedType &&
    actual.body !== undefined &&
    !(actualType && mediaTypesCompatible(expectedType, actualType))
  ) {
    mismatches.push({
      kind: 'response.content-type',
      path: 'header content-type',
      expected: expectedType,
      actual: actualType ?? null,
      message: `content-type: expected ${expectedType}${isJsonMediaType(expectedType) ? ' (or another JSON type)' : ''}, got ${actualType ?? 'none'}`,
    });
  }
  if (actual.body === undefined) {
    mismatches.push({
      kind: 'response.body.missing',
      path: '$',
      message: '$: the response has no body; the consumer relies on one',
    });
    return mismatches;
  }

  let body = actual.body;
  if (isJsonMediaType(expectedType) && typeof body === 'string' && !isJsonMediaType(actualType)) {
    const text = body;
    try {
      body = JSON.parse(text);
    } catch {
      mismatches.push({
        kind: 'response.body.not-json',
        path: '$',
        expected: 'JSON',
        actual: text.length > 80 ? `${text.slice(0, 80)}…` : text,
        message: '$: the consumer relies on a JSON body; the response body is not JSON',
      });
      return mismatches;
    }
  }

  const structural: VerificationMismatch[] = [];
  if (shape !== undefined) {
    const allows = recorded.reliance === undefined ? options.legacyAllows : recorded.allows;
    compareShape(widenShape(shapeOf(shape), allows), body, [], structural);
  }
  const reported = structural.map((mismatch) => mismatch.path);
  const pinned: VerificationMismatch[] = [];
  for (const pin of pins) comparePinned(pin, 0, recorded.body, body, [], pinned);
  return [
    ...mismatches,
    ...structural,
    ...pinned.filter((mismatch) => !reported.some((path) => isLocationWithin(mismatch.path, path))),
  ];
}

function compareShape(
  shape: ValueShape,
  actual: unknown,
  steps: LocationStep[],
  out: VerificationMismatch[],
): void {
  // A recorded null shows the consumer copes without a value, not which type it expects.
  if (shape.types.size === 1 && shape.types.has('null')) return;
  const location = formatLocation(steps);
  const type = jsonTypeOf(actual);
  if (!shape.types.has(type)) {
    const expected = describeTypes(shape.types);
    out.push({
      kind: 'response.body.type',
      path: location,
      expected,
      actual: type,
      message: `${location}: expected ${expected}, got ${type} (${preview(actual)})`,
    });
    return;
  }
  if (isPlainObject(actual) && shape.fields) {
    for (const [name, field] of shape.fields) {
      if (Object.hasOwn(actual, name)) compareShape(field.shape, actual[name], [...steps, name], out);
      else if (field.required) {
        const fieldLocation = formatLocation([...steps, name]);
        const expected = describeTypes(field.shape.types);
        out.push({
          kind: 'response.body.missing',
          path: fieldLocation,
          expected,
          message: `${fieldLocation}: missing; the consumer relies on it (${expected})`,
        });
      }
    }
  } else if (Array.isArray(actual) && shape.element) {
    const element = shape.element;
    actual.forEach((item, index) => {
      compareShape(element, item, [...steps, index], out);
    });
  }
}

function comparePinned(
  path: BodyPath,
  index: number,
  expected: unknown,
  actual: unknown,
  steps: LocationStep[],
  out: VerificationMismatch[],
): void {
  const location = formatLocation(steps);
  const pin = formatBodyPath(path);
  if (index === path.length) {
    // A secret redacted when recorded cannot be compared: its real value was never stored.
    if (expected !== REDACTED && !isDeepStrictEqual(expected, actual)) {
      out.push({
        kind: 'response.body.value',
        path: location,
        expected,
        actual,
        message: `${location}: pinned (${pin || 'the whole body'}) to ${preview(expected)}, got ${actual === undefined ? 'nothing' : preview(actual)}`,
      });
    }
    return;
  }
  const segment = path[index]!;
  if (segment.kind === 'field') {
    if (!isPlainObject(expected) || !Object.hasOwn(expected, segment.name)) return;
    const next = isPlainObject(actual) ? actual[segment.name] : undefined;
    comparePinned(path, index + 1, expected[segment.name], next, [...steps, segment.name], out);
    return;
  }
  if (!Array.isArray(expected)) return;
  if (!Array.isArray(actual) || actual.length !== expected.length) {
    out.push({
      kind: 'response.body.value',
      path: location,
      expected: `${expected.length} elements`,
      actual: Array.isArray(actual) ? `${actual.length} elements` : jsonTypeOf(actual),
      message: `${location}: pinned (${pin}) to ${expected.length} recorded elements, got ${Array.isArray(actual) ? `${actual.length} elements` : jsonTypeOf(actual)}`,
    });
  }
  if (!Array.isArray(actual)) return;
  const length = Math.min(expected.length, actual.length);
  for (let i = 0; i < length; i += 1)
    comparePinned(path, index + 1, expected[i], actual[i], [...steps, i], out);
}

/** `$.a[0].b` is within `$.a` and `$.a[0].b`, not within `$.ab`. */
function isLocationWithin(location: string, ancestor: string): boolean {
  return location === ancestor || location.startsWith(`${ancestor}.`) || location.startsWith(`${ancestor}[`);
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
