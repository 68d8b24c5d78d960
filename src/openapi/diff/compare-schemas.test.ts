import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../document.js';
import { diffSpecs } from './diff-specs.js';

type Json = Record<string, unknown>;

/** GET /things answering 200 with `schema`, POST /things taking `requestSchema`. */
function things(schema: Json, schemas: Json = {}, requestSchema?: Json, openapi = '3.0.3'): OpenApiDocument {
  return {
    openapi,
    info: { title: 'Things', version: '1' },
    paths: {
      '/things': {
        get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } } },
        ...(requestSchema
          ? {
              post: {
                requestBody: { content: { 'application/json': { schema: requestSchema } } },
                responses: { '204': { description: 'done' } },
              },
            }
          : {}),
      },
    },
    components: { schemas },
  };
}

const summary = (base: OpenApiDocument, revision: OpenApiDocument) =>
  diffSpecs(base, revision).map((f) => {
    const target = f.target as { path?: string } | undefined;
    return `${f.rule} ${target?.path ?? ''}`.trim();
  });

const str = { type: 'string' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('schema comparison', () => {
  it('names nested fields in relied-on path syntax, through $ref and arrays', () => {
    const item = (stock: Json) => ({ type: 'object', required: ['stock'], properties: { stock } });
    const base = things(
      { type: 'object', properties: { items: { type: 'array', items: ref('Item') } } },
      {
        Item: item(str),
      },
    );
    const revision = things(
      { type: 'object', properties: { items: { type: 'array', items: ref('Item') } } },
      {
        Item: item({ type: 'integer' }),
      },
    );
    const [found] = diffSpecs(base, revision);
    expect(found).toMatchObject({
      rule: 'response.body.type-changed',
      level: 'error',
      operation: { method: 'GET', path: '/things' },
      location: '/components/schemas/Item/properties/stock',
      target: {
        kind: 'response-body',
        status: '200',
        contentType: 'application/json',
        path: 'items[].stock',
      },
      before: 'string',
      after: 'integer',
    });
    expect(found?.message).toContain('items[].stock');
  });

  it('writes a top-level array as [] and quotes awkward names', () => {
    const base = things({ type: 'array', items: { type: 'object', properties: { 'a.b': str, name: str } } });
    const revision = things({ type: 'array', items: { type: 'object', properties: {} } });
    expect(summary(base, revision)).toEqual([
      'response.body.optional-property-removed []."a.b"',
      'response.body.optional-property-removed [].name',
    ]);
  });

  it('treats integer as a number: widening a request is fine, widening a response is not', () => {
    expect(summary(things(str, {}, { type: 'integer' }), things(str, {}, { type: 'number' }))).toEqual([]);
    expect(summary(things({ type: 'integer' }), things({ type: 'number' }))).toEqual([
      'response.body.type-changed',
    ]);
    expect(summary(things({ type: 'number' }), things({ type: 'integer' }))).toEqual([]);
  });

  it('merges allOf properties and required lists', () => {
    const base = things(
      { allOf: [ref('Base'), { type: 'object', required: ['b'], properties: { b: str } }] },
      {
        Base: { type: 'object', required: ['a'], properties: { a: str } },
      },
    );
    const revision = things(
      { allOf: [ref('Base'), { type: 'object', properties: { b: str } }] },
      {
        Base: { type: 'object', properties: { a: str } },
      },
    );
    expect(summary(base, revision)).toEqual([
      'response.body.property-became-optional a',
      'response.body.property-became-optional b',
    ]);
  });

  it('reads oneOf/anyOf conservatively: any branch may hold a property, only common required ones are required', () => {
    const cat = {
      type: 'object',
      required: ['name', 'meows'],
      properties: { name: str, meows: { type: 'boolean' } },
    };
    const dog = { type: 'object', required: ['name'], properties: { name: str, barks: { type: 'boolean' } } };
    const base = things({ oneOf: [cat, dog] });
    expect(summary(base, things({ oneOf: [cat, dog] }))).toEqual([]);
    expect(summary(base, things({ oneOf: [cat] }))).toEqual([
      'response.body.optional-property-removed barks',
    ]);
    const fish = { type: 'object', properties: { name: str } };
    // The oneOf is gone (proven by `{}`, which only the fish allows) and name may be absent.
    expect(summary(base, things({ anyOf: [cat, dog, fish] }))).toEqual([
      'response.body.property-became-optional name',
      'response.body.composition-widened',
    ]);
  });

  it('sees 3.0 nullable and 3.1 type arrays alike', () => {
    expect(summary(things(str), things({ type: 'string', nullable: true }))).toEqual([
      'response.body.became-nullable',
    ]);
    expect(
      summary(
        things(str, {}, undefined, '3.1.0'),
        things({ type: ['string', 'null'] }, {}, undefined, '3.1.0'),
      ),
    ).toEqual(['response.body.became-nullable']);
    expect(
      summary(
        things({ type: 'string', nullable: true }),
        things({ type: ['string', 'null'] }, {}, undefined, '3.1.0'),
      ),
    ).toEqual([]);
    expect(
      summary(things(str, {}, { nullable: true, allOf: [ref('N')] }), things(str, {}, ref('N'))),
    ).toEqual(['request.body.became-non-nullable']);
  });

  it('ignores readOnly properties in requests and writeOnly ones in responses', () => {
    const castle = (id: Json) => ({ type: 'object', required: ['id'], properties: { id, name: str } });
    const base = things(
      castle({ type: 'string', readOnly: true }),
      {},
      castle({ type: 'string', readOnly: true }),
    );
    const revision = things(
      castle({ type: 'integer', readOnly: true }),
      {},
      castle({ type: 'integer', readOnly: true }),
    );
    expect(summary(base, revision)).toEqual(['response.body.type-changed id']);
    const secret = (password: Json) => ({ type: 'object', properties: { password } });
    expect(
      summary(
        things(secret({ type: 'string', writeOnly: true }), {}, secret({ type: 'string', writeOnly: true })),
        things(
          secret({ type: 'integer', writeOnly: true }),
          {},
          secret({ type: 'integer', writeOnly: true }),
        ),
      ),
    ).toEqual(['request.body.type-changed password']);
  });

  it('normalises 3.0 and 3.1 exclusive bounds', () => {
    const before = { type: 'number', minimum: 0, exclusiveMinimum: true };
    expect(
      summary(things(str, {}, before), things(str, {}, { type: 'number', exclusiveMinimum: 0 })),
    ).toEqual([]);
    expect(summary(things(str, {}, before), things(str, {}, { type: 'number', minimum: 1 }))).toEqual([
      'request.body.constraint-tightened',
    ]);
    expect(summary(things(str, {}, { type: 'number', minimum: 0 }), things(str, {}, before))).toEqual([
      'request.body.constraint-tightened',
    ]);
  });

  it('reports a change once in a recursive schema, and terminates', () => {
    const tree = (name: Json) => ({
      type: 'object',
      properties: { name, children: { type: 'array', items: ref('Tree') } },
    });
    const base = things(ref('Tree'), { Tree: tree(str) });
    const revision = things(ref('Tree'), { Tree: tree({ type: 'integer' }) });
    expect(summary(base, revision)).toEqual(['response.body.type-changed name']);
    expect(summary(base, base)).toEqual([]);
  });

  it('keeps recursive schemas reached from different places complete (memoised results are not cut short)', () => {
    const node = (value: Json) => ({ type: 'object', properties: { value, next: ref('A') } });
    const schemas = (value: Json) => ({ A: { type: 'object', properties: { b: ref('B') } }, B: node(value) });
    const schema = { type: 'object', properties: { a: ref('A'), b: ref('B') } };
    const found = summary(things(schema, schemas(str)), things(schema, schemas({ type: 'integer' })));
    expect(found).toContain('response.body.type-changed a.b.value');
    expect(found).toContain('response.body.type-changed b.value');
  });

  it('stays bounded on densely mutually recursive schemas, reporting the shortest path first', () => {
    const mesh = (leaf: Json) => {
      const schemas: Json = {};
      for (let i = 0; i < 30; i++) {
        const properties: Json = { v: i === 0 ? leaf : str };
        for (let j = 0; j < 30; j++) properties[`s${j}`] = ref(`S${j}`);
        schemas[`S${i}`] = { type: 'object', properties };
      }
      return things(ref('S1'), schemas);
    };
    const found = summary(mesh(str), mesh({ type: 'integer' }));
    expect(found[0]).toBe('response.body.type-changed s0.v');
    expect(found.length).toBeLessThanOrEqual(16);
  });

  it('compares additionalProperties schemas and reports them on the map itself', () => {
    const map = (value: Json) => ({
      type: 'object',
      properties: { prices: { type: 'object', additionalProperties: value } },
    });
    expect(summary(things(map(str)), things(map({ type: 'integer' })))).toEqual([
      'response.body.type-changed prices',
    ]);
  });

  it('reports a request property removed only when extra properties are refused', () => {
    const open = (properties: Json) => ({ type: 'object', properties });
    expect(summary(things(str, {}, open({ a: str, b: str })), things(str, {}, open({ a: str })))).toEqual([]);
    expect(
      summary(
        things(str, {}, open({ a: str, b: str })),
        things(str, {}, { ...open({ a: str }), additionalProperties: false }),
      ),
    ).toEqual(['request.body.constraint-tightened', 'request.body.property-removed b']);
  });

  it('reports enum values gained in a response and lost in a request', () => {
    const e = (...values: string[]) => ({ type: 'string', enum: values });
    expect(summary(things(e('a', 'b'), {}, e('a', 'b')), things(e('a', 'c'), {}, e('a', 'c')))).toEqual([
      'response.body.enum-widened',
      'request.body.enum-narrowed',
      'request.body.enum-widened',
    ]);
  });
});
