import type { Interaction } from '../model/records.js';
import { contentHash } from '../util/canonical-json.js';
import { redactHeaders } from './redact.js';

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
}

export interface RecordingOptions {
  /** More header names to redact. */
  redactHeaders?: string[];
  /** Body fields to redact (relied-on path syntax: `password`, `users[].token`). */
  redactBodyPaths?: string[];
  /** Narrow what the consumer relies on, per operation. */
  reliesOn?: Record<string, string[]>;
  /** Values that must be equal, per operation. */
  pins?: Record<string, string[]>;
  description?: string;
}

/** Headers that say something about the transport or the client, not the contract: never recorded. */
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
      ([name]) => !NOISE.has(name) && !name.startsWith('sec-'),
    ),
  );
  return Object.keys(kept).length ? kept : undefined;
}

/**
 * Pure: the interaction a contract stores for an exchange. Secrets are redacted
 * here, before anything is written anywhere; `redactBody` applies the body
 * paths. The id is a hash of the normalized content, so duplicates collapse.
 */
export function toInteraction(
  exchange: Exchange,
  options: RecordingOptions,
  redactBody: (body: unknown, paths: string[]) => unknown,
): Interaction {
  const bodyPaths = options.redactBodyPaths ?? [];
  const requestHeaders = keepHeaders(exchange.request.headers, options.redactHeaders ?? []);
  const responseHeaders = keepHeaders(exchange.response.headers, options.redactHeaders ?? []);
  const reliesOn = options.reliesOn?.[exchange.operation];
  const pins = options.pins?.[exchange.operation];
  const query =
    exchange.request.query && Object.keys(exchange.request.query).length ? exchange.request.query : undefined;
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
      ...(exchange.response.body !== undefined
        ? { body: redactBody(exchange.response.body, bodyPaths) }
        : {}),
      ...(reliesOn ? { reliesOn } : {}),
      ...(pins ? { pins } : {}),
    },
  };
  return {
    id: contentHash(content),
    ...(options.description ? { description: options.description } : {}),
    ...content,
  };
}
