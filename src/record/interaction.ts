import { isBodyPathPrefix, parseBodyPath } from '../contract/body-path.js';
import { headerValue } from '../contract/media-type.js';
import { parseRecordedPaths } from '../contract/relies-on.js';
import type { SpecAllowance } from '../contract/spec-allowance.js';
import type { Interaction } from '../model/records.js';
import { createRedactor, type RedactionConfig, type Redactor } from '../redact/redact.js';
import { contentHash } from '../util/canonical-json.js';

/** One exchange as the mock saw it (before redaction). */
export interface Exchange {
  operation: string;
  given?: { state: string; params?: Record<string, unknown> }[];
  request: {
    method: string;
    path: string;
    query?: Record<string, string | string[]>;
    headers?: Record<string, string>;
    body?: unknown;
  };
  response: { status: number; headers?: Record<string, string>; body?: unknown };
  /** What the consumer declared it relies on: a partial fixture's fields. */
  reliesOn?: string[];
  /** What this request declared it relies on (the relies-on request header): wins over everything. */
  reliesOnHeader?: string[];
  /** The body paths the consumer's code was seen to read (read tracking). */
  tracked?: string[];
  /** What the provider's spec allowed beyond the received values (see spec-allowance.ts). */
  allows?: SpecAllowance;
}

export interface RecordingOptions {
  /** What to redact on top of the built-in list (docs/security.md). */
  redact?: RedactionConfig;
  /** Narrow what the consumer relies on, per operation (2xx responses; wins over a partial fixture's fields). */
  reliesOn?: Record<string, string[]>;
  /** Values that must be equal, per operation (2xx responses). */
  pins?: Record<string, string[]>;
  description?: string;
}

/**
 * Headers that say something about the transport or the client, not the
 * contract: never recorded (nor `sec-*`, nor `accept: *\/*`, which clients add by default).
 */
const NOISE = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'te',
  'user-agent',
  'accept-encoding',
  'accept-language',
  'date',
  'traceparent',
  'tracestate',
  'x-request-id',
  'x-entente-state',
  'x-entente-problems',
  'x-entente-relies-on',
  'prefer',
  'etag',
  'last-modified',
  'vary',
  'cache-control',
  'server',
]);

function keepHeaders(
  headers: Record<string, string> | undefined,
  redactor: Redactor,
): Record<string, string> | undefined {
  const kept = Object.fromEntries(
    Object.entries(redactor.headers(headers)).filter(
      ([name, value]) =>
        !NOISE.has(name) && !name.startsWith('sec-') && !(name === 'accept' && value === '*/*'),
    ),
  );
  return Object.keys(kept).length ? kept : undefined;
}

/**
 * The spec allowance kept in the contract: only what concerns relied-on
 * paths (their ancestors may be absent, their descendants widen too).
 */
function allowsWithin(
  allows: SpecAllowance | undefined,
  reliesOn: readonly string[] | undefined,
): { allows?: SpecAllowance } {
  if (!allows) return {};
  const relied = reliesOn?.map(parseBodyPath);
  const concerns = (text: string) => {
    if (!relied) return true;
    const path = parseBodyPath(text);
    return relied.some((r) => isBodyPathPrefix(r, path) || isBodyPathPrefix(path, r));
  };
  const absent = allows.absent?.filter(concerns) ?? [];
  const types = Object.entries(allows.types ?? {}).filter(([path]) => concerns(path));
  const kept: SpecAllowance = {
    ...(absent.length > 0 ? { absent } : {}),
    ...(types.length > 0 ? { types: Object.fromEntries(types) } : {}),
  };
  return Object.keys(kept).length > 0 ? { allows: kept } : {};
}

/**
 * Pure: the interaction a contract stores for an exchange. Secrets are redacted
 * here, before anything is written anywhere: headers, query parameters, both
 * bodies and provider-state parameters (src/redact). The id is a hash
 * of the normalized content, so duplicates collapse.
 *
 * What the consumer relies on (`reliance` says which decided): the
 * `reliesOn` option for the operation (2xx responses), else the exchange's
 * own declaration (a partial fixture's fields, the relies-on header), else
 * the paths its code was seen to read, else everything received. In every
 * case the spec's allowance at record time (optional fields, nullable ones)
 * travels with the interaction.
 */
export function toInteraction(exchange: Exchange, options: RecordingOptions): Interaction {
  const redactor = createRedactor(options.redact);
  const requestHeaders = keepHeaders(exchange.request.headers, redactor);
  const responseHeaders = keepHeaders(exchange.response.headers, redactor);
  const success = exchange.response.status >= 200 && exchange.response.status < 300;
  const declared =
    exchange.reliesOnHeader ??
    (success ? options.reliesOn?.[exchange.operation] : undefined) ??
    exchange.reliesOn;
  const reliance = declared ? 'declared' : exchange.tracked ? 'tracked' : 'received';
  const reliesOn = declared ?? exchange.tracked;
  const pins = success ? options.pins?.[exchange.operation] : undefined;
  const query =
    exchange.request.query && Object.keys(exchange.request.query).length
      ? redactor.query(exchange.request.query)
      : undefined;
  const responseBody =
    exchange.response.body === undefined
      ? undefined
      : redactor.body(exchange.response.body, headerValue(exchange.response.headers, 'content-type'));
  const given = exchange.given?.map((state) =>
    state.params ? { ...state, params: redactor.value(state.params) as Record<string, unknown> } : state,
  );
  const where = `${exchange.operation} (${exchange.request.method.toUpperCase()} ${exchange.request.path} → ${exchange.response.status})`;
  if (reliesOn) parseRecordedPaths(responseBody, reliesOn, where);
  if (pins) parseRecordedPaths(responseBody, pins, where);
  const content = {
    operation: exchange.operation,
    ...(given?.length ? { given } : {}),
    request: {
      method: exchange.request.method.toUpperCase(),
      path: redactor.text(exchange.request.path),
      ...(query ? { query } : {}),
      ...(requestHeaders ? { headers: requestHeaders } : {}),
      ...(exchange.request.body !== undefined
        ? {
            body: redactor.body(exchange.request.body, headerValue(exchange.request.headers, 'content-type')),
          }
        : {}),
    },
    response: {
      status: exchange.response.status,
      ...(responseHeaders ? { headers: responseHeaders } : {}),
      ...(responseBody !== undefined ? { body: responseBody } : {}),
      ...(reliesOn ? { reliesOn } : {}),
      ...(pins ? { pins } : {}),
      reliance,
      ...allowsWithin(exchange.allows, reliesOn && [...reliesOn, ...(pins ?? [])]),
    },
  } as const;
  return {
    id: contentHash(content),
    ...(options.description ? { description: options.description } : {}),
    ...content,
  };
}
