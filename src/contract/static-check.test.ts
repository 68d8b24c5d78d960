import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { ContractRecord, Interaction } from '../model/records.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { parseYaml } from '../util/parse.js';
import { checkContractStatically, isStaticallyCompatible, staticFindingCodes } from './static-check.js';

const id = (n: number) => String(n).padStart(64, '0');

function contractSpec(stock: Record<string, unknown>): OpenApiDocument {
  return {
    openapi: '3.0.3',
    paths: {
      '/contractor': {
        get: {
          operationId: 'getContractor',
          responses: {
            '200': {
              description: 'the contractor',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['available', 'stock', 'name'],
                    properties: { available: { type: 'boolean' }, stock, name: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

function contractOf(consumer: string, body: unknown, reliesOn?: string[]): ContractRecord {
  const response: Interaction['response'] = {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body,
  };
  if (reliesOn) response.reliesOn = reliesOn;
  return {
    consumer,
    provider: 'contractors',
    interactions: [
      { id: id(1), operation: 'getContractor', request: { method: 'GET', path: '/contractor' }, response },
    ],
  };
}

describe('the reference scenario', () => {
  const received = { available: true, stock: '12', name: 'Bob' };
  const current = contractSpec({ type: 'string' });
  const revision = contractSpec({ type: 'integer' });
  const oddJobs = contractOf('odd-jobs', received, ['available']);
  const materials = contractOf('materials', received, ['stock']);

  it('both consumers are compatible with the current spec', () => {
    expect(checkContractStatically(oddJobs, current)).toEqual([]);
    expect(checkContractStatically(materials, current)).toEqual([]);
  });

  it('the revision breaks Materials at stock, and leaves Odd Jobs alone', () => {
    const findings = checkContractStatically(materials, revision);
    expect(findings).toEqual([
      {
        code: 'response.body.incompatible',
        level: 'error',
        interactionId: id(1),
        operation: 'getContractor',
        path: 'stock',
        expected: 'integer',
        actual: 'string',
        message: '$.stock: received string ("12"), the spec says integer',
      },
    ]);
    expect(isStaticallyCompatible(findings)).toBe(false);
    expect(checkContractStatically(oddJobs, revision)).toEqual([]);
  });

  it('a Materials contract that received stock as an integer passes the revision', () => {
    const updated = contractOf('materials', { ...received, stock: 12 }, ['stock']);
    expect(checkContractStatically(updated, revision)).toEqual([]);
  });

  it('a consumer relying on everything it received is broken too', () => {
    expect(checkContractStatically(contractOf('all', received), revision)).toMatchObject([
      { code: 'response.body.incompatible', path: 'stock' },
    ]);
  });
});

describe('checkContractStatically on the castle spec', async () => {
  const text = await readFile(new URL('../../examples/castle-service/openapi.yaml', import.meta.url), 'utf8');
  const castles = (await parseYaml(text, 'openapi.yaml')) as OpenApiDocument;
  const castle = {
    id: '550e8400-e29b-41d4-a716-446655440000',
    name: 'Versailles',
    region: 'IdF',
    yearBuilt: 1623,
  };
  const interaction = (
    method: string,
    path: string,
    response: Partial<Interaction['response']> = {},
  ): Interaction => ({
    id: id(2),
    operation: 'recorded-op',
    request: { method, path },
    response: { status: 200, headers: { 'content-type': 'application/json' }, body: castle, ...response },
  });
  const check = (...interactions: Interaction[]) =>
    checkContractStatically({ consumer: 'c', provider: 'castle-service', interactions }, castles);

  it('accepts what the spec allows', () => {
    expect(check(interaction('GET', `/castles/${castle.id}`))).toEqual([]);
    expect(
      check(interaction('GET', '/castles', { body: [castle, { ...castle, description: null }] })),
    ).toEqual([]);
    expect(
      check(interaction('DELETE', `/castles/${castle.id}`, { status: 204, headers: {}, body: undefined })),
    ).toEqual([]);
    expect(
      check(interaction('GET', '/castles/x', { status: 404, body: { error: 'not-found', message: 'no' } })),
    ).toEqual([]);
  });

  it('reports unknown paths and methods, naming the recorded operation', () => {
    expect(check(interaction('GET', '/dragons'))).toMatchObject([
      { code: 'request.path-or-method.unknown', operation: 'recorded-op', actual: 'GET /dragons' },
    ]);
    expect(check(interaction('PATCH', '/castles/1'))).toMatchObject([
      { code: 'request.path-or-method.unknown', expected: ['GET', 'DELETE'], actual: 'PATCH' },
    ]);
  });

  it('reports an undeclared status and content type', () => {
    expect(check(interaction('GET', '/castles/1', { status: 500 }))).toMatchObject([
      { code: 'response.status.undeclared', operation: 'getCastle', actual: 500, expected: ['200', '404'] },
    ]);
    expect(
      check(interaction('GET', '/castles/1', { headers: { 'content-type': 'text/csv' }, body: 'a,b' })),
    ).toMatchObject([
      { code: 'response.content-type.undeclared', expected: ['application/json'], actual: 'text/csv' },
    ]);
    expect(
      check(interaction('GET', '/castles/1', { headers: { 'Content-Type': 'application/vnd.castle+json' } })),
    ).toEqual([]);
    expect(check(interaction('DELETE', '/castles/1', { status: 204 }))).toMatchObject([
      {
        code: 'response.content-type.undeclared',
        message: 'status 204: the spec declares no body; the consumer relies on one',
      },
    ]);
  });

  it('reports missing fields, formats, nullability and integers, once per body path', () => {
    const findings = check(
      interaction('GET', '/castles', {
        body: [
          { ...castle, towers: 4, yearBuilt: 1623.5 },
          { ...castle, id: 'not-a-uuid', name: null, towers: 2 },
          { ...castle, towers: 3 },
        ],
      }),
    );
    expect(findings.map(({ code, path, expected, actual }) => ({ code, path, expected, actual }))).toEqual([
      { code: 'response.body.incompatible', path: '[].yearBuilt', expected: 'integer', actual: 'number' },
      { code: 'response.body.missing', path: '[].towers', expected: undefined, actual: undefined },
      { code: 'response.body.format', path: '[].id', expected: 'uuid', actual: 'not-a-uuid' },
      { code: 'response.body.nullable', path: '[].name', expected: 'string', actual: 'null' },
    ]);
    expect(findings[1]?.message).toBe('$[0].towers: the spec does not declare it');
  });

  it('checks only what the consumer relies on, pins included', () => {
    const body = { ...castle, id: 'nope', towers: 4 };
    expect(check(interaction('GET', '/castles/1', { body, reliesOn: ['name'] }))).toEqual([]);
    expect(check(interaction('GET', '/castles/1', { body, reliesOn: ['name'], pins: ['id'] }))).toMatchObject(
      [{ code: 'response.body.format', path: 'id' }],
    );
    expect(check(interaction('GET', '/castles/1', { body, reliesOn: [] }))).toEqual([]);
  });

  it('emits request.invalid from the request validator it is given', () => {
    const findings = checkContractStatically(
      { consumer: 'c', provider: 'castle-service', interactions: [interaction('GET', '/castles/1')] },
      castles,
      {
        validateRequest: (operation, request) =>
          operation.operationId === 'getCastle'
            ? [{ where: 'path.id', message: `${request.path} is not a uuid` }]
            : [],
      },
    );
    expect(findings).toEqual([
      {
        code: 'request.invalid',
        level: 'error',
        interactionId: id(2),
        operation: 'getCastle',
        path: 'path.id',
        message: 'request: path.id: /castles/1 is not a uuid',
      },
    ]);
  });
});

describe('response schemas', () => {
  const specWith = (schema: unknown, extra: Record<string, unknown> = {}): OpenApiDocument => ({
    openapi: '3.1.0',
    paths: {
      '/x': {
        get: { responses: { '2XX': { description: 'ok', content: { 'application/json': { schema } } } } },
      },
    },
    ...extra,
  });
  const findings = (schema: unknown, body: unknown, extra?: Record<string, unknown>) =>
    checkContractStatically(
      {
        consumer: 'c',
        provider: 'p',
        interactions: [
          {
            id: id(3),
            operation: 'x',
            request: { method: 'GET', path: '/x' },
            response: { status: 201, body },
          },
        ],
      },
      specWith(schema, extra),
    ).map(({ code, path, level }) => ({ code, path, level }));

  it('follows $ref, allOf, oneOf and anyOf: present when some branch has the field', () => {
    const components = {
      components: {
        schemas: {
          Base: { type: 'object', properties: { id: { type: 'integer' } } },
          Cat: {
            allOf: [{ $ref: '#/components/schemas/Base' }, { properties: { meow: { type: 'boolean' } } }],
          },
          Dog: {
            allOf: [{ $ref: '#/components/schemas/Base' }, { properties: { bark: { type: 'string' } } }],
          },
          Pet: { oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }] },
        },
      },
    };
    const pet = { $ref: '#/components/schemas/Pet' };
    expect(findings(pet, { id: 1, bark: 'woof' }, components)).toEqual([]);
    expect(findings(pet, { id: 1, meow: true }, components)).toEqual([]);
    expect(findings(pet, { id: 1, purr: true }, components)).toEqual([
      { code: 'response.body.missing', path: 'purr', level: 'error' },
    ]);
    expect(findings(pet, { id: 'one', meow: true }, components)).toEqual([
      { code: 'response.body.incompatible', path: 'id', level: 'error' },
    ]);
    expect(findings({ anyOf: [{ type: 'string' }, { type: 'integer' }] }, 5)).toEqual([]);
    expect(findings({ anyOf: [{ type: 'string' }, { type: 'integer' }] }, true)).toMatchObject([
      { code: 'response.body.incompatible', path: '' },
    ]);
  });

  it('applies keywords beside a $ref, and stops at ref cycles', () => {
    const components = {
      components: {
        schemas: { Name: { type: 'string' }, Loop: { $ref: '#/components/schemas/Loop' } },
      },
    };
    expect(findings({ $ref: '#/components/schemas/Name', nullable: true }, null, components)).toEqual([]);
    expect(findings({ $ref: '#/components/schemas/Name', enum: ['a'] }, 'b', components)).toMatchObject([
      { code: 'response.body.enum' },
    ]);
    expect(findings({ $ref: '#/components/schemas/Loop' }, 'anything', components)).toEqual([]);
    expect(findings({ $ref: '#/components/schemas/Nowhere' }, 1, components)).toEqual([]);
  });

  it('accepts an integer for number, not a fraction for integer', () => {
    expect(findings({ type: 'number' }, 3)).toEqual([]);
    expect(findings({ type: 'integer' }, 3.5)).toMatchObject([{ code: 'response.body.incompatible' }]);
  });

  it('knows 3.0 nullable (also beside allOf) and 3.1 type arrays', () => {
    expect(findings({ type: ['string', 'null'] }, null)).toEqual([]);
    expect(findings({ type: 'string', nullable: true }, null)).toEqual([]);
    expect(findings({ nullable: true, allOf: [{ type: 'object' }] }, null)).toEqual([]);
    expect(findings({ oneOf: [{ type: 'string' }, { type: 'null' }] }, null)).toEqual([]);
    expect(findings({ type: 'string' }, null)).toEqual([
      { code: 'response.body.nullable', path: '', level: 'error' },
    ]);
  });

  it('checks enums, const and formats of received values', () => {
    expect(findings({ enum: ['open', 'closed'] }, 'open')).toEqual([]);
    expect(findings({ enum: ['open', 'closed'] }, 'pending')).toMatchObject([{ code: 'response.body.enum' }]);
    expect(findings({ const: 1 }, 2)).toMatchObject([{ code: 'response.body.enum' }]);
    expect(findings({ type: 'string', format: 'date-time' }, '2024-05-01T10:00:00Z')).toEqual([]);
    expect(findings({ type: 'string', format: 'date-time' }, 'yesterday')).toMatchObject([
      { code: 'response.body.format' },
    ]);
    expect(findings({ type: 'integer', format: 'int32' }, 2 ** 40)).toMatchObject([
      { code: 'response.body.format' },
    ]);
    expect(findings({ type: 'string', format: 'made-up' }, 'anything')).toEqual([]);
  });

  it('decides undeclared fields by additionalProperties', () => {
    const declared = { type: 'object', properties: { a: { type: 'string' } } };
    expect(findings(declared, { b: 1 })).toEqual([
      { code: 'response.body.missing', path: 'b', level: 'error' },
    ]);
    expect(findings({ ...declared, additionalProperties: false }, { b: 1 })).toMatchObject([
      { code: 'response.body.missing', path: 'b' },
    ]);
    expect(findings({ ...declared, additionalProperties: true }, { b: 1 })).toEqual([
      { code: 'response.body.undeclared', path: 'b', level: 'warning' },
    ]);
    expect(findings({ type: 'object' }, { b: 1 })).toEqual([
      { code: 'response.body.undeclared', path: 'b', level: 'warning' },
    ]);
    const map = { type: 'object', additionalProperties: { type: 'integer' } };
    expect(findings(map, { b: 1 })).toEqual([
      { code: 'response.body.undeclared', path: 'b', level: 'warning' },
    ]);
    expect(findings(map, { b: 'x' })).toEqual([
      { code: 'response.body.incompatible', path: 'b', level: 'error' },
      { code: 'response.body.undeclared', path: 'b', level: 'warning' },
    ]);
    expect(
      findings({ type: 'object', patternProperties: { '^x-': { type: 'string' } } }, { 'x-a': 'v' }),
    ).toEqual([]);
    expect(
      findings({ type: 'object', properties: { p: { type: 'string', writeOnly: true } } }, { p: 'secret' }),
    ).toMatchObject([{ code: 'response.body.missing', path: 'p' }]);
  });

  it('walks arrays and tuples, and survives recursive schemas', () => {
    expect(findings({ type: 'array', items: { type: 'string' } }, ['a', 1])).toMatchObject([
      { code: 'response.body.incompatible', path: '[]' },
    ]);
    expect(
      findings({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] }, ['a', 1]),
    ).toEqual([]);
    const tree = {
      components: {
        schemas: {
          Node: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
            },
          },
        },
      },
    };
    const body = { name: 'a', children: [{ name: 'b', children: [{ name: 3 }] }] };
    expect(findings({ $ref: '#/components/schemas/Node' }, body, tree)).toEqual([
      { code: 'response.body.incompatible', path: 'children[].children[].name', level: 'error' },
    ]);
  });
});

describe('the finding codes', () => {
  it('are each documented in docs/compatibility.md', async () => {
    const doc = await readFile(new URL('../../docs/compatibility.md', import.meta.url), 'utf8');
    for (const [code, { level }] of Object.entries(staticFindingCodes)) {
      expect(doc).toMatch(new RegExp(`\\| \`${code.replace(/\./g, '\\.')}\` +\\| ${level} `));
    }
  });
});
