import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { reliedOnLeaves, reliedOnShape } from './relies-on.js';

const body = {
  available: true,
  stock: '12',
  name: 'Bob',
  owner: { id: 7, tags: ['a'] },
  items: [
    { sku: 'x', stock: 1, price: 2.5 },
    { sku: 'y', stock: null },
  ],
  empty: [],
};

describe('reliedOnShape', () => {
  it('is the whole body when reliesOn is absent, nothing when it is empty', () => {
    expect(reliedOnShape(body)).toEqual(body);
    expect(reliedOnShape(body, [''])).toEqual(body);
    expect(reliedOnShape(body, [])).toBeUndefined();
    expect(reliedOnShape(undefined)).toBeUndefined();
  });

  it('narrows objects and every array element', () => {
    expect(reliedOnShape(body, ['available'])).toEqual({ available: true });
    expect(reliedOnShape(body, ['items[].stock', 'owner'])).toEqual({
      owner: { id: 7, tags: ['a'] },
      items: [{ stock: 1 }, { stock: null }],
    });
    expect(reliedOnShape([{ name: 'a', x: 1 }, { name: 'b' }], ['[].name'])).toEqual([
      { name: 'a' },
      { name: 'b' },
    ]);
  });

  it('accepts a path through an empty array', () => {
    expect(reliedOnShape(body, ['empty[].x'])).toEqual({ empty: [] });
  });

  it('refuses a path that names nothing received, and bad syntax', () => {
    expect(() => reliedOnShape(body, ['price'], 'interaction abc')).toThrow(InputError);
    expect(() => reliedOnShape(body, ['price'], 'interaction abc')).toThrow(/"price" in interaction abc/);
    expect(() => reliedOnShape(body, ['available.x'])).toThrow(InputError);
    expect(() => reliedOnShape(body, ['items[0]'])).toThrow(/"items\[0\]"/);
    expect(() => reliedOnShape(undefined, ['a'])).toThrow(InputError);
  });
});

describe('reliedOnLeaves', () => {
  it('lists every relied-on leaf with its type and value, per element', () => {
    expect(reliedOnLeaves(body, ['available', 'items[].stock', 'owner.tags', 'empty'])).toEqual([
      { path: 'available', location: '$.available', type: 'boolean', value: true },
      { path: 'owner.tags[]', location: '$.owner.tags[0]', type: 'string', value: 'a' },
      { path: 'items[].stock', location: '$.items[0].stock', type: 'number', value: 1 },
      { path: 'items[].stock', location: '$.items[1].stock', type: 'null', value: null },
      { path: 'empty', location: '$.empty', type: 'array', value: [] },
    ]);
  });

  it('treats a scalar body as one leaf at the empty path', () => {
    expect(reliedOnLeaves('hello')).toEqual([{ path: '', location: '$', type: 'string', value: 'hello' }]);
    expect(reliedOnLeaves({ 'a.b': 1 })).toEqual([
      { path: '"a.b"', location: '$["a.b"]', type: 'number', value: 1 },
    ]);
  });
});
