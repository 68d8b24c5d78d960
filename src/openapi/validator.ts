/**
 * Request and response validation against an OpenAPI document. Validators are
 * compiled lazily, one per (operation, part, status, direction) the first
 * time it is needed, and cached per document object: big specs (GitHub's has
 * 1,200 operations) never compile what they do not use. Every document shares
 * one Ajv per dialect (creating one compiles the JSON Schema meta-schema, a
 * few milliseconds per spec); each compilation leaves that Ajv as it found
 * it, so documents never see each other's schemas and a compiled validator
 * lives only as long as its document.
 *
 * Problems are data: every function returns a list of violations, empty when
 * the request or response fits the spec.
 */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { isJsonMediaType, mediaTypeOf } from '../contract/media-type.js';
import { InputError } from '../errors.js';
import { describeAjvError } from '../model/validate.js';
import { deref, type OpenApiDocument } from './document.js';
import { linearRegExp } from './linear-regexp.js';
import {
  matchPathTemplate,
  type ParameterObject,
  routerFor,
  type SpecOperation,
  underBasePath,
} from './router.js';
import { type JsonSchemaObject, type SchemaDialect, schemaDialect, toJsonSchema } from './schema.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export type ViolationLocation = 'path' | 'query' | 'header' | 'cookie' | 'body' | 'status' | 'content-type';

export interface Violation {
  in: ViolationLocation;
  /** The parameter or header name, when the violation is about one. */
  name?: string;
  /** JSON Pointer into the parameter value or the body ('' for the whole value). */
  pointer: string;
  message: string;
}

/** A request as plain data: what the mock receives and what a contract records. */
export interface RequestData {
  method: string;
  /** The concrete path, without the query string. */
  path: string;
  query?: Record<string, string | string[]> | URLSearchParams;
  /** Header names in any case. */
  headers?: Record<string, string>;
  /** Parsed JSON, or the raw text for other media types; undefined when there is no body. */
  body?: unknown;
}

export interface ResponseData {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ValidateResponseOptions {
  /**
   * The body lists only some fields (a partial fixture): fields the spec marks
   * required may be missing; the fields present must still fit.
   */
  partial?: boolean;
}

/** An operation given as a `SpecOperation`, an operationId or `METHOD /template`. */
export type OperationRef = SpecOperation | string;

const NO_VIOLATIONS: readonly Violation[] = Object.freeze([]);

/** Header parameters the OpenAPI spec says are described elsewhere and must be ignored. */
const IGNORED_HEADER_PARAMETERS = new Set(['accept', 'content-type', 'authorization']);

export class SpecValidators {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenApiDocument) {
    this.ajv = sharedAjv(schemaDialect(document));
  }

  /** The compiled validator for `key`, building and compiling `schema()` only the first time. */
  compile(key: string, schema: () => JsonSchemaObject): ValidateFunction {
    let validate = this.cache.get(key);
    if (!validate) {
      validate = compileDetached(this.ajv, schema());
      this.cache.set(key, validate);
    }
    return validate;
  }

  /** How many validators have been compiled so far. */
  get compiledCount(): number {
    return this.cache.size;
  }

  operation(ref: OperationRef): SpecOperation {
    if (typeof ref !== 'string') return ref;
    const found = routerFor(this.document).find(ref);
    if (!found) {
      throw new InputError('input.operation', `the spec has no operation ${JSON.stringify(ref)}`, {
        details: [{ where: 'operation', message: 'expected an operationId or "METHOD /path/template"' }],
      });
    }
    return found;
  }

  validateRequest(ref: OperationRef, request: RequestData, pathParams?: Record<string, string>): Violation[] {
    const op = this.operation(ref);
    const violations: Violation[] = [];
    const basePath = routerFor(this.document).basePath;
    const params =
      pathParams ??
      matchPathTemplate(op.template, underBasePath(request.path, basePath) ?? request.path) ??
      {};
    const query = queryMap(request.query);
    const headers = lowerKeys(request.headers);
    const cookies = parseCookies(headers.cookie);
    for (const param of op.parameters) {
      if (param.in === 'header' && IGNORED_HEADER_PARAMETERS.has(param.name.toLowerCase())) continue;
      const value = parameterValue(this.document, param, { path: params, query, headers, cookies });
      if (value === undefined) {
        if (param.required || param.in === 'path') {
          violations.push({ in: param.in, name: param.name, pointer: '', message: 'is required' });
        }
        continue;
      }
      const schema = parameterSchema(param);
      if (schema === undefined) continue;
      const validate = this.compile(`${op.operationKey}|param|${param.in}|${param.name}`, () =>
        toJsonSchema(this.document, schema, { direction: 'request' }),
      );
      violations.push(...this.check(validate, value, param.in, param.name));
    }
    violations.push(...this.validateRequestBody(op, request.body, headers['content-type']));
    return violations;
  }

  private validateRequestBody(
    op: SpecOperation,
    body: unknown,
    contentType: string | undefined,
  ): Violation[] {
    const requestBody = deref<Record<string, unknown>>(this.document, op.operation.requestBody);
    if (!requestBody) return [];
    if (body === undefined || body === '') {
      return requestBody.required === true
        ? [{ in: 'body', pointer: '', message: 'a request body is required' }]
        : [];
    }
    const content = (requestBody.content ?? {}) as Record<string, { schema?: unknown } | undefined>;
    const declared = Object.keys(content);
    if (!contentType) {
      return [{ in: 'content-type', pointer: '', message: `is missing; expected ${declared.join(', ')}` }];
    }
    const mediaType = matchMediaType(declared, contentType);
    if (mediaType === undefined) {
      return [
        {
          in: 'content-type',
          pointer: '',
          message: `${JSON.stringify(contentType)} is not declared; expected ${declared.join(', ')}`,
        },
      ];
    }
    const schema = content[mediaType]?.schema;
    if (schema === undefined || !isJsonMediaType(contentType)) return [];
    const validate = this.compile(`${op.operationKey}|request-body|${mediaType}`, () =>
      toJsonSchema(this.document, schema, { direction: 'request' }),
    );
    return this.check(validate, body, 'body');
  }

  validateResponse(
    ref: OperationRef,
    response: ResponseData,
    options: ValidateResponseOptions = {},
  ): Violation[] {
    const op = this.operation(ref);
    const found = declaredResponse(this.document, op, response.status);
    if (!found) {
      const declared = Object.keys((op.operation.responses ?? {}) as object);
      return [
        {
          in: 'status',
          pointer: '',
          message: `${response.status} is not a declared response; declared: ${declared.join(', ')}`,
        },
      ];
    }
    const violations: Violation[] = [];
    const headers = lowerKeys(response.headers);
    for (const [name, rawHeader] of Object.entries(
      (found.response.headers ?? {}) as Record<string, unknown>,
    )) {
      if (name.toLowerCase() === 'content-type') continue;
      const header = deref<Record<string, unknown>>(this.document, rawHeader);
      if (!header) continue;
      const raw = headers[name.toLowerCase()];
      if (raw === undefined) {
        if (header.required === true)
          violations.push({ in: 'header', name, pointer: '', message: 'is required' });
        continue;
      }
      const param = { ...header, name, in: 'header' } as ParameterObject;
      const schema = parameterSchema(param);
      if (schema === undefined) continue;
      const value = coerce(this.document, schema, splitSimple(this.document, schema, raw));
      const validate = this.compile(`${op.operationKey}|response-header|${found.key}|${name}`, () =>
        toJsonSchema(this.document, schema, { direction: 'response' }),
      );
      violations.push(...this.check(validate, value, 'header', name));
    }
    violations.push(...this.validateResponseBody(op, found, response.body, headers['content-type'], options));
    return violations;
  }

  private validateResponseBody(
    op: SpecOperation,
    found: DeclaredResponse,
    body: unknown,
    contentType: string | undefined,
    options: ValidateResponseOptions,
  ): Violation[] {
    if (body === undefined || body === '') return [];
    const content = (found.response.content ?? {}) as Record<string, { schema?: unknown } | undefined>;
    const declared = Object.keys(content);
    if (declared.length === 0) {
      return [{ in: 'body', pointer: '', message: `the spec declares no body for response ${found.key}` }];
    }
    if (!contentType) {
      return [{ in: 'content-type', pointer: '', message: `is missing; expected ${declared.join(', ')}` }];
    }
    const mediaType = matchMediaType(declared, contentType);
    if (mediaType === undefined) {
      return [
        {
          in: 'content-type',
          pointer: '',
          message: `${JSON.stringify(contentType)} is not declared for response ${found.key}; expected ${declared.join(', ')}`,
        },
      ];
    }
    const schema = content[mediaType]?.schema;
    if (schema === undefined || !isJsonMediaType(contentType)) return [];
    const validate = this.compile(
      `${op.operationKey}|response-body|${found.key}|${mediaType}|${options.partial ? 'partial' : 'full'}`,
      () => toJsonSchema(this.document, schema, { direction: 'response', partial: options.partial === true }),
    );
    return this.check(validate, body, 'body');
  }

  private check(
    validate: ValidateFunction,
    value: unknown,
    location: ViolationLocation,
    name?: string,
  ): Violation[] {
    if (validate(value)) return NO_VIOLATIONS as Violation[];
    return ajvViolations(validate.errors ?? [], location, name);
  }
}

const validatorsByDocument = new WeakMap<OpenApiDocument, SpecValidators>();

/** The validator cache of a document (one per document object). */
export function specValidators(document: OpenApiDocument): SpecValidators {
  let validators = validatorsByDocument.get(document);
  if (!validators) {
    validators = new SpecValidators(document);
    validatorsByDocument.set(document, validators);
  }
  return validators;
}

/**
 * Violations of `request` against `operation`. `pathParams` come from the
 * router; without them they are read from `request.path` by the operation's
 * template.
 */
export function validateRequest(
  document: OpenApiDocument,
  operation: OperationRef,
  request: RequestData,
  pathParams?: Record<string, string>,
): Violation[] {
  return specValidators(document).validateRequest(operation, request, pathParams);
}

/** Violations of `response` against `operation`: status, content type, headers, JSON body. */
export function validateResponse(
  document: OpenApiDocument,
  operation: OperationRef,
  response: ResponseData,
  options: ValidateResponseOptions = {},
): Violation[] {
  return specValidators(document).validateResponse(operation, response, options);
}

export interface DeclaredResponse {
  /** The key in `responses`: `'200'`, `'2XX'` or `'default'`. */
  key: string;
  response: Record<string, unknown>;
}

/** The response object that covers `status`: exact code, then its `NXX` range, then `default`. */
export function declaredResponse(
  document: OpenApiDocument,
  operation: SpecOperation,
  status: number,
): DeclaredResponse | undefined {
  const responses = (operation.operation.responses ?? {}) as Record<string, unknown>;
  const range = `${Math.floor(status / 100)}XX`;
  const key =
    String(status) in responses
      ? String(status)
      : (Object.keys(responses).find((k) => k.toUpperCase() === range) ??
        ('default' in responses ? 'default' : undefined));
  if (key === undefined) return undefined;
  const response = deref<Record<string, unknown>>(document, responses[key]);
  return response ? { key, response } : undefined;
}

/**
 * The JSON Schema (converted, self-contained) of an operation's response body
 * for `status` and `mediaType` (default: the first JSON media type declared);
 * undefined when the response declares no schema.
 */
export function responseBodySchema(
  document: OpenApiDocument,
  operation: OperationRef,
  status: number,
  options: { mediaType?: string; partial?: boolean } = {},
): JsonSchemaObject | undefined {
  const op = specValidators(document).operation(operation);
  const found = declaredResponse(document, op, status);
  const schema = found && mediaSchema(found.response.content, options.mediaType);
  return schema === undefined
    ? undefined
    : toJsonSchema(document, schema, { direction: 'response', partial: options.partial === true });
}

/** The converted JSON Schema of an operation's request body; undefined when none is declared. */
export function requestBodySchema(
  document: OpenApiDocument,
  operation: OperationRef,
  options: { mediaType?: string } = {},
): JsonSchemaObject | undefined {
  const op = specValidators(document).operation(operation);
  const requestBody = deref<Record<string, unknown>>(document, op.operation.requestBody);
  const schema = requestBody && mediaSchema(requestBody.content, options.mediaType);
  return schema === undefined ? undefined : toJsonSchema(document, schema, { direction: 'request' });
}

function mediaSchema(content: unknown, mediaType: string | undefined): unknown {
  if (!content || typeof content !== 'object') return undefined;
  const media = content as Record<string, { schema?: unknown } | undefined>;
  const key = mediaType
    ? matchMediaType(Object.keys(media), mediaType)
    : (Object.keys(media).find(isJsonMediaType) ?? Object.keys(media)[0]);
  return key === undefined ? undefined : media[key]?.schema;
}

/**
 * The declared media type `actual` (a Content-Type value) falls under: exact
 * first, then `type/*`, then `*\/*`. Parameters such as charset are ignored.
 */
export function matchMediaType(declared: string[], actual: string): string | undefined {
  const essence = mediaTypeOf(actual);
  const type = essence?.split('/')[0];
  return (
    declared.find((d) => mediaTypeOf(d) === essence) ??
    declared.find((d) => mediaTypeOf(d) === `${type}/*`) ??
    declared.find((d) => mediaTypeOf(d) === '*/*')
  );
}

const ajvByDialect = new Map<SchemaDialect, Ajv>();

function sharedAjv(dialect: SchemaDialect): Ajv {
  let ajv = ajvByDialect.get(dialect);
  if (!ajv) {
    ajv = createAjv(dialect);
    ajvByDialect.set(dialect, ajv);
  }
  return ajv;
}

/**
 * Compiles `schema` and then removes from `ajv` everything the compilation
 * registered (its cache entry, its `$id`s): the validator keeps what it
 * needs, and the next document can use the same `$id`s without a clash.
 */
function compileDetached(ajv: Ajv, schema: JsonSchemaObject): ValidateFunction {
  const refsBefore = new Set(Object.keys(ajv.refs));
  const schemasBefore = new Set(Object.keys(ajv.schemas));
  const id = typeof schema.$id === 'string' ? schema.$id.replace(/#$/, '') : undefined;
  try {
    return ajv.compile(schema);
  } finally {
    // An `$id` that was already taken made compile throw: that entry is not ours to remove.
    if (id === undefined || !(refsBefore.has(id) || schemasBefore.has(id))) ajv.removeSchema(schema);
    for (const key of Object.keys(ajv.refs)) if (!refsBefore.has(key)) delete ajv.refs[key];
    for (const key of Object.keys(ajv.schemas)) if (!schemasBefore.has(key)) delete ajv.schemas[key];
  }
}

function createAjv(dialect: SchemaDialect): Ajv {
  const options: Options = {
    allErrors: true,
    strict: false,
    logger: false,
    allowUnionTypes: true,
    validateFormats: true,
    // Sample repair reads the failing subschema from each error.
    verbose: true,
    // Spec patterns may come from anyone: they run in linear time.
    code: { regExp: linearRegExp },
  };
  const ajv = dialect === '2020-12' ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  const int = (min: number, max: number) => (n: number) => Number.isInteger(n) && n >= min && n <= max;
  ajv.addFormat('int32', { type: 'number', validate: int(-2147483648, 2147483647) });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat('binary', () => true);
  ajv.addFormat('password', () => true);
  return ajv;
}

/** Keywords whose errors only repeat what their subschemas' errors already say. */
const NOISE_KEYWORDS = new Set(['if', 'anyOf', 'allOf']);

export function ajvViolations(
  errors: ErrorObject[],
  location: ViolationLocation,
  name?: string,
): Violation[] {
  const useful = errors.filter((e) => !NOISE_KEYWORDS.has(e.keyword));
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const error of useful.length > 0 ? useful : errors) {
    const { where, message } = describeAjvError(error);
    const pointer = where === '/' ? '' : where;
    const key = `${pointer} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ in: location, ...(name === undefined ? {} : { name }), pointer, message });
  }
  return out;
}

function parameterSchema(param: ParameterObject): unknown {
  if (param.schema !== undefined) return param.schema;
  const first = param.content && Object.values(param.content)[0];
  return first?.schema;
}

interface ParameterSources {
  path: Record<string, string>;
  query: Map<string, string[]>;
  headers: Record<string, string>;
  cookies: Record<string, string>;
}

/** The typed value of a parameter as the spec's style and explode rules read it; undefined when absent. */
function parameterValue(
  document: OpenApiDocument,
  param: ParameterObject,
  sources: ParameterSources,
): unknown {
  const schema = parameterSchema(param);
  if (param.content) {
    const raw = rawParameter(param, sources);
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  const type = schemaType(document, schema);
  if (param.in === 'query') {
    const style = param.style ?? 'form';
    const explode = param.explode ?? style === 'form';
    if (style === 'deepObject' || (type === 'object' && style === 'form' && explode)) {
      return queryObject(document, param, schema, sources.query, style === 'deepObject');
    }
    const values = sources.query.get(param.name);
    if (values === undefined) return undefined;
    if (type === 'array') {
      const separator = { form: ',', spaceDelimited: ' ', pipeDelimited: '|' }[style] ?? ',';
      const items = explode ? values : values.flatMap((v) => v.split(separator));
      return coerce(document, schema, items);
    }
    return coerce(document, schema, values[0]);
  }
  const raw = rawParameter(param, sources);
  if (raw === undefined) return undefined;
  let text = raw;
  if (param.in === 'path' && param.style === 'label') text = text.replace(/^\./, '');
  // A prefix, not a RegExp: the parameter name comes from the spec.
  if (param.in === 'path' && param.style === 'matrix' && text.startsWith(`;${param.name}=`))
    text = text.slice(param.name.length + 2);
  return coerce(document, schema, splitSimple(document, schema, text));
}

function rawParameter(param: ParameterObject, sources: ParameterSources): string | undefined {
  switch (param.in) {
    case 'path':
      return sources.path[param.name];
    case 'query':
      return sources.query.get(param.name)?.[0];
    case 'header':
      return sources.headers[param.name.toLowerCase()];
    case 'cookie':
      return sources.cookies[param.name];
  }
}

function splitSimple(document: OpenApiDocument, schema: unknown, text: string): string | string[] {
  return schemaType(document, schema) === 'array' ? text.split(',').map((s) => s.trim()) : text;
}

function queryObject(
  document: OpenApiDocument,
  param: ParameterObject,
  schema: unknown,
  query: Map<string, string[]>,
  deep: boolean,
): Record<string, unknown> | undefined {
  const properties = (deref<Record<string, unknown>>(document, schema)?.properties ?? {}) as Record<
    string,
    unknown
  >;
  const out: Record<string, unknown> = {};
  for (const [key, values] of query) {
    const name = deep ? /^(.+)\[([^\]]*)\]$/.exec(key) : null;
    if (deep ? name?.[1] !== param.name : !(key in properties)) continue;
    const property = deep ? (name?.[2] ?? '') : key;
    out[property] = coerce(document, properties[property], values[0]);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Strings from a URL or a header, turned into the types the schema declares when they parse as such. */
function coerce(document: OpenApiDocument, schema: unknown, value: string | string[] | undefined): unknown {
  if (value === undefined) return undefined;
  const type = schemaType(document, schema);
  if (Array.isArray(value)) {
    if (type !== 'array') return coerce(document, schema, value[0]);
    const items = deref<Record<string, unknown>>(document, schema)?.items;
    return value.map((v) => coerce(document, items, v));
  }
  switch (type) {
    case 'integer':
    case 'number':
      return /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'null':
      return value === 'null' || value === '' ? null : value;
    case 'array':
      return [value];
    default:
      return value;
  }
}

/** The first non-null `type` of a schema, looking through `$ref` and allOf/anyOf/oneOf. */
function schemaType(document: OpenApiDocument, schema: unknown, depth = 0): string | undefined {
  const node = deref<Record<string, unknown>>(document, schema);
  if (!node || typeof node !== 'object' || depth > 8) return undefined;
  const types = Array.isArray(node.type) ? node.type : [node.type];
  const type = types.find((t): t is string => typeof t === 'string' && t !== 'null');
  if (type) return type;
  if (types.includes('null')) return 'null';
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    const list = node[keyword];
    if (!Array.isArray(list)) continue;
    for (const sub of list) {
      const found = schemaType(document, sub, depth + 1);
      if (found) return found;
    }
  }
  if (node.properties) return 'object';
  if (node.items) return 'array';
  return undefined;
}

function queryMap(query: RequestData['query']): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (!query) return map;
  const entries: [string, string | string[]][] =
    query instanceof URLSearchParams ? [...query.entries()] : Object.entries(query);
  for (const [key, value] of entries) {
    const list = map.get(key) ?? [];
    list.push(...(Array.isArray(value) ? value : [value]));
    map.set(key, list);
  }
  return map;
}

function lowerKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) out[key.toLowerCase()] = value;
  return out;
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}
