/**
 * The spec's side of a mock response: which declared response (status,
 * media type, headers) and, without a fixture, which body: a named example,
 * the first example, or a generated sample. Pure and deterministic.
 */

import { isJsonMediaType } from '../contract/media-type.js';
import type { FixtureRecord } from '../model/records.js';
import { deref, type OpenApiDocument } from '../openapi/document.js';
import type { SpecOperation } from '../openapi/router.js';
import { generateSample } from '../openapi/sample.js';
import { declaredResponse } from '../openapi/validator.js';

export interface Prefer {
  code?: number;
  example?: string;
}

/** `Prefer: code=404`, `Prefer: example=versailles`, or both (`code=200, example=x`). */
export function parsePrefer(header: string | undefined): Prefer {
  const prefer: Prefer = {};
  for (const token of (header ?? '').split(/[,;]/)) {
    const match = /^\s*([a-zA-Z-]+)\s*=\s*"?([^"]*)"?\s*$/.exec(token);
    if (!match) continue;
    const [, key, value] = match;
    if (key === 'code' && /^[1-5]\d\d$/.test(value ?? '')) prefer.code = Number(value);
    if (key === 'example' && value) prefer.example = value;
  }
  return prefer;
}

export type SpecResponsePlan = {
  kind: 'ok';
  status: number;
  headers: Record<string, string>;
  body: unknown;
  source: { kind: 'example'; name?: string } | { kind: 'sample' };
};

export type PlanResult = SpecResponsePlan | { kind: 'error'; message: string };

type MediaObject = { schema?: unknown; example?: unknown; examples?: Record<string, unknown> };

/**
 * The response to send for `operation`: `status` (default: the first 2xx
 * declared), the named `example` when asked. With a `fixture`, only the
 * status, headers and (for a partial fixture) a sample to lay it over are
 * needed, and an undeclared status is not an error: drift reporting names it.
 * With `examples: false` the body is a generated sample even where the spec
 * has an example.
 */
export function planSpecResponse(
  document: OpenApiDocument,
  operation: SpecOperation,
  wanted: {
    status?: number | undefined;
    example?: string | undefined;
    fixture?: FixtureRecord | undefined;
    /** false: skip the spec's examples and generate a sample (used when the example does not fit). */
    examples?: boolean;
  },
): PlanResult {
  const responses = (operation.operation.responses ?? {}) as Record<string, unknown>;
  const name = operation.operationId ?? operation.operationKey;
  let status = wanted.status;
  let namedExample: { value: unknown } | undefined;
  if (wanted.example !== undefined) {
    const hit = findNamedExample(document, responses, wanted.example, status);
    if (!hit) {
      return {
        kind: 'error',
        message: `${name} declares no example named ${JSON.stringify(wanted.example)}${status === undefined ? '' : ` for response ${status}`}`,
      };
    }
    status = hit.status;
    namedExample = { value: hit.value };
  }
  status ??= defaultStatus(Object.keys(responses));
  const found = declaredResponse(document, operation, status);
  if (!found) {
    if (wanted.fixture)
      return { kind: 'ok', status, headers: {}, body: undefined, source: { kind: 'sample' } };
    return {
      kind: 'error',
      message: `${name} declares no response ${status}; declared: ${Object.keys(responses).join(', ')}`,
    };
  }
  const headers = requiredHeaders(document, found.response.headers);
  const content = (found.response.content ?? {}) as Record<string, MediaObject | undefined>;
  const mediaType = Object.keys(content).find(isJsonMediaType) ?? Object.keys(content)[0];
  if (mediaType === undefined)
    return { kind: 'ok', status, headers, body: undefined, source: { kind: 'sample' } };
  headers['content-type'] = mediaType.includes('*') ? 'application/json' : mediaType;
  const media = content[mediaType] ?? {};
  if (namedExample) {
    return {
      kind: 'ok',
      status,
      headers,
      body: namedExample.value,
      source: { kind: 'example', name: wanted.example },
    };
  }
  if (wanted.fixture && wanted.fixture.partial !== true) {
    return { kind: 'ok', status, headers, body: undefined, source: { kind: 'sample' } };
  }
  if (!wanted.fixture && wanted.examples !== false) {
    const example = firstExample(document, media);
    if (example) return { kind: 'ok', status, headers, body: example.value, source: example.source };
  }
  const body =
    media.schema === undefined
      ? undefined
      : generateSample(document, media.schema, { direction: 'response' }).value;
  return { kind: 'ok', status, headers, body, source: { kind: 'sample' } };
}

function defaultStatus(keys: string[]): number {
  const numeric = keys.filter((k) => /^\d{3}$/.test(k)).map(Number);
  const success = numeric.filter((s) => s >= 200 && s < 300).sort((a, b) => a - b)[0];
  if (success !== undefined) return success;
  if (keys.some((k) => k.toUpperCase() === '2XX') || keys.includes('default')) return 200;
  return [...numeric].sort((a, b) => a - b)[0] ?? 200;
}

function statusOfKey(key: string): number {
  if (/^\d{3}$/.test(key)) return Number(key);
  if (/^[1-5]XX$/i.test(key)) return Number(key[0]) * 100;
  return 200;
}

function findNamedExample(
  document: OpenApiDocument,
  responses: Record<string, unknown>,
  name: string,
  status: number | undefined,
): { status: number; value: unknown } | undefined {
  for (const [key, raw] of Object.entries(responses)) {
    if (status !== undefined && statusOfKey(key) !== status && key !== String(status)) continue;
    const response = deref<{ content?: Record<string, MediaObject | undefined> }>(document, raw);
    for (const media of Object.values(response?.content ?? {})) {
      const example = deref<{ value?: unknown }>(document, media?.examples?.[name]);
      if (example && 'value' in example) return { status: status ?? statusOfKey(key), value: example.value };
    }
  }
  return undefined;
}

function firstExample(
  document: OpenApiDocument,
  media: MediaObject,
): { value: unknown; source: { kind: 'example'; name?: string } } | undefined {
  if (media.example !== undefined) return { value: media.example, source: { kind: 'example' } };
  for (const [name, raw] of Object.entries(media.examples ?? {})) {
    const example = deref<{ value?: unknown }>(document, raw);
    if (example && 'value' in example) return { value: example.value, source: { kind: 'example', name } };
  }
  const schema = deref<{ example?: unknown }>(document, media.schema);
  if (schema?.example !== undefined) return { value: schema.example, source: { kind: 'example' } };
  return undefined;
}

/** Sample values for the response headers the spec marks required. */
function requiredHeaders(document: OpenApiDocument, declared: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries((declared ?? {}) as Record<string, unknown>)) {
    const header = deref<{ required?: boolean; schema?: unknown; example?: unknown }>(document, raw);
    if (!header?.required || name.toLowerCase() === 'content-type') continue;
    const value =
      header.example ??
      (header.schema === undefined
        ? ''
        : generateSample(document, header.schema, { direction: 'response' }).value);
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return headers;
}
