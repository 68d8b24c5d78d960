import { isBodyPathPrefix, parseBodyPath } from '../contract/body-path.js';
import { parseRecordedPaths } from '../contract/relies-on.js';
import type { SpecAllowance } from '../contract/spec-allowance.js';
import type { Interaction } from '../model/records.js';
import { contentHash } from '../util/canonical-json.js';
import { redactBody, redactHeaders, redactQuery } from './redact.js';

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
  /** More header names to redact. */
  redactHeaders?: string[];
  /** Body fields to redact (relied-on path syntax: `password`, `users[].token`). */
  redactBodyPaths?: string[];
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
  extraSecrets: string[],
): Record<string, string> | undefined {
  const kept = Object.fromEntries(
    Object.entries(redactHeaders(headers, extraSecrets)).filter(
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
 * here, before anything is written anywhere: secret headers and query
 * parameters, and the configured body paths in both bodies. The id is a hash
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
  const bodyPaths = (options.redactBodyPaths ?? []).map(parseBodyPath);
  const secretNames = options.redactHeaders ?? [];
  const requestHeaders = keepHeaders(exchange.request.headers, secretNames);
  const responseHeaders = keepHeaders(exchange.response.headers, secretNames);
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
      ? redactQuery(exchange.request.query, secretNames)
      : undefined;
  const responseBody =
    exchange.response.body === undefined ? undefined : redactBody(exchange.response.body, bodyPaths);
  const where = `${exchange.operation} (${exchange.request.method.toUpperCase()} ${exchange.request.path} → ${exchange.response.status})`;
  if (reliesOn) parseRecordedPaths(responseBody, reliesOn, where);
  if (pins) parseRecordedPaths(responseBody, pins, where);
  const content = {
    operation: exchange.operation,
    ...(exchange.given?.length ? { given: exchange.given } : {}),
    request: {
      method: exchange.request.method.toUpperCase(),
      path: exchange.request.path,
      ...(query ? { query } : {}),
      ...(requestHeaders ? { headers: requestHeaders } : {}),
      ...(exchange.request.body !== undefined ? { body: redactBody(exchange.request.body, bodyPaths) } : {}),
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
