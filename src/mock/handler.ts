/**
 * The mock core: a standard Fetch `Request` in, a `Response` out, built from
 * an OpenAPI document and fixtures. The node server and the msw handlers are
 * thin wrappers around `handle`.
 */
import { responseAllowance, type SpecAllowance } from '../contract/spec-allowance.js';
import type { FixtureRecord } from '../model/records.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { type RouteResult, routerFor } from '../openapi/router.js';
import { specValidators, type Violation } from '../openapi/validator.js';
import { canonicalJson } from '../util/canonical-json.js';
import { MAX_NESTING_DEPTH, nestsDeeperThan } from '../util/parse.js';
import { type CandidateFixture, fieldPaths, overlay, selectFixture } from './fixtures.js';
import { parsePrefer, planSpecResponse, type SpecResponsePlan } from './respond.js';

export interface ProviderState {
  state: string;
  params?: Record<string, unknown>;
}

export interface MockLogger {
  warn(message: string): void;
}

/** Where the body of a mock response came from. */
export type ServedFrom =
  | { kind: 'fixture'; fixtureId: string; partial: boolean }
  | { kind: 'example'; name?: string }
  | { kind: 'sample' }
  | { kind: 'error' };

export interface MockInteraction {
  /** The operationId, or `METHOD /template` when the operation has none. */
  operation: string;
  operationKey: string;
  given?: ProviderState[];
  request: {
    method: string;
    path: string;
    query: Record<string, string | string[]>;
    /** Lowercased names. */
    headers: Record<string, string>;
    body?: unknown;
  };
  response: { status: number; headers: Record<string, string>; body?: unknown };
  servedFrom: ServedFrom;
  /**
   * The response fields the consumer relies on, when narrower than the whole
   * body: the fields a partial fixture lists.
   */
  reliesOn?: string[];
  /** The response fields this request declared it relies on (the relies-on request header). */
  reliesOnHeader?: string[];
  /** What the spec allowed beyond the served values; set when exchanges are recorded. */
  allows?: SpecAllowance;
}

export type MockProblemKind = 'fixture-drift' | 'example-drift' | 'sample-invalid';

/** A response the mock served that does not fit the spec. */
export interface MockProblem {
  kind: MockProblemKind;
  operation: string;
  status: number;
  fixtureId?: string;
  example?: string;
  violations: Violation[];
  /** One line: what, which, and the first violation. */
  message: string;
}

export interface MockHandlerOptions {
  document: OpenApiDocument;
  /** Fixtures from the contracts repository: only `approved` ones are served. */
  fixtures?: readonly FixtureRecord[];
  /** The team's own fixtures: served whatever their status (except rejected/deprecated), priority 3 or higher. */
  localFixtures?: readonly FixtureRecord[];
  /** Answer requests that do not fit the spec with a 400. Default true. */
  validateRequests?: boolean;
  /** Validate what is about to be sent and report drift. Default true. */
  validateResponses?: boolean;
  /** Receives one line per new problem. Default: silent. */
  logger?: MockLogger;
  /** Called once for every exchange that matched an operation. */
  onInteraction?: (interaction: MockInteraction) => void;
  /**
   * Larger request bodies are answered 413 and neither validated nor
   * recorded. Default {@link DEFAULT_MAX_REQUEST_BYTES}.
   */
  maxRequestBytes?: number;
  /** How many of the latest exchanges `interactions` keeps. Default {@link DEFAULT_MAX_INTERACTIONS}. */
  maxInteractions?: number;
  /**
   * Gets the JSON text about to be sent for an exchange and returns the
   * text to send (read tracking tells identical bodies apart by whitespace).
   */
  jsonText?: (interaction: MockInteraction, text: string) => string;
}

/** 10 MiB: far above any JSON API request, far below what would hurt a test machine. */
export const DEFAULT_MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** A long-running `entente mock` keeps only this many exchanges in memory (every one is recorded as it happens). */
export const DEFAULT_MAX_INTERACTIONS = 1000;

export interface MockHandler {
  handle(request: Request): Promise<Response>;
  /** Sets the provider state attached to the following exchanges (replacing the previous one). */
  given(state: string, params?: Record<string, unknown>): void;
  /** Attaches no provider state to the following exchanges. */
  resetGiven(): void;
  /** Every distinct problem found in what the mock served, in order of discovery. */
  readonly problems: readonly MockProblem[];
  /** The latest exchanges (at most `maxInteractions`), oldest first. */
  readonly interactions: readonly MockInteraction[];
  readonly document: OpenApiDocument;
}

/** A mock answer as plain data: what `handle` turns into a Fetch `Response`. */
export interface MockReply {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

/** A request as the mock core reads it; `text` is read only once the path matched an operation. */
export interface MockRequestParts {
  method: string;
  url: URL;
  /** Lowercased names. */
  headers: Record<string, string>;
  text: () => Promise<string>;
}

type Replier = (request: MockRequestParts) => Promise<MockReply>;

const repliers = new WeakMap<MockHandler, Replier>();

/**
 * The Fetch-free core of a handler made by `createMockHandler` (undefined for
 * any other `MockHandler`): the node server answers through it without
 * building a `Request` and a `Response` per exchange.
 */
export function mockReplier(handler: MockHandler): Replier | undefined {
  return repliers.get(handler);
}

export const STATE_HEADER = 'x-entente-state';
export const PROBLEMS_HEADER = 'x-entente-problems';
/** Per request: the response body paths the consumer relies on, comma-separated or a JSON array. */
export const RELIES_ON_HEADER = 'x-entente-relies-on';
const PROBLEM_TYPE = 'https://entente.dev/problems/';

export function createMockHandler(options: MockHandlerOptions): MockHandler {
  const { document } = options;
  const router = routerFor(document);
  const validators = specValidators(document);
  const candidates: CandidateFixture[] = [
    ...(options.localFixtures ?? []).map((fixture) => ({ fixture, local: true })),
    ...(options.fixtures ?? []).map((fixture) => ({ fixture, local: false })),
  ];
  const problems: MockProblem[] = [];
  const problemKeys = new Set<string>();
  const interactions: MockInteraction[] = [];
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const maxInteractions = options.maxInteractions ?? DEFAULT_MAX_INTERACTIONS;
  let currentGiven: ProviderState[] | undefined;

  const report = (problem: MockProblem) => {
    const key = canonicalJson({ ...problem, message: undefined });
    if (problemKeys.has(key)) return;
    problemKeys.add(key);
    problems.push(problem);
    options.logger?.warn(`entente mock: ${problem.message}`);
  };

  async function handle(request: Request): Promise<Response> {
    const reply = await replyTo({
      method: request.method,
      url: new URL(request.url),
      headers: headerRecord(request.headers),
      text: () => request.text(),
    });
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  }

  async function replyTo(request: MockRequestParts): Promise<MockReply> {
    const { url, headers } = request;
    const route = router.route(request.method, url.pathname);
    if (route.kind === 'not-found') {
      return problemReply(404, 'not-found', 'No such path in the spec', {
        detail: `${request.method} ${url.pathname} matches no path of the spec`,
      });
    }
    if (route.kind === 'method-not-allowed') {
      return problemReply(
        405,
        'method-not-allowed',
        'Method not allowed',
        { detail: `${route.template} allows ${route.allowed.join(', ')}, not ${request.method}` },
        { allow: route.allowed.join(', ') },
      );
    }
    const declaredLength = Number(headers['content-length']);
    if (declaredLength > maxRequestBytes) return requestTooLarge(maxRequestBytes);
    const query = queryRecord(url.searchParams);
    const text = await request.text();
    if (text.length > maxRequestBytes || Buffer.byteLength(text) > maxRequestBytes) {
      return requestTooLarge(maxRequestBytes);
    }
    const { body, violation: bodyViolation } = parseBody(text, headers['content-type']);
    if (nestsDeeperThan(body, MAX_NESTING_DEPTH)) return requestTooDeep('the request body');
    if (nestsDeeperThan(jsonOrUndefined(headers[STATE_HEADER]), MAX_NESTING_DEPTH))
      return requestTooDeep(`the ${STATE_HEADER} header`);
    const recordedRequest = {
      method: request.method.toUpperCase(),
      path: url.pathname,
      query,
      headers: omit(omit(headers, STATE_HEADER), RELIES_ON_HEADER),
      ...(body === undefined ? {} : { body }),
    };
    const given = statesFromHeader(headers[STATE_HEADER]) ?? currentGiven;
    const reliesOnHeader = pathsFromHeader(headers[RELIES_ON_HEADER]);
    const exchange = { route, request: recordedRequest, given, reliesOnHeader };

    if (options.validateRequests !== false) {
      const violations = bodyViolation
        ? [bodyViolation]
        : validators.validateRequest(route.operation, recordedRequest, route.params);
      if (violations.length > 0) {
        return finish(
          exchange,
          { kind: 'error' },
          400,
          problemBody(400, 'request-validation', 'Request does not match the spec', {
            detail: `${violations.length} violation${violations.length === 1 ? '' : 's'} of ${operationName(route)}: ${violations.map(describeViolation).join('; ')}`,
            operation: operationName(route),
            violations,
          }),
        );
      }
    }

    const prefer = parsePrefer(headers.prefer);
    const fixture =
      prefer.example === undefined
        ? selectFixture(
            candidates,
            {
              method: request.method,
              path: url.pathname,
              relativePath: router.basePath
                ? url.pathname.slice(router.basePath.length) || '/'
                : url.pathname,
              template: route.template,
              ...(route.operationId ? { operationId: route.operationId } : {}),
              operationKey: route.operationKey,
              query,
              body,
            },
            prefer.code === undefined ? {} : { status: prefer.code },
          )
        : undefined;
    const status = fixture?.data.response.status ?? prefer.code;
    const plan = planSpecResponse(document, route.operation, { status, example: prefer.example, fixture });
    if (plan.kind === 'error') {
      return finish(
        exchange,
        { kind: 'error' },
        400,
        problemBody(400, 'prefer', 'Cannot honour the Prefer header', {
          detail: plan.message,
          operation: operationName(route),
        }),
      );
    }
    if (fixture) return serveFixture(exchange, fixture, plan);
    return serveSpec(exchange, plan, prefer.example === undefined);
  }

  type Exchange = {
    route: Extract<RouteResult, { kind: 'match' }>;
    request: MockInteraction['request'];
    given: ProviderState[] | undefined;
    reliesOnHeader: string[] | undefined;
  };

  function serveFixture(exchange: Exchange, fixture: FixtureRecord, plan: SpecResponsePlan): MockReply {
    const partial = fixture.partial === true;
    const declared = fixture.data.response.body;
    const body = partial && declared !== undefined ? overlay(plan.body, declared) : declared;
    const headers = { ...plan.headers, ...lowerKeys(fixture.data.response.headers) };
    if (body === undefined) delete headers['content-type'];
    const drift = checkDrift(exchange, fixture.data.response.status, headers, body, partial, {
      kind: 'fixture-drift',
      fixtureId: fixture.id,
      label: `fixture ${fixture.id}`,
    });
    return finish(
      exchange,
      { kind: 'fixture', fixtureId: fixture.id, partial },
      fixture.data.response.status,
      body,
      headers,
      drift,
      partial && declared !== undefined ? fieldPaths(declared) : undefined,
    );
  }

  /**
   * An example nobody asked for by name that does not fit the spec is
   * reported (the response header names it), and a generated sample is
   * served in its place: the consumer gets data the spec promises, the
   * provider learns its example is stale.
   */
  function serveSpec(exchange: Exchange, plan: SpecResponsePlan, sampleOnDrift: boolean): MockReply {
    const drift = checkSpecDrift(exchange, plan);
    if (drift && plan.source.kind === 'example' && sampleOnDrift) {
      const sampled = planSpecResponse(document, exchange.route.operation, {
        status: plan.status,
        examples: false,
      });
      if (sampled.kind === 'ok') {
        const sampleDrift = checkSpecDrift(exchange, sampled);
        return finish(
          exchange,
          sampled.source,
          sampled.status,
          sampled.body,
          sampled.headers,
          sampleDrift ?? drift,
        );
      }
    }
    return finish(exchange, plan.source, plan.status, plan.body, plan.headers, drift);
  }

  function checkSpecDrift(exchange: Exchange, plan: SpecResponsePlan): MockProblem | undefined {
    const fromExample = plan.source.kind === 'example';
    return checkDrift(exchange, plan.status, plan.headers, plan.body, false, {
      kind: fromExample ? 'example-drift' : 'sample-invalid',
      ...(plan.source.kind === 'example' && plan.source.name ? { example: plan.source.name } : {}),
      label: fromExample
        ? `example ${plan.source.kind === 'example' ? (plan.source.name ?? '(unnamed)') : ''}`
        : 'generated sample',
    });
  }

  function checkDrift(
    exchange: Exchange,
    status: number,
    headers: Record<string, string>,
    body: unknown,
    partial: boolean,
    what: { kind: MockProblemKind; fixtureId?: string; example?: string; label: string },
  ): MockProblem | undefined {
    if (options.validateResponses === false) return undefined;
    const violations = validators.validateResponse(
      exchange.route.operation,
      { status, headers, body },
      { partial },
    );
    if (violations.length === 0) return undefined;
    const operation = operationName(exchange.route);
    const more = violations.length > 1 ? ` (+${violations.length - 1} more)` : '';
    const problem: MockProblem = {
      kind: what.kind,
      operation,
      status,
      ...(what.fixtureId ? { fixtureId: what.fixtureId } : {}),
      ...(what.example ? { example: what.example } : {}),
      violations,
      message: `${what.label} for ${operation} (${status}) does not fit the spec: ${describeViolation(violations[0]!)}${more}`,
    };
    report(problem);
    return problem;
  }

  function finish(
    exchange: Exchange,
    servedFrom: ServedFrom,
    status: number,
    body: unknown,
    headers: Record<string, string> = { 'content-type': 'application/problem+json' },
    problem?: MockProblem,
    reliesOn?: string[],
  ): MockReply {
    const responseHeaders = { ...headers };
    if (problem) responseHeaders[PROBLEMS_HEADER] = headerSafe(problem.message);
    const interaction: MockInteraction = {
      operation: operationName(exchange.route),
      operationKey: exchange.route.operationKey,
      ...(exchange.given ? { given: exchange.given } : {}),
      request: exchange.request,
      response: { status, headers: responseHeaders, ...(body === undefined ? {} : { body }) },
      servedFrom,
      ...(reliesOn ? { reliesOn } : {}),
      ...(exchange.reliesOnHeader ? { reliesOnHeader: exchange.reliesOnHeader } : {}),
    };
    if (options.onInteraction && servedFrom.kind !== 'error') {
      const allows = responseAllowance(document, exchange.route.operation, {
        status,
        contentType: responseHeaders['content-type'],
        body,
      });
      if (allows) interaction.allows = allows;
    }
    interactions.push(interaction);
    if (interactions.length > maxInteractions) interactions.splice(0, interactions.length - maxInteractions);
    try {
      options.onInteraction?.(interaction);
    } catch (error) {
      options.logger?.warn(
        `entente mock: onInteraction failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const text = encodeBody(body, responseHeaders['content-type']);
    const json =
      text !== null && servedFrom.kind !== 'error' && /json/i.test(responseHeaders['content-type'] ?? '');
    return {
      status,
      headers: responseHeaders,
      body: json && options.jsonText ? options.jsonText(interaction, text) : text,
    };
  }

  const handler: MockHandler = {
    handle,
    given(state, params) {
      currentGiven = [{ state, ...(params ? { params } : {}) }];
    },
    resetGiven() {
      currentGiven = undefined;
    },
    problems,
    interactions,
    document,
  };
  repliers.set(handler, replyTo);
  return handler;
}

function operationName(route: Extract<RouteResult, { kind: 'match' }>): string {
  return route.operationId ?? route.operationKey;
}

export function describeViolation(violation: Violation): string {
  const where = [violation.in, violation.name, violation.pointer].filter(Boolean).join(' ');
  return `${where} ${violation.message}`;
}

function problemBody(status: number, type: string, title: string, extra: Record<string, unknown>) {
  return { type: `${PROBLEM_TYPE}${type}`, title, status, ...extra };
}

/** The mock's answer to a body over the limit: 413, never validated or recorded. */
export function requestTooLarge(maxRequestBytes: number): MockReply {
  return problemReply(413, 'request-too-large', 'Request body too large', {
    detail: `the request body is larger than ${maxRequestBytes} bytes, the most this mock accepts (maxRequestBytes, --max-request-bytes)`,
  });
}

/** The mock's answer to JSON nested deeper than entente walks: 400, never validated or recorded. */
function requestTooDeep(what: string): MockReply {
  return problemReply(400, 'request-too-deep', 'Request nested too deeply', {
    detail: `${what} nests JSON deeper than ${MAX_NESTING_DEPTH} levels, the most this mock reads`,
  });
}

function jsonOrUndefined(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function problemReply(
  status: number,
  type: string,
  title: string,
  extra: Record<string, unknown>,
  headers: Record<string, string> = {},
): MockReply {
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify(problemBody(status, type, title, extra)),
  };
}

function parseBody(text: string, contentType: string | undefined): { body: unknown; violation?: Violation } {
  if (text === '') return { body: undefined };
  if (contentType && /^[a-z]+\/([^;]+\+)?json\s*(;|$)/i.test(contentType.trim())) {
    try {
      return { body: JSON.parse(text) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { body: text, violation: { in: 'body', pointer: '', message: `is not valid JSON: ${reason}` } };
    }
  }
  return { body: text };
}

function encodeBody(body: unknown, contentType: string | undefined): string | null {
  if (body === undefined) return null;
  if (typeof body === 'string' && !(contentType ?? '').toLowerCase().includes('json')) return body;
  return JSON.stringify(body);
}

/** `x-entente-state: castle 123 exists`, or a JSON array/object of `{ state, params }` for several. */
function statesFromHeader(value: string | undefined): ProviderState[] | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      const list = Array.isArray(parsed) ? parsed : [parsed];
      const states = list.filter(
        (s): s is ProviderState =>
          !!s && typeof s === 'object' && typeof (s as ProviderState).state === 'string',
      );
      if (states.length > 0) return states;
    } catch {
      // Not JSON: a state name that happens to start with a bracket.
    }
  }
  return [{ state: trimmed }];
}

/** `a,items[].b` or `["a", "items[].b"]`: the paths of the relies-on header. */
function pathsFromHeader(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Not JSON: read as a comma-separated list.
    }
  }
  return trimmed === '' ? [] : trimmed.split(',').map((path) => path.trim());
}

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key.toLowerCase()] = value;
  });
  return out;
}

function lowerKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) out[key.toLowerCase()] = value;
  return out;
}

function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? values[0]! : values;
  }
  return out;
}

function omit(record: Record<string, string>, key: string): Record<string, string> {
  const { [key]: _, ...rest } = record;
  return rest;
}

/** Header values are ASCII on one line; long summaries are cut. */
function headerSafe(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > 400 ? `${ascii.slice(0, 397)}...` : ascii;
}
