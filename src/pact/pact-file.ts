/**
 * Reading pact files: Pact specification V2, V3 and V4 (V1 reads as V2).
 * Only HTTP request/response interactions become contracts; message and
 * plugin interactions are refused by name. Every problem is an InputError
 * naming the file and the field.
 */
import { isPlainObject } from '../contract/relies-on.js';
import { InputError } from '../errors.js';
import { toV3Categories } from './rules.js';

export type PactSpecVersion = 2 | 3 | 4;

export interface PactProviderState {
  name: string;
  params?: Record<string, unknown>;
}

export interface PactHttpInteraction {
  description: string;
  providerStates: PactProviderState[];
  request: {
    method: string;
    path: string;
    query?: Record<string, string[]>;
    headers?: Record<string, string>;
    body?: unknown;
  };
  response: { status: number; headers?: Record<string, string>; body?: unknown };
  /** V3/V4 categories (V2 rules converted). */
  requestRules?: Record<string, unknown>;
  responseRules?: Record<string, unknown>;
  requestGenerators?: Record<string, unknown>;
  responseGenerators?: Record<string, unknown>;
}

export interface PactDocument {
  file: string;
  specVersion: PactSpecVersion;
  consumer: string;
  provider: string;
  interactions: PactHttpInteraction[];
}

/** Parses a pact file's JSON text. */
export function parsePact(text: string, file: string): PactDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw fail(file, '', `not JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(json)) throw fail(file, '', 'a pact file is a JSON object');
  const specVersion = specVersionOf(json, file);
  const consumer = pacticipant(json.consumer, file, 'consumer');
  const provider = pacticipant(json.provider, file, 'provider');
  if (json.messages !== undefined) {
    throw fail(
      file,
      'messages',
      'message pacts are not HTTP interactions; entente imports HTTP interactions only',
    );
  }
  if (!Array.isArray(json.interactions)) throw fail(file, 'interactions', 'expected an array');
  const refused: string[] = [];
  const interactions: PactHttpInteraction[] = [];
  json.interactions.forEach((value, index) => {
    const where = `interactions[${index}]`;
    if (!isPlainObject(value)) throw fail(file, where, 'expected an object');
    const description = typeof value.description === 'string' ? value.description : '';
    const type = specVersion === 4 ? (value.type ?? 'Synchronous/HTTP') : 'Synchronous/HTTP';
    if (
      type !== 'Synchronous/HTTP' ||
      value.pluginConfiguration !== undefined ||
      value.interactionMarkup !== undefined
    ) {
      const kind = type !== 'Synchronous/HTTP' ? String(type) : 'plugin';
      refused.push(`${where} ${JSON.stringify(description)} (${kind})`);
      return;
    }
    interactions.push(httpInteraction(value, specVersion, file, where, description));
  });
  if (refused.length > 0) {
    throw fail(
      file,
      'interactions',
      `only HTTP request/response interactions can be imported; refused: ${refused.join(', ')}`,
    );
  }
  return { file, specVersion, consumer, provider, interactions };
}

function specVersionOf(json: Record<string, unknown>, file: string): PactSpecVersion {
  const metadata = isPlainObject(json.metadata) ? json.metadata : {};
  const spec = metadata.pactSpecification ?? metadata['pact-specification'];
  const raw =
    (isPlainObject(spec) ? spec.version : undefined) ?? metadata.pactSpecificationVersion ?? '2.0.0';
  const major = Number.parseInt(String(raw), 10);
  if (major === 1 || major === 2) return 2;
  if (major === 3 || major === 4) return major;
  throw fail(
    file,
    'metadata.pactSpecification.version',
    `Pact specification ${String(raw)} is not supported (1 to 4 are)`,
  );
}

function pacticipant(value: unknown, file: string, field: string): string {
  if (!isPlainObject(value) || typeof value.name !== 'string' || value.name.trim() === '')
    throw fail(file, `${field}.name`, 'expected a non-empty string');
  return value.name;
}

function httpInteraction(
  value: Record<string, unknown>,
  specVersion: PactSpecVersion,
  file: string,
  where: string,
  description: string,
): PactHttpInteraction {
  const request = value.request;
  const response = value.response;
  if (!isPlainObject(request)) throw fail(file, `${where}.request`, 'expected an object');
  if (!isPlainObject(response)) throw fail(file, `${where}.response`, 'expected an object');
  if (typeof request.method !== 'string' || !/^[A-Za-z]+$/.test(request.method))
    throw fail(file, `${where}.request.method`, 'expected an HTTP method');
  if (typeof request.path !== 'string' || !request.path.startsWith('/'))
    throw fail(file, `${where}.request.path`, 'expected a path starting with /');
  const status = response.status;
  if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599)
    throw fail(file, `${where}.response.status`, 'expected an HTTP status (100-599)');
  const query = queryOf(request.query, file, `${where}.request.query`);
  const requestBody = bodyOf(request, specVersion, file, `${where}.request`);
  const responseBody = bodyOf(response, specVersion, file, `${where}.response`);
  const requestHeaders = withContentType(
    headersOf(request.headers, file, `${where}.request.headers`),
    requestBody.contentType,
  );
  const responseHeaders = withContentType(
    headersOf(response.headers, file, `${where}.response.headers`),
    responseBody.contentType,
  );
  const rules = (side: Record<string, unknown>, at: string) => {
    try {
      return toV3Categories(side.matchingRules, `${at}.matchingRules`);
    } catch (error) {
      if (error instanceof InputError) throw fail(file, `${at}.matchingRules`, error.message);
      throw error;
    }
  };
  const generators = (side: Record<string, unknown>, at: string) => {
    if (side.generators === undefined) return undefined;
    if (!isPlainObject(side.generators)) throw fail(file, `${at}.generators`, 'expected an object');
    return side.generators;
  };
  const requestRules = rules(request, `${where}.request`);
  const responseRules = rules(response, `${where}.response`);
  const requestGenerators = generators(request, `${where}.request`);
  const responseGenerators = generators(response, `${where}.response`);
  return {
    description,
    providerStates: providerStatesOf(value, file, where),
    request: {
      method: request.method.toUpperCase(),
      path: request.path,
      ...(query ? { query } : {}),
      ...(requestHeaders ? { headers: requestHeaders } : {}),
      ...(requestBody.value !== undefined ? { body: requestBody.value } : {}),
    },
    response: {
      status: status as number,
      ...(responseHeaders ? { headers: responseHeaders } : {}),
      ...(responseBody.value !== undefined ? { body: responseBody.value } : {}),
    },
    ...(requestRules && Object.keys(requestRules).length ? { requestRules } : {}),
    ...(responseRules && Object.keys(responseRules).length ? { responseRules } : {}),
    ...(requestGenerators && Object.keys(requestGenerators).length ? { requestGenerators } : {}),
    ...(responseGenerators && Object.keys(responseGenerators).length ? { responseGenerators } : {}),
  };
}

function providerStatesOf(value: Record<string, unknown>, file: string, where: string): PactProviderState[] {
  if (typeof value.providerState === 'string' && value.providerState !== '')
    return [{ name: value.providerState }];
  if (
    value.providerState !== undefined &&
    value.providerState !== null &&
    typeof value.providerState !== 'string'
  )
    throw fail(file, `${where}.providerState`, 'expected a string');
  if (value.providerStates === undefined) return [];
  if (!Array.isArray(value.providerStates)) throw fail(file, `${where}.providerStates`, 'expected an array');
  return value.providerStates.map((state, index) => {
    const at = `${where}.providerStates[${index}]`;
    if (!isPlainObject(state) || typeof state.name !== 'string' || state.name === '')
      throw fail(file, `${at}.name`, 'expected a non-empty string');
    if (state.params !== undefined && !isPlainObject(state.params))
      throw fail(file, `${at}.params`, 'expected an object');
    return {
      name: state.name,
      ...(state.params && Object.keys(state.params).length ? { params: state.params } : {}),
    };
  });
}

function queryOf(value: unknown, file: string, where: string): Record<string, string[]> | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const out: Record<string, string[]> = {};
  if (typeof value === 'string') {
    for (const [name, item] of new URLSearchParams(value)) out[name] = [...(out[name] ?? []), item];
  } else if (isPlainObject(value)) {
    for (const [name, item] of Object.entries(value)) {
      const items = Array.isArray(item) ? item : [item];
      if (!items.every((i) => typeof i === 'string'))
        throw fail(file, `${where}.${name}`, 'expected a string or an array of strings');
      out[name] = items as string[];
    }
  } else {
    throw fail(file, where, 'expected a query string or an object');
  }
  return Object.keys(out).length ? out : undefined;
}

function headersOf(value: unknown, file: string, where: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw fail(file, where, 'expected an object');
  const values: Record<string, string> = {};
  for (const [name, item] of Object.entries(value)) {
    const items = Array.isArray(item) ? item : [item];
    if (!items.every((i) => typeof i === 'string'))
      throw fail(file, `${where}.${name}`, 'expected a string or an array of strings');
    values[name] = items.join(', ');
  }
  return Object.keys(values).length ? values : undefined;
}

/** A V4 body's content type is added to the headers when they have none. */
function withContentType(
  headers: Record<string, string> | undefined,
  contentType: string | undefined,
): Record<string, string> | undefined {
  if (!contentType || Object.keys(headers ?? {}).some((n) => n.toLowerCase() === 'content-type'))
    return headers;
  return { ...headers, 'Content-Type': contentType };
}

/**
 * The body as entente keeps it: JSON as a value, anything else as text. V4
 * bodies are `{ content, contentType, encoded }`.
 */
function bodyOf(
  side: Record<string, unknown>,
  specVersion: PactSpecVersion,
  file: string,
  where: string,
): { value?: unknown; contentType?: string } {
  const body = side.body;
  if (body === undefined || body === null) return {};
  if (specVersion !== 4) return { value: body };
  if (!isPlainObject(body) || !('content' in body))
    throw fail(file, `${where}.body`, 'expected { content, contentType }');
  const contentType = typeof body.contentType === 'string' ? body.contentType : undefined;
  const typed = (value: unknown) => ({ value, ...(contentType ? { contentType } : {}) });
  if (body.encoded === 'base64' || body.encoded === true) {
    if (typeof body.content !== 'string') throw fail(file, `${where}.body.content`, 'expected base64 text');
    const text = Buffer.from(body.content, 'base64').toString('utf8');
    if (contentType && /json/i.test(contentType)) {
      try {
        return typed(JSON.parse(text));
      } catch {
        return typed(text);
      }
    }
    return typed(text);
  }
  if ((body.encoded === 'json' || body.encoded === 'JSON') && typeof body.content === 'string') {
    try {
      return typed(JSON.parse(body.content));
    } catch {
      throw fail(file, `${where}.body.content`, 'encoded as JSON but does not parse');
    }
  }
  return typed(body.content);
}

function fail(file: string, field: string, message: string): InputError {
  const where = field ? `${file}: ${field}` : file;
  return new InputError('input.pact', `${where}: ${message}`, { details: [{ where, message }] });
}
