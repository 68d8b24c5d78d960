import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from './document.js';
import { generateSample } from './sample.js';
import { validateResponse } from './validator.js';

const document: OpenApiDocument = {
  openapi: '3.0.3',
  paths: {},
  components: {
    schemas: {
      Tree: {
        type: 'object',
        required: ['name', 'children'],
        properties: {
          name: { type: 'string' },
          children: { type: 'array', items: { $ref: '#/components/schemas/Tree' } },
        },
      },
      EndlessTree: {
        type: 'object',
        required: ['children'],
        properties: {
          children: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/EndlessTree' } },
        },
      },
      Odd: {
        type: 'object',
        required: ['blob', 'code', 'size', 'tags', 'choice', 'state', 'secret'],
        properties: {
          blob: { type: 'string', format: 'byte' },
          code: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{2}$' },
          size: { type: 'integer', minimum: 5, exclusiveMinimum: true, multipleOf: 3 },
          tags: { type: 'array', minItems: 2, items: { type: 'string', minLength: 4 } },
          choice: {
            anyOf: [
              { type: 'object', required: ['a'], properties: { a: { type: 'integer', minimum: 1 } } },
              { type: 'string', maxLength: 2 },
            ],
          },
          state: { type: 'string', enum: ['on', 'off'] },
          secret: { type: 'string', writeOnly: true },
          id: { type: 'string', readOnly: true },
        },
      },
    },
  },
};

describe('generateSample', () => {
  it('is deterministic and fits the schema', () => {
    const schema = { $ref: '#/components/schemas/Odd' };
    const first = generateSample(document, schema, { direction: 'request' });
    const second = generateSample(document, schema, { direction: 'request' });
    expect(first.unrepaired).toEqual([]);
    expect(JSON.stringify(first.value)).toBe(JSON.stringify(second.value));
    const value = first.value as Record<string, unknown>;
    expect(value.code).toMatch(/^[A-Z]{3}-[0-9]{2}$/);
    expect((value.size as number) > 5 && (value.size as number) % 3 === 0).toBe(true);
    expect(value).not.toHaveProperty('id');
  });

  it('repairs required fields cut at circular refs', () => {
    const result = generateSample(document, { $ref: '#/components/schemas/Tree' }, { direction: 'response' });
    expect(result.unrepaired).toEqual([]);
  });

  it('reports what it cannot repair', () => {
    const impossible = { type: 'string', minLength: 3, maxLength: 2 };
    const result = generateSample(document, impossible, { direction: 'response' });
    expect(result.unrepaired).toEqual([
      { in: 'body', pointer: '', message: expect.stringMatching(/characters$/) },
    ]);
    const endless = generateSample(
      document,
      { $ref: '#/components/schemas/EndlessTree' },
      { direction: 'response' },
    );
    expect(endless.unrepaired[0]?.pointer).toMatch(/^(\/children\/0)+\/children$/);
  });

  it('produces valid response bodies for the responses of a spec', () => {
    const spec: OpenApiDocument = {
      openapi: '3.0.3',
      paths: {
        '/odd': {
          get: {
            operationId: 'odd',
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Odd' } } },
              },
            },
          },
        },
      },
      components: document.components,
    };
    const { value } = generateSample(spec, { $ref: '#/components/schemas/Odd' }, { direction: 'response' });
    expect(value).not.toHaveProperty('secret');
    const odd = { ...(value as object), secret: undefined };
    expect(
      validateResponse(spec, 'odd', {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: odd,
      }),
    ).toEqual([]);
  });
});

describe('generateSample on shapes found in real specs', () => {
  const empty: OpenApiDocument = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} };

  it('satisfies patterns with character classes and repetitions (GitHub: ^\\d+\\.\\d+\\.\\d+$)', () => {
    const schema = { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$' };
    expect(generateSample(empty, schema, { direction: 'request' })).toEqual({
      value: '0.0.0',
      unrepaired: [],
    });
  });

  it('picks the one branch of a oneOf when another branch accepts any object (GitHub event payloads)', () => {
    const document: OpenApiDocument = {
      ...empty,
      components: {
        schemas: {
          create: { type: 'object', required: ['ref'], properties: { ref: { type: 'string' } } },
          delete: { type: 'object', required: ['ref'], properties: { ref: { type: 'string' } } },
          anything: { type: 'object', properties: {} },
        },
      },
    };
    const schema = {
      oneOf: [
        { $ref: '#/components/schemas/create' },
        { $ref: '#/components/schemas/delete' },
        { $ref: '#/components/schemas/anything' },
      ],
    };
    expect(generateSample(document, schema, { direction: 'response' }).unrepaired).toEqual([]);
  });

  it('hands out a copy: changing one result does not change the next', () => {
    const schema = { type: 'object', required: ['a'], properties: { a: { type: 'string' } } };
    const first = generateSample(empty, schema, { direction: 'response' }).value as { a: string };
    first.a = 'changed';
    expect(generateSample(empty, schema, { direction: 'response' }).value).toEqual({ a: 'string' });
  });
});
