import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from './document.js';
import { toJsonSchema } from './schema.js';

function doc30(schemas: Record<string, unknown>): OpenApiDocument {
  return { openapi: '3.0.3', paths: {}, components: { schemas } };
}

function validator(
  document: OpenApiDocument,
  schema: unknown,
  direction: 'request' | 'response' = 'response',
) {
  const ajv = document.openapi.startsWith('3.1')
    ? new Ajv2020({ strict: false, allErrors: true })
    : new Ajv({ strict: false, allErrors: true });
  return ajv.compile(toJsonSchema(document, schema, { direction }));
}

describe('toJsonSchema (OpenAPI 3.0)', () => {
  it('turns nullable into a null type, also beside enum', () => {
    const document = doc30({});
    const validate = validator(document, { type: 'string', enum: ['a'], nullable: true });
    expect(validate(null)).toBe(true);
    expect(validate('a')).toBe(true);
    expect(validate('b')).toBe(false);
  });

  it('keeps nullable beside a $ref-only or allOf-only schema', () => {
    const document = doc30({ Name: { type: 'string' } });
    expect(validator(document, { $ref: '#/components/schemas/Name', nullable: true })(null)).toBe(true);
    const allOf = validator(document, { allOf: [{ $ref: '#/components/schemas/Name' }], nullable: true });
    expect(allOf(null)).toBe(true);
    expect(allOf('x')).toBe(true);
    expect(allOf(3)).toBe(false);
  });

  it('rewrites boolean exclusiveMinimum/Maximum', () => {
    const validate = validator(doc30({}), {
      type: 'integer',
      minimum: 1,
      exclusiveMinimum: true,
      maximum: 5,
      exclusiveMaximum: false,
    });
    expect(validate(1)).toBe(false);
    expect(validate(2)).toBe(true);
    expect(validate(5)).toBe(true);
  });

  it('applies readOnly and writeOnly by direction', () => {
    const document = doc30({
      Id: { type: 'string', readOnly: true },
      User: {
        type: 'object',
        required: ['id', 'name', 'password'],
        additionalProperties: false,
        properties: {
          id: { $ref: '#/components/schemas/Id' },
          name: { type: 'string' },
          password: { type: 'string', writeOnly: true },
        },
      },
    });
    const ref = { $ref: '#/components/schemas/User' };
    const request = validator(document, ref, 'request');
    expect(request({ name: 'a', password: 'p' })).toBe(true);
    expect(request({ id: 5, name: 'a', password: 'p' })).toBe(true);
    expect(request({ id: 'x', name: 'a' })).toBe(false);
    const response = validator(document, ref, 'response');
    expect(response({ id: 'x', name: 'a' })).toBe(true);
    expect(response({ name: 'a' })).toBe(false);
  });

  it('dispatches on a discriminator with a mapping and implicit names', () => {
    const document = doc30({
      Pet: {
        oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
        discriminator: { propertyName: 'kind', mapping: { kitty: '#/components/schemas/Cat' } },
      },
      // Overlapping subschemas: plain oneOf would reject a valid cat that also fits Dog.
      Cat: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string' }, meow: { type: 'boolean' } },
      },
      Dog: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string' }, bark: { type: 'boolean' } },
      },
    });
    const validate = validator(document, { $ref: '#/components/schemas/Pet' });
    expect(validate({ kind: 'kitty', meow: true })).toBe(true);
    expect(validate({ kind: 'Dog', bark: true })).toBe(true);
    expect(validate({ kind: 'Dog', bark: 'loud' })).toBe(false);
    expect(validate({ kind: 'Cat' })).toBe(false);
  });

  it('dispatches to branches that extend the discriminator base without recursing forever', () => {
    const document = doc30({
      Pet: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string' } },
        oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
        discriminator: { propertyName: 'kind' },
      },
      Cat: { allOf: [{ $ref: '#/components/schemas/Pet' }, { properties: { meow: { type: 'boolean' } } }] },
      Dog: { allOf: [{ $ref: '#/components/schemas/Pet' }, { properties: { bark: { type: 'boolean' } } }] },
    });
    const validate = validator(document, { $ref: '#/components/schemas/Pet' });
    expect(validate({ kind: 'Cat', meow: true })).toBe(true);
    expect(validate({ kind: 'Cat', meow: 'x' })).toBe(false);
    expect(validate({ kind: 'Dog', bark: false })).toBe(true);
    expect(validate({ kind: 'Cow' })).toBe(false);
    expect(validator(document, { $ref: '#/components/schemas/Cat' })({ kind: 'Cat', meow: 1 })).toBe(false);
  });

  it('drops OpenAPI-only keywords and handles circular refs', () => {
    const document = doc30({
      Node: {
        type: 'object',
        example: { x: 1 },
        xml: { name: 'node' },
        'x-internal': true,
        properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } },
      },
    });
    const schema = toJsonSchema(document, { $ref: '#/components/schemas/Node' }, { direction: 'response' });
    expect(JSON.stringify(schema)).not.toMatch(/example|xml|x-internal/);
    const validate = validator(document, { $ref: '#/components/schemas/Node' });
    expect(validate({ children: [{ children: [] }] })).toBe(true);
    expect(validate({ children: [{ children: 3 }] })).toBe(false);
  });

  it('drops required in partial mode', () => {
    const document = doc30({ A: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } } });
    const schema = toJsonSchema(
      document,
      { $ref: '#/components/schemas/A' },
      { direction: 'response', partial: true },
    );
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate({})).toBe(true);
    expect(validate({ a: 1 })).toBe(false);
  });
});

describe('toJsonSchema (OpenAPI 3.1)', () => {
  it('keeps 2020-12 keywords and $ref siblings, and applies direction', () => {
    const document: OpenApiDocument = {
      openapi: '3.1.0',
      components: {
        schemas: {
          Castle: {
            type: 'object',
            required: ['id', 'name'],
            properties: { id: { type: 'string', readOnly: true }, name: { type: ['string', 'null'] } },
          },
        },
      },
    };
    const request = validator(
      document,
      { $ref: '#/components/schemas/Castle', required: ['name'] },
      'request',
    );
    expect(request({ name: null })).toBe(true);
    expect(request({})).toBe(false);
    const tuple = validator(document, { type: 'array', prefixItems: [{ type: 'integer' }], items: false });
    expect(tuple([1])).toBe(true);
    expect(tuple([1, 2])).toBe(false);
  });
});
