import { describe, expect, it } from 'vitest';
import type { FixtureRecord } from '../model/records.js';
import { type FixtureRequest, fieldPaths, overlay, selectFixture } from './fixtures.js';

function fixture(
  id: string,
  overrides: Partial<FixtureRecord> = {},
  request: Partial<FixtureRecord['data']['request']> = {},
): FixtureRecord {
  return {
    id,
    operation: 'listCastles',
    status: 'approved',
    priority: 1,
    source: 'consumer',
    data: { request: { method: 'GET', path: '/castles', ...request }, response: { status: 200, body: [] } },
    ...overrides,
  };
}

const request: FixtureRequest = {
  method: 'GET',
  path: '/api/castles',
  relativePath: '/castles',
  template: '/castles',
  operationId: 'listCastles',
  operationKey: 'GET /castles',
  query: { region: 'Centre', tag: ['a', 'b'] },
  body: undefined,
};

const pick = (candidates: { fixture: FixtureRecord; local?: boolean }[], status?: number) =>
  selectFixture(
    candidates.map((c) => ({ fixture: c.fixture, local: c.local ?? false })),
    request,
    status === undefined ? {} : { status },
  )?.id;

describe('selectFixture', () => {
  it('serves only approved repo fixtures but any live local one', () => {
    expect(pick([{ fixture: fixture('draft', { status: 'draft' }) }])).toBeUndefined();
    expect(pick([{ fixture: fixture('draft', { status: 'draft' }), local: true }])).toBe('draft');
    expect(pick([{ fixture: fixture('gone', { status: 'deprecated' }), local: true }])).toBeUndefined();
  });

  it('ranks by priority, then exact path, then specificity, then id', () => {
    const consumer = fixture('b-consumer');
    const provider = fixture('c-provider', { priority: 2, source: 'provider' });
    expect(pick([{ fixture: consumer }, { fixture: provider }])).toBe('c-provider');
    const withQuery = fixture('d-query', {}, { query: { region: 'Centre' } });
    expect(pick([{ fixture: consumer }, { fixture: withQuery }])).toBe('d-query');
    expect(pick([{ fixture: fixture('z') }, { fixture: fixture('a') }])).toBe('a');
    const one = { ...request, path: '/api/castles/7', relativePath: '/castles/7', template: '/castles/{id}' };
    const templated = {
      fixture: fixture('templated', {}, { path: '/castles/{id}', query: { region: 'Centre' } }),
      local: false,
    };
    const exact = { fixture: fixture('exact', {}, { path: '/api/castles/7' }), local: false };
    expect(selectFixture([templated, exact], one)?.id).toBe('exact');
    expect(
      selectFixture([templated], { ...one, path: '/api/castles/8', relativePath: '/castles/8' })?.id,
    ).toBe('templated');
  });

  it('matches by operation key, query values and requested status', () => {
    expect(pick([{ fixture: fixture('by-key', { operation: 'GET /castles' }) }])).toBe('by-key');
    expect(pick([{ fixture: fixture('other-op', { operation: 'getCastle' }) }])).toBeUndefined();
    expect(pick([{ fixture: fixture('wrong-region', {}, { query: { region: 'Alsace' } }) }])).toBeUndefined();
    expect(pick([{ fixture: fixture('tags', {}, { query: { tag: ['a', 'b'] } }) }])).toBe('tags');
    expect(pick([{ fixture: fixture('ok') }], 404)).toBeUndefined();
  });

  it('matches a fixture request body by value', () => {
    const post = { ...request, method: 'POST', body: { b: 1, a: [1, 2] } };
    const candidate = (body: unknown) => ({
      fixture: fixture('post', {}, { method: 'POST', body }),
      local: false,
    });
    expect(selectFixture([candidate({ a: [1, 2], b: 1 })], post)?.id).toBe('post');
    expect(selectFixture([candidate({ a: [2, 1], b: 1 })], post)).toBeUndefined();
  });
});

describe('overlay and fieldPaths', () => {
  it('lays a partial body over a sample, element by element', () => {
    const sample = [{ id: 'x', name: 'sample', towers: [{ height: 1, name: 't' }] }];
    expect(overlay(sample, [{ name: 'A' }, { towers: [{ height: 9 }] }])).toEqual([
      { id: 'x', name: 'A', towers: [{ height: 1, name: 't' }] },
      { id: 'x', name: 'sample', towers: [{ height: 9, name: 't' }] },
    ]);
  });

  it('lists leaf paths in reliesOn notation', () => {
    expect(fieldPaths([{ name: 'A', towers: [{ height: 9 }], tags: [], owner: {} }])).toEqual([
      '[].name',
      '[].towers[].height',
      '[].tags',
      '[].owner',
    ]);
    expect(fieldPaths({ available: true })).toEqual(['available']);
  });
});
