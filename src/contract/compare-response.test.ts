import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import type { Interaction } from '../model/records.js';
import { compareResponse, mismatchKinds } from './compare-response.js';

const castle = {
  id: '550e8400-e29b-41d4-a716-446655440000',
  name: 'Versailles',
  region: 'IdF',
  yearBuilt: 1623,
};

function interaction(response: Partial<Interaction['response']> = {}): Interaction {
  return {
    id: 'a'.repeat(64),
    operation: 'getCastle',
    request: { method: 'GET', path: `/castles/${castle.id}` },
    response: { status: 200, headers: { 'content-type': 'application/json' }, body: castle, ...response },
  };
}

const json = { 'Content-Type': 'application/json; charset=utf-8' };

describe('compareResponse', () => {
  it('passes the same response, extra fields and other values', () => {
    expect(compareResponse(interaction(), { status: 200, headers: json, body: castle })).toEqual([]);
    expect(
      compareResponse(interaction(), {
        status: 200,
        headers: json,
        body: { ...castle, name: 'Chambord', yearBuilt: 1519, towers: 4 },
      }),
    ).toEqual([]);
  });

  it('reports a relied-on field renamed as missing', () => {
    const { region, ...rest } = castle;
    const mismatches = compareResponse(interaction(), {
      status: 200,
      headers: json,
      body: { ...rest, area: region },
    });
    expect(mismatches).toEqual([
      {
        kind: 'response.body.missing',
        path: '$.region',
        expected: 'string',
        message: '$.region: missing; the consumer relies on it (string)',
      },
    ]);
  });

  it("reports a field's type changed", () => {
    const mismatches = compareResponse(interaction(), {
      status: 200,
      headers: json,
      body: { ...castle, yearBuilt: '1623' },
    });
    expect(mismatches).toEqual([
      {
        kind: 'response.body.type',
        path: '$.yearBuilt',
        expected: 'number',
        actual: 'string',
        message: '$.yearBuilt: expected number, got string ("1623")',
      },
    ]);
  });

  it('reports a wrong status and does not compare that body', () => {
    expect(
      compareResponse(interaction(), { status: 404, headers: json, body: { error: 'x', message: 'y' } }),
    ).toEqual([
      {
        kind: 'response.status',
        path: 'status',
        expected: 200,
        actual: 404,
        message: 'status: expected 200, got 404',
      },
    ]);
  });

  it('lets a field the consumer does not rely on change freely', () => {
    const narrowed = interaction({ reliesOn: ['name'] });
    const { region, ...withoutRegion } = castle;
    expect(region).toBeDefined();
    expect(
      compareResponse(narrowed, { status: 200, headers: json, body: { ...withoutRegion, yearBuilt: 'old' } }),
    ).toEqual([]);
    expect(compareResponse(narrowed, { status: 200, headers: json, body: { name: 42 } })).toMatchObject([
      { kind: 'response.body.type', path: '$.name' },
    ]);
  });

  it('treats null where a value was received as a type mismatch, and a received null as presence only', () => {
    expect(
      compareResponse(interaction(), { status: 200, headers: json, body: { ...castle, name: null } }),
    ).toMatchObject([{ kind: 'response.body.type', path: '$.name', expected: 'string', actual: 'null' }]);
    const withNull = interaction({ body: { ...castle, description: null } });
    expect(
      compareResponse(withNull, { status: 200, headers: json, body: { ...castle, description: 'nice' } }),
    ).toEqual([]);
    expect(compareResponse(withNull, { status: 200, headers: json, body: castle })).toMatchObject([
      { kind: 'response.body.missing', path: '$.description' },
    ]);
  });

  it('checks every actual array element against the merged recorded elements', () => {
    const list = interaction({
      body: [
        { name: 'a', stock: 1, note: 'x' },
        { name: 'b', stock: 2 },
      ],
    });
    expect(
      compareResponse(list, {
        status: 200,
        headers: json,
        body: [
          { name: 'c', stock: 3 },
          { name: 'd', stock: 4, note: 'fine' },
          { name: 'e' },
          { name: 'f', stock: 5, note: 7 },
        ],
      }),
    ).toEqual([
      {
        kind: 'response.body.missing',
        path: '$[2].stock',
        expected: 'number',
        message: '$[2].stock: missing; the consumer relies on it (number)',
      },
      {
        kind: 'response.body.type',
        path: '$[3].note',
        expected: 'string',
        actual: 'number',
        message: '$[3].note: expected string, got number (7)',
      },
    ]);
    expect(compareResponse(list, { status: 200, headers: json, body: [] })).toEqual([]);
    expect(compareResponse(list, { status: 200, headers: json, body: {} })).toMatchObject([
      { kind: 'response.body.type', path: '$', expected: 'array', actual: 'object' },
    ]);
  });

  it('relies on nothing inside an empty recorded array', () => {
    const empty = interaction({ body: { items: [] } });
    expect(compareResponse(empty, { status: 200, headers: json, body: { items: [1, 'two', null] } })).toEqual(
      [],
    );
  });

  it('compares pinned values by deep equality', () => {
    const pinned = interaction({
      body: { ...castle, tags: [{ k: 'a' }, { k: 'b' }] },
      reliesOn: ['name'],
      pins: ['region', 'tags[].k'],
    });
    expect(
      compareResponse(pinned, {
        status: 200,
        headers: json,
        body: { ...castle, name: 'other', tags: [{ k: 'a' }, { k: 'b' }] },
      }),
    ).toEqual([]);
    expect(
      compareResponse(pinned, {
        status: 200,
        headers: json,
        body: { ...castle, region: 'Loire', tags: [{ k: 'a' }, { k: 'c' }, { k: 'd' }] },
      }),
    ).toEqual([
      {
        kind: 'response.body.value',
        path: '$.region',
        expected: 'IdF',
        actual: 'Loire',
        message: '$.region: pinned (region) to "IdF", got "Loire"',
      },
      {
        kind: 'response.body.value',
        path: '$.tags',
        expected: '2 elements',
        actual: '3 elements',
        message: '$.tags: pinned (tags[].k) to 2 recorded elements, got 3 elements',
      },
      {
        kind: 'response.body.value',
        path: '$.tags[1].k',
        expected: 'b',
        actual: 'c',
        message: '$.tags[1].k: pinned (tags[].k) to "b", got "c"',
      },
    ]);
  });

  it('does not report a pinned field twice when it is already missing', () => {
    const pinned = interaction({ pins: ['region'] });
    const { region, ...rest } = castle;
    expect(region).toBeDefined();
    expect(compareResponse(pinned, { status: 200, headers: json, body: rest })).toMatchObject([
      { kind: 'response.body.missing', path: '$.region' },
    ]);
  });

  it('accepts every JSON media type for JSON, and refuses text', () => {
    for (const type of [
      'application/problem+json',
      'application/vnd.castle.v2+json; charset=utf-8',
      'APPLICATION/JSON',
    ]) {
      expect(
        compareResponse(interaction(), { status: 200, headers: { 'content-type': type }, body: castle }),
      ).toEqual([]);
    }
    expect(
      compareResponse(interaction(), {
        status: 200,
        headers: { 'content-type': 'text/plain' },
        body: 'not json at all',
      }),
    ).toEqual([
      {
        kind: 'response.content-type',
        path: 'header content-type',
        expected: 'application/json',
        actual: 'text/plain',
        message: 'content-type: expected application/json (or another JSON type), got text/plain',
      },
      {
        kind: 'response.body.not-json',
        path: '$',
        expected: 'JSON',
        actual: 'not json at all',
        message: '$: the consumer relies on a JSON body; the response body is not JSON',
      },
    ]);
    expect(
      compareResponse(interaction(), {
        status: 200,
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify(castle),
      }),
    ).toMatchObject([{ kind: 'response.content-type' }]);
  });

  it('reports a missing body, and ignores the body when nothing in it is relied on', () => {
    expect(compareResponse(interaction(), { status: 200, headers: {}, body: undefined })).toMatchObject([
      { kind: 'response.body.missing', path: '$' },
    ]);
    expect(
      compareResponse(interaction({ reliesOn: [] }), { status: 200, headers: {}, body: undefined }),
    ).toEqual([]);
    const deleted = interaction({ status: 204, headers: {}, body: undefined });
    expect(compareResponse(deleted, { status: 204, headers: {}, body: undefined })).toEqual([]);
  });

  it('refuses a contract that relies on something it did not receive', () => {
    expect(() =>
      compareResponse(interaction({ reliesOn: ['towers'] }), { status: 200, headers: json, body: castle }),
    ).toThrow(InputError);
  });

  it('fails Materials and passes Odd Jobs when stock becomes an integer (the reference scenario)', () => {
    const received = { available: true, stock: '12', name: 'Bob' };
    const revised = { status: 200, headers: json, body: { ...received, stock: 12 } };
    const oddJobs = interaction({ body: received, reliesOn: ['available'] });
    const materials = interaction({ body: received, reliesOn: ['stock'] });
    expect(compareResponse(oddJobs, revised)).toEqual([]);
    expect(compareResponse(materials, revised)).toMatchObject([
      { kind: 'response.body.type', path: '$.stock', expected: 'string', actual: 'number' },
    ]);
  });

  it('documents every kind', () => {
    for (const [kind, doc] of Object.entries(mismatchKinds)) {
      expect(kind).toMatch(/^response\./);
      expect(doc.title.length).toBeGreaterThan(0);
      expect(doc.description.length).toBeGreaterThan(20);
    }
  });
});

describe('docs/verification-matching.md', () => {
  it('lists every mismatch kind', async () => {
    const doc = await readFile(new URL('../../docs/verification-matching.md', import.meta.url), 'utf8');
    for (const kind of Object.keys(mismatchKinds)) expect(doc).toContain(`| \`${kind}\` `);
  });
});
