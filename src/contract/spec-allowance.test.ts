import { describe, expect, it } from 'vitest';
import { allowanceFor } from './spec-allowance.js';

const document = {
  components: {
    schemas: {
      Money: { type: 'object', required: ['amount'], properties: { amount: { type: 'integer' } } },
      Tag: { type: 'string' },
    },
  },
};

describe('allowanceFor', () => {
  it('lists optional fields as may-be-absent and nullable ones (3.0 and 3.1) with null', () => {
    const schema = {
      type: 'object',
      required: ['id', 'coupon'],
      properties: {
        id: { type: 'string' },
        coupon: { type: 'string', nullable: true },
        note: { type: ['string', 'null'] },
        total: { $ref: '#/components/schemas/Money', nullable: true },
      },
    };
    expect(allowanceFor(document, schema, { id: 'a', coupon: 'x', note: 'y', total: { amount: 3 } })).toEqual(
      {
        absent: ['note', 'total'],
        types: { coupon: ['null', 'string'], note: ['null', 'string'], total: ['null', 'object'] },
      },
    );
  });

  it('walks arrays, allOf and oneOf: required in every branch stays required', () => {
    const schema = {
      type: 'array',
      items: {
        allOf: [{ $ref: '#/components/schemas/Money' }],
        oneOf: [
          {
            type: 'object',
            required: ['kind', 'tag'],
            properties: { kind: { type: 'string' }, tag: { $ref: '#/components/schemas/Tag' } },
          },
          {
            type: 'object',
            required: ['kind'],
            properties: { kind: { type: 'string' }, tag: { type: 'integer' } },
          },
        ],
      },
    };
    expect(allowanceFor(document, schema, [{ amount: 1, kind: 'a', tag: 'b' }])).toEqual({
      absent: ['[].tag'],
      types: { '[].tag': ['number', 'string'] },
    });
  });

  it('allows any type and absence for undeclared and free-form values, nothing more for exact ones', () => {
    const schema = { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, meta: {} } };
    const allowance = allowanceFor(document, schema, { id: 1, meta: 'x', extra: true });
    expect(allowance.absent).toEqual(['extra', 'meta']);
    expect(allowance.types?.meta).toEqual(['array', 'boolean', 'null', 'number', 'object', 'string']);
    expect(allowance.types?.extra).toHaveLength(6);
    expect(allowance.types?.id).toBeUndefined();
  });

  it('follows recursive refs without looping', () => {
    const recursive = {
      components: {
        schemas: {
          Node: {
            type: 'object',
            required: ['next'],
            properties: { next: { $ref: '#/components/schemas/Node', nullable: true } },
          },
        },
      },
    };
    expect(allowanceFor(recursive, { $ref: '#/components/schemas/Node' }, { next: { next: null } })).toEqual({
      types: { next: ['null', 'object'], 'next.next': ['null', 'object'] },
    });
  });
});
