import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { parseJsonOrYaml } from '../util/parse.js';
import type { OpenApiDocument } from './document.js';
import {
  matchMediaType,
  responseBodySchema,
  specValidators,
  validateRequest,
  validateResponse,
} from './validator.js';

const castles = (await parseJsonOrYaml(
  readFileSync(new URL('../../examples/castle-service/openapi.yaml', import.meta.url), 'utf8'),
  'openapi.yaml',
)) as OpenApiDocument;
const ID = '550e8400-e29b-41d4-a716-446655440000';

describe('validateRequest', () => {
  it('accepts a valid request and ignores readOnly fields in the body', () => {
    expect(
      validateRequest(castles, 'createCastle', {
        method: 'POST',
        path: '/castles',
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: { name: 'Chambord', region: 'Centre', yearBuilt: 1519 },
      }),
    ).toEqual([]);
  });

  it('lists every violation with where it is', () => {
    expect(
      validateRequest(castles, 'createCastle', {
        method: 'POST',
        path: '/castles',
        headers: { 'content-type': 'application/json' },
        body: { name: '', yearBuilt: 'old', moat: true },
      }),
    ).toEqual([
      { in: 'body', pointer: '/region', message: 'is required' },
      { in: 'body', pointer: '/moat', message: 'is not an allowed field' },
      { in: 'body', pointer: '/name', message: 'must NOT have fewer than 1 characters' },
      { in: 'body', pointer: '/yearBuilt', message: 'must be integer' },
    ]);
  });

  it('checks the content type and a required body', () => {
    const request = { method: 'POST', path: '/castles' };
    expect(validateRequest(castles, 'createCastle', request)).toEqual([
      { in: 'body', pointer: '', message: 'a request body is required' },
    ]);
    expect(
      validateRequest(castles, 'createCastle', {
        ...request,
        headers: { 'content-type': 'text/plain' },
        body: 'x',
      }),
    ).toEqual([
      { in: 'content-type', pointer: '', message: '"text/plain" is not declared; expected application/json' },
    ]);
  });

  it('validates path parameters read from the path by the template', () => {
    expect(validateRequest(castles, 'getCastle', { method: 'GET', path: `/castles/${ID}` })).toEqual([]);
    expect(validateRequest(castles, 'getCastle', { method: 'GET', path: '/castles/12' })).toEqual([
      { in: 'path', name: 'id', pointer: '', message: 'must match format "uuid"' },
    ]);
  });

  it('coerces query, header and cookie parameters by style and type', () => {
    const document: OpenApiDocument = {
      openapi: '3.0.3',
      paths: {
        '/items': {
          get: {
            operationId: 'listItems',
            parameters: [
              { name: 'limit', in: 'query', required: true, schema: { type: 'integer', maximum: 10 } },
              { name: 'tags', in: 'query', schema: { type: 'array', items: { type: 'integer' } } },
              {
                name: 'ids',
                in: 'query',
                explode: false,
                schema: { type: 'array', items: { type: 'integer' } },
              },
              {
                name: 'filter',
                in: 'query',
                style: 'deepObject',
                schema: { type: 'object', properties: { on: { type: 'boolean' } } },
              },
              { name: 'X-Trace', in: 'header', required: true, schema: { type: 'integer' } },
              { name: 'session', in: 'cookie', required: true, schema: { type: 'string', minLength: 3 } },
            ],
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    };
    const ok = validateRequest(document, 'listItems', {
      method: 'GET',
      path: '/items',
      query: new URLSearchParams('limit=3&tags=1&tags=2&ids=4,5&filter[on]=true'),
      headers: { 'x-trace': '7', cookie: 'a=b; session=abcd' },
    });
    expect(ok).toEqual([]);
    const bad = validateRequest(document, 'listItems', {
      method: 'GET',
      path: '/items',
      query: { limit: '11', tags: ['1', 'x'], ids: '4,y', 'filter[on]': 'maybe' },
      headers: { 'X-Trace': 'abc', cookie: 'session=ab' },
    });
    expect(bad).toEqual([
      { in: 'query', name: 'limit', pointer: '', message: 'must be <= 10' },
      { in: 'query', name: 'tags', pointer: '/1', message: 'must be integer' },
      { in: 'query', name: 'ids', pointer: '/1', message: 'must be integer' },
      { in: 'query', name: 'filter', pointer: '/on', message: 'must be boolean' },
      { in: 'header', name: 'X-Trace', pointer: '', message: 'must be integer' },
      { in: 'cookie', name: 'session', pointer: '', message: 'must NOT have fewer than 3 characters' },
    ]);
    expect(
      validateRequest(document, 'listItems', { method: 'GET', path: '/items' }).map((v) => v.name),
    ).toEqual(['limit', 'X-Trace', 'session']);
  });
});

describe('validateResponse', () => {
  const castle = { id: ID, name: 'Versailles', region: 'IDF', yearBuilt: 1623 };
  const json = { 'content-type': 'application/json' };

  it('accepts a fitting response and reports status, content type and body problems', () => {
    expect(validateResponse(castles, 'getCastle', { status: 200, headers: json, body: castle })).toEqual([]);
    expect(validateResponse(castles, 'getCastle', { status: 500, headers: json, body: {} })).toEqual([
      { in: 'status', pointer: '', message: '500 is not a declared response; declared: 200, 404' },
    ]);
    expect(
      validateResponse(castles, 'getCastle', {
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: 'x',
      }),
    ).toMatchObject([{ in: 'content-type' }]);
    expect(
      validateResponse(castles, 'getCastle', {
        status: 200,
        headers: json,
        body: { ...castle, yearBuilt: '1623' },
      }),
    ).toEqual([{ in: 'body', pointer: '/yearBuilt', message: 'must be integer' }]);
    expect(
      validateResponse(castles, 'deleteCastle', { status: 204, headers: json, body: { a: 1 } }),
    ).toMatchObject([{ in: 'body', message: 'the spec declares no body for response 204' }]);
  });

  it('accepts partial bodies in partial mode but still checks the fields present', () => {
    const partial = { status: 200, headers: json, body: { name: 'Versailles' } };
    expect(validateResponse(castles, 'getCastle', partial).map((v) => v.pointer)).toEqual([
      '/id',
      '/region',
      '/yearBuilt',
    ]);
    expect(validateResponse(castles, 'getCastle', partial, { partial: true })).toEqual([]);
    expect(
      validateResponse(castles, 'getCastle', { ...partial, body: { name: 1 } }, { partial: true }),
    ).toEqual([{ in: 'body', pointer: '/name', message: 'must be string' }]);
  });

  it('covers statuses through NXX ranges and default, and checks declared headers', () => {
    const document: OpenApiDocument = {
      openapi: '3.1.0',
      paths: {
        '/x': {
          get: {
            responses: {
              '2XX': {
                description: 'ok',
                headers: { 'X-Rate': { required: true, schema: { type: 'integer' } } },
                content: { 'application/json': { schema: { type: 'integer' } } },
              },
              default: {
                description: 'error',
                content: { 'application/problem+json': { schema: { type: 'object' } } },
              },
            },
          },
        },
      },
    };
    expect(
      validateResponse(document, 'GET /x', { status: 201, headers: { ...json, 'x-rate': '5' }, body: 3 }),
    ).toEqual([]);
    expect(validateResponse(document, 'GET /x', { status: 202, headers: json, body: 3 })).toEqual([
      { in: 'header', name: 'X-Rate', pointer: '', message: 'is required' },
    ]);
    expect(
      validateResponse(document, 'GET /x', {
        status: 503,
        headers: { 'content-type': 'application/problem+json' },
        body: [],
      }),
    ).toEqual([{ in: 'body', pointer: '', message: 'must be object' }]);
  });

  it('compiles lazily and caches per operation part', () => {
    const document = structuredClone(castles);
    const validators = specValidators(document);
    expect(validators.compiledCount).toBe(0);
    validateResponse(document, 'getCastle', { status: 200, headers: json, body: castle });
    validateResponse(document, 'getCastle', { status: 200, headers: json, body: castle });
    expect(validators.compiledCount).toBe(1);
  });

  it('keeps documents apart although they share one Ajv: same $ids, different schemas', () => {
    const spec = (type: string): OpenApiDocument =>
      ({
        openapi: '3.1.0',
        info: { title: type, version: '1' },
        paths: {
          '/tree': {
            get: {
              operationId: 'getTree',
              responses: {
                '200': {
                  description: 'a tree',
                  content: {
                    'application/json': {
                      schema: {
                        $id: 'https://example.com/tree',
                        type: 'object',
                        properties: {
                          label: { $ref: '#/components/schemas/Label' },
                          children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        components: {
          schemas: {
            Node: { type: 'object', properties: { label: { $ref: '#/components/schemas/Label' } } },
            Label: { $id: 'https://example.com/label', type },
          },
        },
      }) as OpenApiDocument;
    const strings = spec('string');
    const numbers = spec('number');
    const tree = (label: unknown) => ({ label, children: [{ label }] });
    const check = (document: OpenApiDocument, body: unknown) =>
      validateResponse(document, 'getTree', { status: 200, headers: json, body }).map(
        (v) => `${v.pointer} ${v.message}`,
      );
    expect(check(strings, tree('oak'))).toEqual([]);
    expect(check(numbers, tree(1))).toEqual([]);
    expect(check(numbers, tree('oak'))).toEqual([
      '/label must be number',
      '/children/0/label must be number',
    ]);
    expect(check(strings, tree(1))).toEqual(['/label must be string', '/children/0/label must be string']);
    expect(check(spec('boolean'), tree(true))).toEqual([]);
  });

  it('exposes the converted response schema', () => {
    const schema = responseBodySchema(castles, 'getCastle', 200);
    expect(schema).toMatchObject({ $ref: '#/$defs/components_schemas_Castle' });
    expect(responseBodySchema(castles, 'deleteCastle', 204)).toBeUndefined();
  });
});

describe('operation references', () => {
  it('refuse an operation the spec does not have with an InputError', () => {
    expect(() => validateResponse(castles, 'getDragon', { status: 200 })).toThrow(InputError);
  });
});

describe('matchMediaType', () => {
  it('prefers exact over wildcard and ignores parameters', () => {
    expect(
      matchMediaType(['*/*', 'application/*', 'application/json'], 'application/json; charset=utf-8'),
    ).toBe('application/json');
    expect(matchMediaType(['*/*', 'application/*'], 'application/xml')).toBe('application/*');
    expect(matchMediaType(['text/plain'], 'application/json')).toBeUndefined();
  });
});
