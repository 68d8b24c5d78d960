/**
 * Replaying a recorded request against the running provider: the recorded
 * method, path, query, headers and body, with redacted secrets replaced by
 * what the provider team supplies (`headers`, `requestFilter`). Headers still
 * redacted after that are dropped rather than sent as `[redacted]`.
 */
import type { ActualResponse } from '../contract/compare-response.js';
import { isJsonMediaType, mediaTypeOf } from '../contract/media-type.js';
import { IoError } from '../errors.js';
import type { Interaction } from '../model/records.js';
import { REDACTED } from '../redact/redact.js';

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

/** Pure: the recorded request against `baseUrl`, with `headers` set on top of the recorded ones. */
export function replayRequest(
  interaction: Interaction,
  baseUrl: string,
  headers: Record<string, string> = {},
): ReplayRequest {
  const { request } = interaction;
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}${request.path}`;
  for (const [name, value] of Object.entries(request.query ?? {}))
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, item);
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) merged[name.toLowerCase()] = value;
  for (const [name, value] of Object.entries(headers)) merged[name.toLowerCase()] = value;
  return {
    method: request.method,
    url: url.toString(),
    headers: merged,
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
}

/** Pure: what goes on the wire; headers still redacted are left out. */
export function wireRequest(request: ReplayRequest): RequestInit & { headers: Record<string, string> } {
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([, value]) => value !== REDACTED),
  );
  if (request.body === undefined) return { method: request.method, headers };
  const text = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  if (typeof request.body !== 'string' && !headers['content-type'])
    headers['content-type'] = 'application/json';
  return { method: request.method, headers, body: text };
}

/** Network failures that mean the provider is not there at all, rather than that one request failed. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Sends the request and reads the response. A provider that cannot be reached
 * at all is an IoError (exit 4): nothing was verified. Any other failure
 * (a timeout, a reset connection) is thrown as is, for the interaction to fail with.
 */
export async function sendReplay(request: ReplayRequest, timeoutMs: number): Promise<ActualResponse> {
  try {
    return await fetchWithTimeout(
      request.url,
      { ...wireRequest(request), redirect: 'manual' },
      timeoutMs,
      async (response) => {
        const headers: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          headers[name] = value;
        });
        const text = await response.text();
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
  }
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (isJsonMediaType(mediaTypeOf(contentType))) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
