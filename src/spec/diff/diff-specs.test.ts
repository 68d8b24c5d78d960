import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../document.js';
import { diffSpecs } from './diff-specs.js';
import type { DiffFinding } from './findings.js';
import {
  diffRules,
  REQUEST_SCHEMA_ASPECTS,
  RESPONSE_SCHEMA_ASPECTS,
  type RequestSchemaAspect,
  type RequestSchemaContext,
  type ResponseSchemaAspect,
  type ResponseSchemaContext,
  RULE_IDS,
  type RuleId,
  type SchemaContext,
} from './rules.js';

type Json = Record<string, unknown>;

interface Case {
  base: OpenApiDocument;
  revision: OpenApiDocument;
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
const jsonBody = (schema: Json) => ({ content: { 'application/json': { schema } } });

/** Where a schema goes for each schema context, and the target its findings carry. */
const placements: Record<SchemaContext, (schema: Json) => OpenApiDocument> = {
  'request.parameter': (schema) => getThing({ parameters: [{ name: 'q', in: 'query', schema }] }),
  'request.body': (schema) => getThing({ requestBody: jsonBody(schema) }),
  'response.body': (schema) => getThing({ responses: ok(jsonBody(schema)) }),
  'response.header': (schema) => getThing({ responses: ok({ headers: { 'X-Rate': { schema } } }) }),
};

const object = (properties: Json, more: Json = {}) => ({ type: 'object', properties, ...more });
const str = { type: 'string' };

const requestSchemaCases: Record<RequestSchemaAspect, [Json, Json, string]> = {
  'type-changed': [str, { type: 'integer' }, ''],
  'format-changed': [str, { type: 'string', format: 'uuid' }, ''],
  'enum-narrowed': [{ type: 'string', enum: ['a', 'b'] }, { type: 'string', enum: ['a'] }, ''],
  'enum-widened': [{ type: 'string', enum: ['a'] }, { type: 'string', enum: ['a', 'b'] }, ''],
  'became-non-nullable': [{ type: 'string', nullable: true }, str, ''],
  'constraint-tightened': [{ type: 'string', maxLength: 10 }, { type: 'string', maxLength: 5 }, ''],
  'required-property-added': [object({ a: str }), object({ a: str, b: str }, { required: ['b'] }), 'b'],
  'property-became-required': [object({ a: str }), object({ a: str }, { required: ['a'] }), 'a'],
  'property-removed': [
    object({ a: str, b: str }, { additionalProperties: false }),
    object({ a: str }, { additionalProperties: false }),
    'b',
  ],
  'property-added': [object({ a: str }), object({ a: str, b: str }), 'b'],
};

const responseSchemaCases: Record<ResponseSchemaAspect, [Json, Json, string]> = {
  'type-changed': [str, { type: 'integer' }, ''],
  'format-changed': [{ type: 'string', format: 'date-time' }, str, ''],
  'enum-widened': [{ type: 'string', enum: ['a'] }, { type: 'string', enum: ['a', 'b'] }, ''],
  'became-nullable': [str, { type: 'string', nullable: true }, ''],
  'constraint-loosened': [{ type: 'string', maxLength: 5 }, { type: 'string', maxLength: 10 }, ''],
  'property-removed': [object({ a: str, b: str }, { required: ['b'] }), object({ a: str }), 'b'],
  'optional-property-removed': [object({ a: str, b: str }), object({ a: str }), 'b'],
  'property-became-optional': [object({ a: str }, { required: ['a'] }), object({ a: str }), 'a'],
  'property-added': [object({ a: str }), object({ a: str, b: str }), 'b'],
};

function schemaCases(): Partial<Record<RuleId, Case>> {
  const cases: Partial<Record<RuleId, Case>> = {};
  const add = (context: SchemaContext, aspect: string, [before, after, path]: [Json, Json, string]) => {
    cases[`${context}.${aspect}` as RuleId] = {
      base: placements[context](before),
      revision: placements[context](after),
      expected: { target: expect.objectContaining({ path }) },
    };
  };
  for (const context of ['request.parameter', 'request.body'] as RequestSchemaContext[]) {
    for (const aspect of REQUEST_SCHEMA_ASPECTS) add(context, aspect, requestSchemaCases[aspect]);
  }
  for (const context of ['response.body', 'response.header'] as ResponseSchemaContext[]) {
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

const structuralCases: Partial<Record<RuleId, Case>> = {
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
  },
  'request.parameter.location-changed': {
    base: getThing({ parameters: [{ name: 'q', in: 'query', schema: str }] }),
    revision: getThing({ parameters: [{ name: 'q', in: 'header', schema: str }] }),
    expected: { before: 'query', after: 'header' },
  },
  'request.parameter.style-changed': {
    base: getThing({ parameters: [{ name: 'q', in: 'query', schema: { type: 'array', items: str } }] }),
    revision: getThing({
      parameters: [{ name: 'q', in: 'query', explode: false, schema: { type: 'array', items: str } }],
    }),
  },
  'request.body.required-added': {
    base: getThing(),
    revision: getThing({ requestBody: { required: true, ...jsonBody(str) } }),
  },
  'request.body.became-required': {
    base: getThing({ requestBody: jsonBody(str) }),
    revision: getThing({ requestBody: { required: true, ...jsonBody(str) } }),
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
