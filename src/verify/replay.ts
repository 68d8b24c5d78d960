/**
 * Replaying a recorded request against the running provider: the recorded
 * method, path, query, headers and body, with redacted secrets replaced by
 * what the provider team supplies (`headers`, `query`, `fields`,
 * `requestFilter`). A request that still holds a `[redacted]` value after
 * that is never sent: its interaction fails, naming what to supply.
 */
import { formatLocation, type LocationStep } from '../contract/body-path.js';
import type { ActualResponse } from '../contract/compare-response.js';
import { isJsonMediaType, mediaTypeOf } from '../contract/media-type.js';
import { IoError } from '../errors.js';
import type { Interaction } from '../model/records.js';
import { REDACTED } from '../redact/redact.js';
import { MAX_NESTING_DEPTH, nestsDeeperThan } from '../util/parse.js';

/** The request about to be sent; a request filter may change any of it. */
export interface ReplayRequest {
  method: string;
  url: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** The recorded body: parsed JSON, or text. */
  body?: unknown;
}

export type RequestFilter = (
  request: ReplayRequest,
  context: { consumer: string; interaction: Interaction },
) => ReplayRequest | undefined | Promise<ReplayRequest | undefined>;

/** What the provider team supplies in place of secrets redacted at recording. */
export interface SuppliedSecrets {
  /** Set on every request (replacing the recorded value, redacted or not). */
  headers?: Record<string, string>;
  /** Set on every request that has this query parameter (replacing the recorded value). */
  query?: Record<string, string>;
  /** Put in every redacted body field of this name: JSON at any depth, form-urlencoded, multipart. */
  fields?: Record<string, string>;
}

/** Pure: the recorded request against `baseUrl`, with the supplied secrets in place. */
export function replayRequest(
  interaction: Interaction,
  baseUrl: string,
  supplied: SuppliedSecrets = {},
): ReplayRequest {
  const { request } = interaction;
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}${request.path}`;
  const query = lowerKeys(supplied.query ?? {});
  for (const [name, value] of Object.entries(request.query ?? {})) {
    const replacement = query[name.toLowerCase()];
    for (const item of Array.isArray(value) ? value : [value])
      url.searchParams.append(name, replacement ?? item);
  }
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) merged[name.toLowerCase()] = value;
  for (const [name, value] of Object.entries(supplied.headers ?? {})) merged[name.toLowerCase()] = value;
  const fields = lowerKeys(supplied.fields ?? {});
  const contentType = merged['content-type'];
  return {
    method: request.method,
    url: url.toString(),
    headers: merged,
    ...(request.body !== undefined ? { body: supplyFields(request.body, fields, contentType) } : {}),
  };
}

/**
 * Pure: every value of the request still `[redacted]` (or holding one), each
 * with what to supply: an empty list means the request can be sent.
 */
export function redactedValues(request: ReplayRequest): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value.includes(REDACTED)) found.push(`header ${name} (--header '${name}: …')`);
  }
  const url = new URL(request.url);
  if (decodeURIComponent(url.pathname).includes(REDACTED))
    found.push('a path segment (a request filter can put it back)');
  for (const [name, value] of url.searchParams) {
    if (value.includes(REDACTED)) found.push(`query parameter ${name} (--query '${name}=…')`);
  }
  if (typeof request.body === 'string') {
    for (const name of redactedFormFields(request.body, request.headers['content-type']))
      found.push(`body field ${name} (--field '${name}=…')`);
    if (found.length === 0 && request.body.includes(REDACTED))
      found.push('part of the body (a request filter can put it back)');
  } else if (request.body !== undefined) {
    walkRedacted(request.body, [], (steps) => {
      const last = steps[steps.length - 1];
      found.push(
        typeof last === 'string'
          ? `body field ${formatLocation(steps)} (--field '${last}=…')`
          : `body value ${formatLocation(steps)} (a request filter can put it back)`,
      );
    });
  }
  return [...new Set(found)];
}

/** The failure of an interaction whose request still holds redacted secrets. */
export function missingSecretsMessage(missing: string[]): string {
  return `not sent: the recorded request holds secrets that were redacted when it was recorded; supply ${missing.join(', ')}`;
}

/** Pure: what goes on the wire. */
export function wireRequest(request: ReplayRequest): RequestInit & { headers: Record<string, string> } {
  const headers = { ...request.headers };
  if (request.body === undefined) return { method: request.method, headers };
  const text = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  if (typeof request.body !== 'string' && !headers['content-type'])
    headers['content-type'] = 'application/json';
  return { method: request.method, headers, body: text };
}

/** Network failures that mean the provider is not there at all, rather than that one request failed. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** 10 MiB, like the largest request body the mock accepts. */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** How much of the provider verify waits for and reads, per request. */
export interface ReadLimits {
  timeoutMs: number;
  /** The largest response body read; a larger one is abandoned unread. */
  maxResponseBytes: number;
}

/**
 * A response body larger than `limit` bytes: abandoned at the first byte
 * past it (or before reading, when its Content-Length says so). Nothing of it is kept.
 */
export class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the response body is larger than ${limit} bytes`);
  }
}

/** A JSON response body nested deeper than entente walks (a hostile provider's stack overflow). */
export class ResponseTooDeepError extends Error {
  constructor(readonly limit: number) {
    super(`the response body nests deeper than ${limit} levels`);
  }
}

/**
 * Sends the request and reads the response. A provider that cannot be reached
 * at all is an IoError (exit 4): nothing was verified. Any other failure
 * (a timeout, a reset connection, a body over the limit) is thrown as is, for
 * the interaction to fail with.
 */
export async function sendReplay(request: ReplayRequest, limits: ReadLimits): Promise<ActualResponse> {
  try {
    return await fetchWithTimeout(
      request.url,
      { ...wireRequest(request), redirect: 'manual' },
      limits.timeoutMs,
      async (response) => {
        const headers: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          headers[name] = value;
        });
        const text = await readText(response, limits.maxResponseBytes);
        return { status: response.status, headers, body: parseBody(text, headers['content-type']) };
      },
    );
  } catch (error) {
    const code = ((error as { cause?: { code?: unknown } }).cause?.code ?? '') as string;
    if (UNREACHABLE.has(code)) {
      throw new IoError(
        'io.provider-unreachable',
        `could not reach the provider at ${request.url}: ${code}`,
        {
          details: [{ where: '--base-url', message: 'start the provider first, or check the URL' }],
          cause: error,
        },
      );
    }
    throw error;
  }
}

/**
 * The body as UTF-8 text, read chunk by chunk and abandoned (the stream
 * cancelled, the connection closed) as soon as it passes `maxBytes`: a
 * provider streaming an endless body cannot exhaust memory.
 */
export async function readText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(maxBytes);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      chunks.length = 0;
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  // As Response.text() decodes: UTF-8, a byte order mark dropped.
  return new TextDecoder().decode(Buffer.concat(chunks, length));
}

/**
 * `fetch`, reading the response with `read`, given up after `timeoutMs` with
 * "no response within … ms". The timer is cleared as soon as the exchange is
 * over (AbortSignal.timeout would keep one alive per request).
 */
export async function fetchWithTimeout<T>(
  url: string,
  init: RequestInit,
  timeoutMs: number,
  read: (response: Response) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await read(await fetch(url, { ...init, signal: controller.signal }));
  } catch (error) {
    if (controller.signal.aborted) throw new Error(`no response within ${timeoutMs} ms`);
    throw error;
  } finally {
    clearTimeout(timer);
    // Whatever `read` left unread is not waited for: the connection is given up.
    controller.abort();
  }
}

function lowerKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [name.toLowerCase(), value]));
}

const MULTIPART_PART =
  /(Content-Disposition: form-data;[^\r\n]*?\bname="([^"]*)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n)([\s\S]*?)(?=\r?\n--)/gi;

/** Pure: the body with every `[redacted]` field named in `fields` given its supplied value. */
function supplyFields(
  body: unknown,
  fields: Record<string, string>,
  contentType: string | undefined,
): unknown {
  if (Object.keys(fields).length === 0) return body;
  if (typeof body === 'string') {
    if (mediaTypeOf(contentType) === 'multipart/form-data' || MULTIPART_PART.test(body)) {
      MULTIPART_PART.lastIndex = 0;
      return body.replace(MULTIPART_PART, (all, head: string, name: string, content: string) => {
        const value = fields[name.toLowerCase()];
        return content === REDACTED && value !== undefined ? `${head}${value}` : all;
      });
    }
    return body
      .split('&')
      .map((pair) => {
        const [name, value] = splitPair(pair);
        const supplied = fields[name.toLowerCase()];
        return value === REDACTED && supplied !== undefined
          ? `${pair.slice(0, pair.indexOf('='))}=${encodeURIComponent(supplied)}`
          : pair;
      })
      .join('&');
  }
  const walk = (value: unknown, name: string | undefined): unknown => {
    if (value === REDACTED && name !== undefined && fields[name.toLowerCase()] !== undefined)
      return fields[name.toLowerCase()];
    if (Array.isArray(value)) return value.map((item) => walk(item, name));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, key)]));
  };
  return walk(body, undefined);
}

function splitPair(pair: string): [string, string] {
  const equals = pair.indexOf('=');
  if (equals < 0) return [pair, ''];
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      return text;
    }
  };
  return [decode(pair.slice(0, equals)), decode(pair.slice(equals + 1))];
}

function redactedFormFields(body: string, contentType: string | undefined): string[] {
  if (mediaTypeOf(contentType) === 'multipart/form-data' || MULTIPART_PART.test(body)) {
    MULTIPART_PART.lastIndex = 0;
    return [...body.matchAll(MULTIPART_PART)].filter((m) => m[3] === REDACTED).map((m) => m[2]!);
  }
  if (!body.includes('=')) return [];
  return body
    .split('&')
    .map(splitPair)
    .filter(([, value]) => value === REDACTED)
    .map(([name]) => name);
}

function walkRedacted(value: unknown, steps: LocationStep[], found: (steps: LocationStep[]) => void): void {
  if (typeof value === 'string') {
    if (value.includes(REDACTED)) found(steps);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => {
      walkRedacted(item, [...steps, index], found);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) walkRedacted(item, [...steps, key], found);
  }
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (isJsonMediaType(mediaTypeOf(contentType))) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return text;
    }
    if (nestsDeeperThan(value, MAX_NESTING_DEPTH)) throw new ResponseTooDeepError(MAX_NESTING_DEPTH);
    return value;
  }
  return text;
}
