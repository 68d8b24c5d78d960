import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../document.js';
import { diffSpecs } from './diff-specs.js';
import type { DiffFinding } from './findings.js';
import {
  diffRules,
  REQUEST_SCHEMA_ASPECTS,
  REQUEST_SCHEMA_CONTEXTS,
  RESPONSE_SCHEMA_ASPECTS,
  RESPONSE_SCHEMA_CONTEXTS,
  type RequestSchemaAspect,
  type ResponseSchemaAspect,
  RULE_IDS,
  type RuleId,
  type SchemaContext,
} from './rules.js';

type Json = Record<string, unknown>;
// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

interface Case {
  base: OpenApiDocument;
  revision: OpenApiDocument;
  /** A compatible revision of `base` close to `revision` that does not trigger the rule (default: `base` itself). */
  twin?: OpenApiDocument;
  /** Fields the finding of this rule must have besides its rule and level. */
  expected?: Partial<DiffFinding>;
}

function spec(paths: Json, extra: Json = {}): OpenApiDocument {
  return { openapi: '3.0.3', info: { title: 'Things', version: '1' }, paths, ...extra } as OpenApiDocument;
}

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

/** One GET operation on /things/{id}, with `operation` merged in. */
function getThing(operation: Json = {}, extra: Json = {}): OpenApiDocument {
  return spec(
    {
      '/things/{id}': {
        parameters: [idParameter],
        get: { operationId: 'getThing', responses: { '200': { description: 'ok' } }, ...operation },
      },
    },
    extra,
  );
}

const ok = (content: Json = {}) => ({ '200': { description: 'ok', ...content } });

/** GET /things/{id} with one callback whose POST is `operation` (and a 200 response unless it says otherwise). */
function withCallback(operation: Json, extra: Json = {}): OpenApiDocument {
  return getThing(
    { callbacks: { moved: { '{$request.query.hook}': { post: { responses: ok(), ...operation } } } } },
    extra,
  );
}
const jsonBody = (schema: Json) => ({ content: { 'application/json': { schema } } });

/** Where a schema goes for each schema context, and the target its findings carry. */
const placements: Record<SchemaContext, (schema: Json, extra?: Json) => OpenApiDocument> = {
  'request.parameter': (schema, extra) =>
    getThing({ parameters: [{ name: 'q', in: 'query', schema }] }, extra),
  'request.body': (schema, extra) => getThing({ requestBody: jsonBody(schema) }, extra),
  'response.body': (schema, extra) => getThing({ responses: ok(jsonBody(schema)) }, extra),
  'response.header': (schema, extra) =>
    getThing({ responses: ok({ headers: { 'X-Rate': { schema } } }) }, extra),
  'callback.request.parameter': (schema, extra) =>
    withCallback({ parameters: [{ name: 'X-Signature', in: 'header', schema }] }, extra),
  'callback.response.header': (schema, extra) =>
    withCallback({ responses: ok({ headers: { 'X-Ack': { schema } } }) }, extra),
  'callback.request.body': (schema, extra) =>
    getThing(
      {},
      { ...extra, webhooks: { thingMoved: { post: { requestBody: jsonBody(schema), responses: ok() } } } },
    ),
  'callback.response.body': (schema, extra) =>
    getThing(
      {
        callbacks: {
          moved: {
            '{$request.query.hook}': {
              post: { requestBody: jsonBody(str), responses: ok(jsonBody(schema)) },
            },
          },
        },
      },
      extra,
    ),
};

const object = (properties: Json, more: Json = {}) => ({ type: 'object', properties, ...more });
const str = { type: 'string' };

const int = { type: 'integer' };
const obj = { type: 'object' };
const arr = { type: 'array' };
const cat = object({ kind: str, meows: { type: 'boolean' } }, { required: ['kind'] });
const dog = object({ kind: str, barks: { type: 'boolean' } }, { required: ['kind', 'barks'] });
const pets = (mapping: Json) => ({
  oneOf: [ref('Cat'), ref('Dog')],
  discriminator: { propertyName: 'kind', mapping },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/** `{ type: object, if, then }`, built from entries: an object literal with `then` is a thenable. */
const conditional = (condition: Json, consequence: Json | boolean) =>
  Object.fromEntries([
    ['type', 'object'],
    ['if', condition],
    ['then', consequence],
  ]);
/** Two branches one value can match together: `{"a": …, "b": …}`. */
const hasA = object({ a: str }, { required: ['a'] });
const hasB = object({ b: str }, { required: ['b'] });
const bothPets = { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' };

/** Base, revision that triggers the aspect, the field path, then a compatible twin of the revision (OpenAPI 3.1). */
type SchemaCase = [Json, Json, string, Json];

const requestSchemaCases: Record<RequestSchemaAspect, SchemaCase> = {
  'type-changed': [str, int, '', { type: ['string', 'integer'] }],
  'format-changed': [str, { type: 'string', format: 'uuid' }, '', { type: 'string', description: 'any id' }],
  'enum-narrowed': [
    { type: 'string', enum: ['a', 'b'] },
    { type: 'string', enum: ['a'] },
    '',
    { type: 'string', enum: ['b', 'a'] },
  ],
  'enum-widened': [
    { type: 'string', enum: ['a'] },
    { type: 'string', enum: ['a', 'b'] },
    '',
    { type: 'string', enum: ['a'] },
  ],
  'became-non-nullable': [{ type: ['string', 'null'] }, str, '', { type: ['null', 'string'] }],
  'constraint-tightened': [
    { type: 'integer', minimum: 1 },
    { type: 'integer', minimum: 2 },
    '',
    { type: 'integer', minimum: 0 },
  ],
  'required-property-added': [
    object({ a: str }),
    object({ a: str, b: str }, { required: ['b'] }),
    'b',
    object({ a: str, b: str }),
  ],
  'property-became-required': [
    object({ a: str }),
    object({ a: str }, { required: ['a'] }),
    'a',
    object({ a: { type: ['string', 'null'] } }),
  ],
  'property-removed': [
    object({ a: str, b: str }, { additionalProperties: false }),
    object({ a: str }, { additionalProperties: false }),
    'b',
    object({ a: str }),
  ],
  'property-added': [object({ a: str }), object({ a: str, b: str }), 'b', object({ a: str })],
  'composition-narrowed': [
    { anyOf: [object({ a: str }, { required: ['a'] }), object({ b: str }, { required: ['b'] })] },
    { anyOf: [object({ a: str }, { required: ['a'] })] },
    '',
    { anyOf: [object({ a: str }, { required: ['a'] }), object({ b: str }, { required: ['b'] }), obj] },
  ],
  'one-of-became-any-of': [
    { oneOf: [hasA, hasB] },
    { anyOf: [hasA, hasB] },
    '',
    { oneOf: [hasA, hasB], description: 'an a or a b, not both' },
  ],
  'conditional-changed': [
    obj,
    conditional({ required: ['a'] }, { required: ['b'] }),
    '',
    conditional({ required: ['a'] }, true),
  ],
  'dependency-added': [
    obj,
    { ...obj, dependentRequired: { a: ['b'] } },
    '',
    { ...obj, dependentRequired: { a: [] } },
  ],
  'keyword-tightened': [
    obj,
    { ...obj, patternProperties: { '^x-': int } },
    '',
    { ...obj, patternProperties: { '^x-': true } },
  ],
  'discriminator-changed': [pets(bothPets), pets({ cat: bothPets.cat }), '', pets(bothPets)],
  // A `not` inside an `allOf` member: no named rule looks there, the generic one finds "x".
  narrowed: [
    { ...arr, items: str },
    { ...arr, items: { allOf: [str, { not: { const: 'x' } }] } },
    '',
    { ...arr, items: { allOf: [str, { not: { const: 1 } }] } },
  ],
};

const responseSchemaCases: Record<ResponseSchemaAspect, SchemaCase> = {
  'type-changed': [str, int, '', { type: 'string', enum: ['a'] }],
  'format-changed': [
    { type: 'string', format: 'date-time' },
    str,
    '',
    { type: 'string', format: 'date-time', title: 'when' },
  ],
  'enum-widened': [
    { type: 'string', enum: ['a'] },
    { type: 'string', enum: ['a', 'b'] },
    '',
    { type: 'string', enum: ['a'] },
  ],
  'became-nullable': [str, { type: ['string', 'null'] }, '', str],
  'constraint-loosened': [
    { type: 'integer', minimum: 5 },
    { type: 'integer', minimum: 1 },
    '',
    { type: 'integer', minimum: 6 },
  ],
  'property-removed': [
    object({ a: str, b: str }, { required: ['b'] }),
    object({ a: str }),
    'b',
    object({ a: str, b: str, c: str }, { required: ['b'] }),
  ],
  'optional-property-removed': [
    object({ a: str, b: str }),
    object({ a: str }),
    'b',
    object({ a: str, b: str }, { required: ['b'] }),
  ],
  'property-became-optional': [
    object({ a: str }, { required: ['a'] }),
    object({ a: str }),
    'a',
    object({ a: str, b: str }, { required: ['a', 'b'] }),
  ],
  'property-added': [object({ a: str }), object({ a: str, b: str }), 'b', object({ a: str })],
  'composition-widened': [
    { anyOf: [object({ a: str }, { required: ['a'] })] },
    { anyOf: [object({ a: str }, { required: ['a'] }), object({ b: str }, { required: ['b'] })] },
    '',
    { anyOf: [object({ a: str }, { required: ['a', 'b'] })] },
  ],
  // Twin: the same switch with `not` refusing what both branches match: no value proves it widens.
  'one-of-became-any-of': [
    { oneOf: [hasA, hasB] },
    { anyOf: [hasA, hasB] },
    '',
    { anyOf: [hasA, hasB], not: { required: ['a', 'b'] } },
  ],
  'conditional-changed': [
    conditional({ required: ['a'] }, { required: ['b'] }),
    obj,
    '',
    conditional({ required: ['a'] }, { required: ['b', 'c'] }),
  ],
  'dependency-removed': [
    { ...obj, dependentRequired: { a: ['b'] } },
    obj,
    '',
    { ...obj, dependentRequired: { a: ['b', 'c'] } },
  ],
  'keyword-loosened': [
    { ...obj, propertyNames: { maxLength: 3 } },
    obj,
    '',
    { ...obj, propertyNames: { maxLength: 2 } },
  ],
  'discriminator-changed': [pets({ cat: bothPets.cat }), pets(bothPets), '', pets({ cat: bothPets.cat })],
  widened: [
    { ...arr, items: { allOf: [str, { not: { const: 'x' } }] } },
    { ...arr, items: str },
    '',
    { ...arr, items: { allOf: [str, { not: { enum: ['x', 'y'] } }] } },
  ],
};

function schemaCases(): Partial<Record<RuleId, Case>> {
  const cases: Partial<Record<RuleId, Case>> = {};
  const components = { openapi: '3.1.0', components: { schemas: { Cat: cat, Dog: dog } } };
  const add = (context: SchemaContext, aspect: string, [before, after, path, twin]: SchemaCase) => {
    cases[`${context}.${aspect}` as RuleId] = {
      base: placements[context](before, components),
      revision: placements[context](after, components),
      twin: placements[context](twin, components),
      expected: { target: expect.objectContaining({ path }) },
    };
  };
  for (const context of REQUEST_SCHEMA_CONTEXTS) {
    for (const aspect of REQUEST_SCHEMA_ASPECTS) add(context, aspect, requestSchemaCases[aspect]);
  }
  for (const context of RESPONSE_SCHEMA_CONTEXTS) {
    for (const aspect of RESPONSE_SCHEMA_ASPECTS) add(context, aspect, responseSchemaCases[aspect]);
  }
  return cases;
}

const bearer = { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } };
const oauth = {
  securitySchemes: {
    oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://x/token', scopes: {} } } },
  },
};

const webhook = (name: string) => ({ [name]: { post: { requestBody: jsonBody(str), responses: ok() } } });
const hook = { moved: { '{$request.query.hook}': webhook('x').x } };

const structuralCases: Partial<Record<RuleId, Case>> = {
  'server.base-path-changed': {
    base: getThing({}, { servers: [{ url: 'https://things.example/v1' }] }),
    revision: getThing({}, { servers: [{ url: 'https://things.example/v2' }] }),
    twin: getThing({}, { servers: [{ url: 'https://other.example/v1' }] }),
    expected: { before: '/v1', after: '/v2' },
  },
  'webhook.removed': {
    base: getThing({}, { openapi: '3.1.0', webhooks: { ...webhook('a'), ...webhook('b') } }),
    revision: getThing({}, { openapi: '3.1.0', webhooks: webhook('a') }),
    expected: { operation: { method: 'POST', path: 'webhook b' }, location: '/webhooks/b/post' },
  },
  'webhook.added': {
    base: getThing({}, { openapi: '3.1.0', webhooks: webhook('a') }),
    revision: getThing({}, { openapi: '3.1.0', webhooks: { ...webhook('a'), ...webhook('b') } }),
  },
  'callback.removed': {
    base: getThing({ callbacks: hook }),
    revision: getThing(),
    expected: {
      operation: { method: 'POST', path: 'GET /things/{id} callback moved {$request.query.hook}' },
      location: '/paths/~1things~1{id}/get/callbacks/moved/{$request.query.hook}/post',
    },
  },
  'callback.added': { base: getThing(), revision: getThing({ callbacks: hook }) },
  'callback.request.parameter.removed': {
    base: withCallback({ parameters: [{ name: 'X-Signature', in: 'header', required: true, schema: str }] }),
    revision: withCallback({}),
    twin: withCallback({
      parameters: [{ name: 'X-Signature', in: 'header', required: true, schema: str, description: 'HMAC' }],
    }),
    expected: {
      operation: { method: 'POST', path: 'GET /things/{id} callback moved {$request.query.hook}' },
      target: { kind: 'parameter', in: 'header', name: 'X-Signature', path: '' },
    },
  },
  'callback.request.parameter.optional-removed': {
    base: withCallback({ parameters: [{ name: 'X-Signature', in: 'header', schema: str }] }),
    revision: withCallback({}),
    twin: withCallback({ parameters: [{ name: 'x-signature', in: 'header', required: true, schema: str }] }),
  },
  'callback.request.parameter.became-optional': {
    base: withCallback({ parameters: [{ name: 'X-Signature', in: 'header', required: true, schema: str }] }),
    revision: withCallback({ parameters: [{ name: 'X-Signature', in: 'header', schema: str }] }),
    twin: withCallback({
      parameters: [{ name: 'X-Signature', in: 'header', required: true, schema: { ...str, maxLength: 64 } }],
    }),
  },
  'callback.request.parameter.added': {
    base: withCallback({}),
    revision: withCallback({ parameters: [{ name: 'X-Signature', in: 'header', schema: str }] }),
  },
  'callback.request.body.removed': {
    base: withCallback({ requestBody: jsonBody(str) }),
    revision: withCallback({}),
    twin: withCallback({ requestBody: { required: true, ...jsonBody(str) } }),
    expected: { target: { kind: 'request-body', path: '' } },
  },
  'callback.request.body.became-optional': {
    base: withCallback({ requestBody: { required: true, ...jsonBody(str) } }),
    revision: withCallback({ requestBody: jsonBody(str) }),
    twin: withCallback({ requestBody: { required: true, ...jsonBody({ ...str, maxLength: 64 }) } }),
  },
  'callback.request.body.added': {
    base: withCallback({}),
    revision: withCallback({ requestBody: jsonBody(str) }),
  },
  'callback.request.content-type.removed': {
    base: withCallback({
      requestBody: { content: { 'application/json': { schema: str }, 'text/plain': { schema: str } } },
    }),
    revision: withCallback({ requestBody: jsonBody(str) }),
    expected: { target: { kind: 'request-body', contentType: 'text/plain', path: '' } },
  },
  'callback.request.content-type.added': {
    base: withCallback({ requestBody: jsonBody(str) }),
    revision: withCallback({
      requestBody: { content: { 'application/json': { schema: str }, 'text/plain': { schema: str } } },
    }),
    twin: withCallback({ requestBody: jsonBody({ ...str, maxLength: 64 }) }),
    expected: { target: { kind: 'request-body', contentType: 'text/plain', path: '' } },
  },
  'callback.response.status.removed': {
    base: withCallback({ responses: { '200': { description: 'ok' }, '202': { description: 'later' } } }),
    revision: withCallback({}),
    twin: withCallback({ responses: { '200': { description: 'ok' }, '2XX': { description: 'later' } } }),
    expected: { target: { kind: 'response-status', status: '202' } },
  },
  'callback.response.status.non-success-removed': {
    base: withCallback({ responses: { '200': { description: 'ok' }, '410': { description: 'gone' } } }),
    revision: withCallback({}),
  },
  'callback.response.status.added': {
    base: withCallback({}),
    revision: withCallback({ responses: { '200': { description: 'ok' }, '202': { description: 'later' } } }),
  },
  'callback.response.content-type.removed': {
    base: withCallback({
      responses: ok({ content: { 'application/json': { schema: str }, 'text/plain': { schema: str } } }),
    }),
    revision: withCallback({ responses: ok(jsonBody(str)) }),
    twin: withCallback({
      responses: ok({ content: { 'application/json': { schema: str }, 'text/*': { schema: str } } }),
    }),
    expected: { target: { kind: 'response-body', status: '200', contentType: 'text/plain', path: '' } },
  },
  'callback.response.content-type.added': {
    base: withCallback({ responses: ok(jsonBody(str)) }),
    revision: withCallback({
      responses: ok({ content: { 'application/json': { schema: str }, 'text/plain': { schema: str } } }),
    }),
  },
  'callback.response.header.required-added': {
    base: withCallback({}),
    revision: withCallback({ responses: ok({ headers: { 'X-Ack': { required: true, schema: str } } }) }),
    twin: withCallback({ responses: ok({ headers: { 'X-Ack': { schema: str } } }) }),
    expected: { target: { kind: 'response-header', status: '200', name: 'X-Ack', path: '' } },
  },
  'callback.response.header.became-required': {
    base: withCallback({ responses: ok({ headers: { 'X-Ack': { schema: str } } }) }),
    revision: withCallback({ responses: ok({ headers: { 'x-ack': { required: true, schema: str } } }) }),
    twin: withCallback({ responses: ok({ headers: { 'x-ack': { required: false, schema: str } } }) }),
  },
  'callback.response.header.removed': {
    base: withCallback({ responses: ok({ headers: { 'X-Ack': { required: true, schema: str } } }) }),
    revision: withCallback({}),
    twin: withCallback({ responses: ok({ headers: { 'X-Ack': { schema: str } } }) }),
  },
  'callback.response.header.optional-added': {
    base: withCallback({}),
    revision: withCallback({ responses: ok({ headers: { 'X-Ack': { schema: str } } }) }),
  },
  'path.removed': {
    base: spec({ '/a': { get: { responses: ok() } }, '/b': { get: { responses: ok() } } }),
    revision: spec({ '/a': { get: { responses: ok() } } }),
    expected: { operation: { method: 'GET', path: '/b' }, location: '/paths/~1b/get' },
  },
  'path.added': {
    base: spec({ '/a': { get: { responses: ok() } } }),
    revision: spec({ '/a': { get: { responses: ok() } }, '/b': { post: { responses: ok() } } }),
    expected: { operation: { method: 'POST', path: '/b' } },
  },
  'operation.removed': {
    base: spec({ '/a': { get: { responses: ok() }, delete: { operationId: 'del', responses: ok() } } }),
    revision: spec({ '/a': { get: { responses: ok() } } }),
    expected: { operation: { method: 'DELETE', path: '/a', operationId: 'del' } },
  },
  'operation.added': {
    base: spec({ '/a': { get: { responses: ok() } } }),
    revision: spec({ '/a': { get: { responses: ok() }, put: { responses: ok() } } }),
    expected: { operation: { method: 'PUT', path: '/a' } },
  },
  'operation.id-changed': {
    base: getThing(),
    revision: getThing({ operationId: 'fetchThing' }),
    expected: { before: 'getThing', after: 'fetchThing' },
  },
  'operation.deprecated': { base: getThing(), revision: getThing({ deprecated: true }) },
  'request.parameter.required-added': {
    base: getThing(),
    revision: getThing({ parameters: [{ name: 'q', in: 'query', required: true, schema: str }] }),
    twin: getThing({ parameters: [{ name: 'q', in: 'query', schema: str }] }),
    expected: { target: { kind: 'parameter', in: 'query', name: 'q', path: '' } },
  },
  'request.parameter.optional-added': {
    base: getThing(),
    revision: getThing({ parameters: [{ name: 'q', in: 'query', schema: str }] }),
  },
  'request.parameter.removed': {
    base: getThing({ parameters: [{ name: 'q', in: 'query', schema: str }] }),
    revision: getThing(),
  },
  'request.parameter.became-required': {
    base: getThing({ parameters: [{ name: 'q', in: 'query', schema: str }] }),
    revision: getThing({ parameters: [{ name: 'q', in: 'query', required: true, schema: str }] }),
    twin: getThing({
      parameters: [{ name: 'q', in: 'query', required: false, schema: { type: ['string', 'integer'] } }],
    }),
  },
  'request.parameter.location-changed': {
    base: getThing({ parameters: [{ name: 'q', in: 'query', schema: str }] }),
    revision: getThing({ parameters: [{ name: 'q', in: 'header', schema: str }] }),
    twin: getThing({ parameters: [{ name: 'q', in: 'query', schema: str, description: 'the query' }] }),
    expected: { before: 'query', after: 'header' },
  },
  'request.parameter.style-changed': {
    base: getThing({ parameters: [{ name: 'q', in: 'query', schema: { type: 'array', items: str } }] }),
    revision: getThing({
      parameters: [{ name: 'q', in: 'query', explode: false, schema: { type: 'array', items: str } }],
    }),
  },
  'request.parameter.content-changed': {
    base: getThing({ parameters: [{ name: 'q', in: 'query', schema: obj }] }),
    revision: getThing({
      parameters: [{ name: 'q', in: 'query', content: { 'application/json': { schema: obj } } }],
    }),
    twin: getThing({ parameters: [{ name: 'q', in: 'query', schema: { type: ['object', 'string'] } }] }),
    expected: { before: 'schema', after: 'application/json' },
  },
  'request.body.required-added': {
    base: getThing(),
    revision: getThing({ requestBody: { required: true, ...jsonBody(str) } }),
  },
  'request.body.became-required': {
    base: getThing({ requestBody: jsonBody(str) }),
    revision: getThing({ requestBody: { required: true, ...jsonBody(str) } }),
    twin: getThing({ requestBody: { required: false, ...jsonBody(str) } }),
  },
  'request.body.removed': { base: getThing({ requestBody: jsonBody(str) }), revision: getThing() },
  'request.body.content-type-removed': {
    base: getThing({
      requestBody: { content: { 'application/json': { schema: str }, 'text/plain': { schema: str } } },
    }),
    revision: getThing({ requestBody: jsonBody(str) }),
    expected: { target: { kind: 'request-body', contentType: 'text/plain', path: '' } },
  },
  'request.body.content-type-added': {
    base: getThing({ requestBody: jsonBody(str) }),
    revision: getThing({
      requestBody: { content: { 'application/json': { schema: str }, 'text/plain': { schema: str } } },
    }),
  },
  'response.status.removed': {
    base: getThing({ responses: { '200': { description: 'ok' }, '202': { description: 'later' } } }),
    revision: getThing(),
    twin: getThing({ responses: { '200': { description: 'ok' }, '2XX': { description: 'later' } } }),
    expected: { target: { kind: 'response-status', status: '202' } },
  },
  'response.status.non-success-removed': {
    base: getThing({ responses: { '200': { description: 'ok' }, '404': { description: 'no' } } }),
    revision: getThing(),
  },
  'response.status.added': {
    base: getThing(),
    revision: getThing({ responses: { '200': { description: 'ok' }, '404': { description: 'no' } } }),
  },
  'response.content-type.removed': {
    base: getThing({ responses: ok({ content: { 'application/json': { schema: str }, 'text/csv': {} } }) }),
    revision: getThing({ responses: ok(jsonBody(str)) }),
    twin: getThing({ responses: ok({ content: { 'application/json': { schema: str }, 'text/*': {} } }) }),
    expected: { target: { kind: 'response-body', status: '200', contentType: 'text/csv', path: '' } },
  },
  'response.content-type.added': {
    base: getThing({ responses: ok(jsonBody(str)) }),
    revision: getThing({
      responses: ok({ content: { 'application/json': { schema: str }, 'text/csv': {} } }),
    }),
  },
  'response.header.removed': {
    base: getThing({ responses: ok({ headers: { ETag: { required: true, schema: str } } }) }),
    revision: getThing(),
    expected: { target: { kind: 'response-header', status: '200', name: 'ETag', path: '' } },
  },
  'response.header.optional-removed': {
    base: getThing({ responses: ok({ headers: { ETag: { schema: str } } }) }),
    revision: getThing(),
  },
  'response.header.became-optional': {
    base: getThing({ responses: ok({ headers: { ETag: { required: true, schema: str } } }) }),
    revision: getThing({ responses: ok({ headers: { etag: { schema: str } } }) }),
    twin: getThing({
      responses: ok({ headers: { etag: { required: true, schema: { ...str, maxLength: 64 } } } }),
    }),
  },
  'security.requirement-added': {
    base: getThing({}, { components: bearer }),
    revision: getThing({ security: [{ token: [] }] }, { components: bearer }),
    expected: { target: { kind: 'security' }, location: '/paths/~1things~1{id}/get/security' },
  },
  'security.requirement-changed': {
    base: getThing({}, { components: oauth, security: [{ oauth: ['read'] }] }),
    revision: getThing({}, { components: oauth, security: [{ oauth: ['read', 'admin'] }] }),
  },
  'security.requirement-removed': {
    base: getThing({}, { components: oauth, security: [{ oauth: ['read', 'admin'] }] }),
    revision: getThing({}, { components: oauth, security: [{ oauth: ['read'] }] }),
  },
  'security.scheme-removed': {
    base: getThing({}, { components: bearer }),
    revision: getThing(),
    expected: {
      target: { kind: 'security-scheme', name: 'token' },
      location: '/components/securitySchemes/token',
    },
  },
  'security.scheme-changed': {
    base: getThing({}, { components: bearer }),
    revision: getThing(
      {},
      { components: { securitySchemes: { token: { type: 'apiKey', in: 'header', name: 'X-Token' } } } },
    ),
  },
};

const cases: Partial<Record<RuleId, Case>> = { ...structuralCases, ...schemaCases() };

/**
 * A counterexample checked with Ajv alone, independently of entente's own
 * schema conversion: OpenAPI 3.1 schemas are JSON Schema 2020-12, so the
 * pointer is compiled straight out of the document.
 */
function expectProvenCounterexample(testCase: Case, finding: DiffFinding): void {
  const example = finding.counterexample;
  if (!example) return;
  expect(testCase.base.openapi).toBe('3.1.0');
  const validate = (document: OpenApiDocument, pointer: string) => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema({ ...document, $id: 'doc' }, undefined, undefined, false);
    return ajv.compile({ $ref: `doc#${pointer}` })(example.instance);
  };
  const base = validate(testCase.base, example.schemas.base);
  const revision = validate(testCase.revision, example.schemas.revision);
  expect({ rule: finding.rule, base, revision }).toEqual({
    rule: finding.rule,
    base: example.acceptedBy === 'base',
    revision: example.acceptedBy === 'revision',
  });
}

describe('diffSpecs: every rule', () => {
  it('has a base/revision case for every rule in the registry', () => {
    expect(RULE_IDS.filter((rule) => !cases[rule])).toEqual([]);
  });

  it.each(RULE_IDS)('%s', (rule) => {
    const testCase = cases[rule];
    if (!testCase) throw new Error(`no case for ${rule}`);
    const findings = diffSpecs(testCase.base, testCase.revision);
    const found = findings.filter((f) => f.rule === rule);
    expect(found, JSON.stringify(findings, null, 2)).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: diffRules[rule].level, ...testCase.expected });
    expect(found[0]!.message).not.toBe('');
    expect(diffSpecs(testCase.base, testCase.base)).toEqual([]);
    expect(diffSpecs(testCase.revision, testCase.revision)).toEqual([]);
    const twin = diffSpecs(testCase.base, testCase.twin ?? testCase.base);
    expect(
      twin.filter((f) => f.rule === rule || f.level === 'error'),
      JSON.stringify(twin, null, 2),
    ).toEqual([]);
    for (const finding of findings) expectProvenCounterexample(testCase, finding);
  });
});

describe('diffSpecs: matching', () => {
  it('keeps a status covered by a new range, and a media type covered by a wildcard', () => {
    const base = getThing({ responses: ok(jsonBody(str)) });
    const revision = getThing({
      responses: {
        '2XX': { description: 'ok', content: { 'application/*': { schema: { type: 'integer' } } } },
      },
    });
    expect(diffSpecs(base, revision).map((f) => [f.rule, f.target])).toEqual([
      [
        'response.body.type-changed',
        { kind: 'response-body', status: '2XX', contentType: 'application/*', path: '' },
      ],
    ]);
  });

  it('keeps a status covered by `default`, and compares its body with the default one', () => {
    const base = getThing({ responses: ok(jsonBody(str)) });
    const covered = getThing({ responses: { default: { description: 'any', ...jsonBody(str) } } });
    expect(diffSpecs(base, covered)).toEqual([]);
    const changed = getThing({
      responses: { default: { description: 'any', ...jsonBody({ type: 'integer' }) } },
    });
    expect(diffSpecs(base, changed).map((f) => [f.rule, f.target])).toEqual([
      [
        'response.body.type-changed',
        { kind: 'response-body', status: 'default', contentType: 'application/json', path: '' },
      ],
    ]);
  });

  it('matches path parameters by position and header parameters by name in any case', () => {
    const header = (name: string) => ({ name, in: 'header', required: true, schema: str });
    const base = getThing({ parameters: [header('X-Tenant')] });
    const revision = spec({
      '/things/{thingId}': {
        parameters: [{ ...idParameter, name: 'thingId' }],
        get: { operationId: 'getThing', parameters: [header('x-tenant')], responses: ok() },
      },
    });
    expect(diffSpecs(base, revision)).toEqual([]);
  });
});

describe('diffSpecs: compatible changes stay compatible', () => {
  const v31 = { openapi: '3.1.0' };
  const body = (schema: Json, extra: Json = v31) => placements['request.body'](schema, extra);
  const response = (schema: Json, extra: Json = v31) => placements['response.body'](schema, extra);
  const query = (schema: Json) => placements['request.parameter'](schema, v31);
  const sec = {
    securitySchemes: {
      token: { type: 'http', scheme: 'bearer' },
      key: { type: 'apiKey', in: 'header', name: 'X-Key' },
    },
  };
  const pairs: [string, OpenApiDocument, OpenApiDocument][] = [
    [
      'a request accepting more (wider bound, more enum values, another type)',
      body({ type: 'integer', minimum: 1, maximum: 5 }),
      body({ type: ['integer', 'string'], minimum: 0 }),
    ],
    ['a request enum widened', body({ enum: ['a'] }), body({ enum: ['a', 'b'] })],
    // Callbacks read the other way round: what is compatible for an operation's request breaks here.
    [
      'a callback request body, parameter and answer status that became required, a callback answer header that became optional',
      withCallback({
        parameters: [{ name: 'X-Signature', in: 'header', schema: str }],
        requestBody: jsonBody(str),
        responses: ok({ headers: { 'X-Ack': { required: true, schema: str } } }),
      }),
      withCallback({
        parameters: [{ name: 'X-Signature', in: 'header', required: true, schema: str }],
        requestBody: { required: true, ...jsonBody(str) },
        responses: { ...ok({ headers: { 'X-Ack': { schema: str } } }), '204': { description: 'done' } },
      }),
    ],
    [
      'a response sending less (narrower bound, fewer enum values)',
      response({ type: 'integer', minimum: 0 }),
      response({ type: 'integer', minimum: 1, maximum: 9 }),
    ],
    ['a response enum narrowed', response({ enum: ['a', 'b'] }), response({ enum: ['a'] })],
    ['a new optional request field', body(object({ a: str })), body(object({ a: str, b: int }))],
    [
      'a new response field',
      response(object({ a: str })),
      response(object({ a: str, b: int }, { required: ['b'] })),
    ],
    [
      'documentation only',
      response(object({ a: str })),
      response({
        ...object({ a: { ...str, description: 'the a', examples: ['x'] } }),
        title: 'Thing',
        'x-internal': true,
      }),
    ],
    [
      '$ref versus the same schema inline',
      response(ref('Cat'), { ...v31, components: { schemas: { Cat: cat } } }),
      response(cat),
    ],
    [
      'reordered properties, required names and enum values',
      body(object({ a: str, b: int }, { required: ['a', 'b'] })),
      body(object({ b: int, a: str }, { required: ['b', 'a'] })),
    ],
    ['reordered enum', response({ enum: ['a', 'b'] }), response({ enum: ['b', 'a'] })],
    [
      'a scalar query parameter that also accepts an array',
      query(str),
      query({ anyOf: [str, { type: 'array', items: str }] }),
    ],
    [
      'a request field that becomes nullable through a wrapper',
      body(object({ a: ref('Cat') }), { ...v31, components: { schemas: { Cat: cat } } }),
      body(object({ a: { anyOf: [ref('Cat'), { type: 'null' }] } }), {
        ...v31,
        components: { schemas: { Cat: cat } },
      }),
    ],
    [
      'a response field that stops being nullable',
      response(object({ a: { type: ['string', 'null'] } })),
      response(object({ a: str })),
    ],
    [
      'a request composition that gains a branch',
      body({ oneOf: [str, int] }),
      body({ oneOf: [str, int, { type: 'boolean' }] }),
    ],
    [
      'a response composition that loses a branch',
      response({ anyOf: [str, int] }),
      response({ anyOf: [str] }),
    ],
    [
      'a conditional removed from a request',
      body(conditional({ required: ['a'] }, { required: ['b'] })),
      body(obj),
    ],
    [
      'an alternative security requirement added',
      getThing({ security: [{ token: [] }] }, { components: sec }),
      getThing({ security: [{ token: [] }, { key: [] }] }, { components: sec }),
    ],
    [
      'parameters reordered',
      getThing({
        parameters: [
          { name: 'a', in: 'query', schema: str },
          { name: 'b', in: 'query', schema: str },
        ],
      }),
      getThing({
        parameters: [
          { name: 'b', in: 'query', schema: str },
          { name: 'a', in: 'query', schema: str },
        ],
      }),
    ],
    [
      'a status now covered by default',
      getThing({ responses: ok(jsonBody(str)) }),
      getThing({ responses: { default: { description: 'any', ...jsonBody(str) } } }),
    ],
  ];

  it.each(pairs)('%s', (_name, base, revision) => {
    const findings = diffSpecs(base, revision);
    expect(
      findings.filter((f) => f.level !== 'info'),
      JSON.stringify(findings, null, 2),
    ).toEqual([]);
  });
});

describe('diffSpecs: every bound, in the 3.0 and 3.1 forms', () => {
  /** [keyword, looser schema, stricter schema], OpenAPI 3.1. */
  const bounds: [string, Json, Json][] = [
    ['minimum', { type: 'number', minimum: 1 }, { type: 'number', minimum: 2 }],
    ['maximum', { type: 'number', maximum: 9 }, { type: 'number', maximum: 8 }],
    ['exclusiveMinimum', { type: 'number', minimum: 1 }, { type: 'number', exclusiveMinimum: 1 }],
    ['exclusiveMaximum', { type: 'number', maximum: 9 }, { type: 'number', exclusiveMaximum: 9 }],
    ['multipleOf', { type: 'number', multipleOf: 2 }, { type: 'number', multipleOf: 4 }],
    ['minLength', { type: 'string', minLength: 1 }, { type: 'string', minLength: 3 }],
    ['maxLength', { type: 'string', maxLength: 5 }, { type: 'string', maxLength: 3 }],
    ['pattern', { type: 'string' }, { type: 'string', pattern: '^[0-9]+$' }],
    ['minItems', { type: 'array', items: str }, { type: 'array', items: str, minItems: 2 }],
    ['maxItems', { type: 'array', items: str, maxItems: 3 }, { type: 'array', items: str, maxItems: 1 }],
    ['uniqueItems', { type: 'array', items: str }, { type: 'array', items: str, uniqueItems: true }],
    ['minProperties', obj, { ...obj, minProperties: 1 }],
    ['maxProperties', { ...obj, maxProperties: 3 }, { ...obj, maxProperties: 1 }],
    ['minContains', { type: 'array', contains: int }, { type: 'array', contains: int, minContains: 2 }],
    [
      'maxContains',
      { type: 'array', contains: int, maxContains: 3 },
      { type: 'array', contains: int, maxContains: 1 },
    ],
  ];
  const v31 = { openapi: '3.1.0' };

  it.each(bounds)(
    '%s: tighter in a request, looser in a response, each proven',
    (_keyword, looser, stricter) => {
      const request = {
        base: placements['request.body'](looser, v31),
        revision: placements['request.body'](stricter, v31),
      };
      const response = {
        base: placements['response.body'](stricter, v31),
        revision: placements['response.body'](looser, v31),
      };
      for (const [testCase, rule] of [
        [request, 'request.body.constraint-tightened'],
        [response, 'response.body.constraint-loosened'],
      ] as const) {
        const findings = diffSpecs(testCase.base, testCase.revision);
        expect(findings.map((f) => f.rule)).toEqual([rule]);
        expect(findings[0]!.counterexample).toBeDefined();
        expectProvenCounterexample(testCase, findings[0]!);
        // The other way round is compatible.
        expect(diffSpecs(testCase.revision, testCase.base).filter((f) => f.level !== 'info')).toEqual([]);
      }
    },
  );

  it('reads 3.0 boolean exclusive bounds like 3.1 numeric ones', () => {
    const v30 = (schema: Json) => placements['request.body'](schema, { openapi: '3.0.3' });
    const v31Body = (schema: Json) => placements['request.body'](schema, v31);
    const exclusive30 = v30({ type: 'number', minimum: 1, exclusiveMinimum: true });
    expect(diffSpecs(exclusive30, v31Body({ type: 'number', exclusiveMinimum: 1 }))).toEqual([]);
    expect(diffSpecs(v30({ type: 'number', minimum: 1 }), exclusive30).map((f) => f.rule)).toEqual([
      'request.body.constraint-tightened',
    ]);
    expect(
      diffSpecs(
        placements['response.body'](
          { type: 'number', maximum: 9, exclusiveMaximum: true },
          { openapi: '3.0.3' },
        ),
        placements['response.body']({ type: 'number', maximum: 9 }, { openapi: '3.0.3' }),
      ).map((f) => [f.rule, f.counterexample?.instance]),
    ).toEqual([['response.body.constraint-loosened', 9]]);
  });
});

describe('diffSpecs: oneOf and anyOf with the same branches', () => {
  const v31 = { openapi: '3.1.0' };
  const body = (schema: Json) => placements['request.body'](schema, v31);
  const response = (schema: Json) => placements['response.body'](schema, v31);
  const summary = (findings: DiffFinding[]) =>
    findings.map((f) => ({ rule: f.rule, level: f.level, instance: f.counterexample?.instance }));

  it('reads oneOf → anyOf as one change: compatible for a request, proven to widen a response', () => {
    expect(summary(diffSpecs(body({ oneOf: [hasA, hasB] }), body({ anyOf: [hasA, hasB] })))).toEqual([
      { rule: 'request.body.one-of-became-any-of', level: 'info', instance: undefined },
    ]);
    const widened = { base: response({ oneOf: [hasA, hasB] }), revision: response({ anyOf: [hasA, hasB] }) };
    const findings = diffSpecs(widened.base, widened.revision);
    expect(summary(findings)).toEqual([
      { rule: 'response.body.one-of-became-any-of', level: 'error', instance: { a: '', b: 'a' } },
    ]);
    expectProvenCounterexample(widened, findings[0]!);
  });

  it('does not report a response whose branches no value can match together', () => {
    expect(diffSpecs(response({ oneOf: [str, int] }), response({ anyOf: [str, int] }))).toEqual([]);
  });

  it('reads anyOf → oneOf as narrowing a request (with the value matching two branches), not a response', () => {
    const narrowed = { base: body({ anyOf: [hasA, hasB] }), revision: body({ oneOf: [hasA, hasB] }) };
    const findings = diffSpecs(narrowed.base, narrowed.revision);
    expect(summary(findings)).toEqual([
      { rule: 'request.body.composition-narrowed', level: 'error', instance: { a: '', b: 'a' } },
    ]);
    expectProvenCounterexample(narrowed, findings[0]!);
    expect(diffSpecs(response({ anyOf: [hasA, hasB] }), response({ oneOf: [hasA, hasB] }))).toEqual([]);
  });

  it('still compares the branches pair by pair', () => {
    const findings = diffSpecs(
      body({ oneOf: [hasA, hasB] }),
      body({ anyOf: [hasA, object({ b: int }, { required: ['b'] })] }),
    );
    expect(findings.map((f) => [f.rule, f.target])).toEqual([
      ['request.body.one-of-became-any-of', expect.objectContaining({ path: '' })],
      ['request.body.type-changed', expect.objectContaining({ path: 'b' })],
    ]);
  });
});
