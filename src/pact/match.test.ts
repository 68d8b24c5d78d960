/**
 * The matching rules of the Pact specification (V2 `$.body…` paths, V3/V4
 * categories), each with a case that matches and one that does not.
 */
import { describe, expect, it } from 'vitest';
import type { ActualResponse } from '../contract/compare-response.js';
import type { Interaction } from '../model/records.js';
import { comparePactResponse } from './match.js';
import { toV3Categories } from './rules.js';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

function interaction(
  body: unknown,
  matchingRules: Record<string, unknown>,
  response: { status?: number; headers?: Record<string, string> } = {},
): Interaction {
  return {
    id: '0'.repeat(64),
    operation: 'getThing',
    request: { method: 'GET', path: '/thing' },
    response: {
      status: response.status ?? 200,
      headers: response.headers ?? JSON_HEADERS,
      ...(body !== undefined ? { body } : {}),
    },
    pact: { response: { matchingRules: toV3Categories(matchingRules, 'test')! } },
  };
}

function actual(body: unknown, status = 200, headers: Record<string, string> = {}): ActualResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

const v3 = (path: string, ...matchers: Record<string, unknown>[]) => ({
  body: { [path]: { combine: 'AND', matchers } },
});
const v2 = (path: string, matcher: Record<string, unknown>) => ({ [`$.body${path.slice(1)}`]: matcher });

/** Kinds of the mismatches found (empty: it matches). */
function kinds(i: Interaction, response: ActualResponse): string[] {
  return comparePactResponse(i, response).map((m) => `${m.kind} ${m.path}`);
}

describe('no rule: equality, Postel for objects', () => {
  const i = interaction({ name: 'Chambord', tags: ['a', 'b'] }, {});
  it('matches equal values and extra keys', () => {
    expect(kinds(i, actual({ name: 'Chambord', tags: ['a', 'b'], extra: 1 }))).toEqual([]);
  });
  it('does not match another value, a missing key, or another array length', () => {
    expect(kinds(i, actual({ name: 'Blois', tags: ['a'] }))).toEqual([
      'response.body.value $.name',
      'response.body.length $.tags',
    ]);
    expect(kinds(i, actual({ tags: ['a', 'b'] }))).toEqual(['response.body.missing $.name']);
  });
});

describe.each([
  ['V2', v2('$.id', { regex: '\\d+' })],
  ['V3', v3('$.id', { match: 'regex', regex: '\\d+' })],
])('regex (%s)', (_form, rules) => {
  const i = interaction({ id: '12' }, rules);
  it('matches a value the whole regex matches', () => expect(kinds(i, actual({ id: '345' }))).toEqual([]));
  it('does not match a value it matches only in part', () =>
    expect(kinds(i, actual({ id: '34x' }))).toEqual(['response.rule $.id']));
});

describe.each([
  ['V2', v2('$.name', { match: 'type' })],
  ['V3', v3('$.name', { match: 'type' })],
])('type (%s)', (_form, rules) => {
  const i = interaction({ name: 'Chambord' }, rules);
  it('matches another value of the same type', () => expect(kinds(i, actual({ name: 'Blois' }))).toEqual([]));
  it('does not match another type', () =>
    expect(kinds(i, actual({ name: 12 }))).toEqual(['response.body.type $.name']));
});

describe.each([
  ['V2', { ...v2('$.items', { min: 2 }), ...v2('$.items[*].*', { match: 'type' }) }],
  [
    'V3',
    {
      body: {
        '$.items': { matchers: [{ match: 'type', min: 2 }] },
        '$.items[*].*': { matchers: [{ match: 'type' }] },
      },
    },
  ],
])('type with min (%s, eachLike)', (_form, rules) => {
  const i = interaction({ items: [{ id: 1 }] }, rules);
  it('matches at least min elements, each like the example', () =>
    expect(kinds(i, actual({ items: [{ id: 5 }, { id: 6 }, { id: 7 }] }))).toEqual([]));
  it('does not match fewer elements, or an element of another shape', () => {
    expect(kinds(i, actual({ items: [{ id: 5 }] }))).toEqual(['response.body.length $.items']);
    expect(kinds(i, actual({ items: [{ id: 5 }, { id: 'x' }] }))).toEqual([
      'response.body.type $.items[1].id',
    ]);
  });
});

describe.each([
  ['V2', v2('$.items', { match: 'type', max: 2 })],
  ['V3', v3('$.items', { match: 'type', max: 2 })],
])('type with max (%s)', (_form, rules) => {
  const i = interaction({ items: [1] }, rules);
  it('matches at most max elements', () => expect(kinds(i, actual({ items: [1, 2] }))).toEqual([]));
  it('does not match more', () =>
    expect(kinds(i, actual({ items: [1, 2, 3] }))).toEqual(['response.body.length $.items']));
});

describe('equality (V3), also resetting a cascaded type rule', () => {
  const i = interaction(
    { owner: { name: 'Louis', title: 'king' } },
    {
      body: { $: { matchers: [{ match: 'type' }] }, '$.owner.title': { matchers: [{ match: 'equality' }] } },
    },
  );
  it('matches an equal value (other values by type)', () =>
    expect(kinds(i, actual({ owner: { name: 'François', title: 'king' } }))).toEqual([]));
  it('does not match another value', () =>
    expect(kinds(i, actual({ owner: { name: 'François', title: 'duke' } }))).toEqual([
      'response.body.value $.owner.title',
    ]));
});

describe.each([
  ['integer', 12, 12.5],
  ['decimal', 12.5, 12],
  ['number', 12.5, '12.5'],
  ['boolean', false, 'no'],
  ['null', null, 0],
  ['semver', '1.2.3-beta.1', '1.2'],
  ['notEmpty', 'x', ''],
])('%s (V3)', (match, good, bad) => {
  const i = interaction({ value: good }, v3('$.value', { match }));
  it(`matches ${JSON.stringify(good)}`, () => expect(kinds(i, actual({ value: good }))).toEqual([]));
  it(`does not match ${JSON.stringify(bad)}`, () =>
    expect(kinds(i, actual({ value: bad }))).toEqual(['response.rule $.value']));
});

describe.each([
  ['date', { format: 'yyyy-MM-dd' }, '2026-12-03', '03/12/2026'],
  ['date', {}, '2026-12-03', '2026-13-03'],
  ['time', { format: 'HH:mm' }, '14:30', '25:30'],
  ['time', {}, '14:30:00', '2pm'],
  ['datetime', { format: "yyyy-MM-dd'T'HH:mm:ss.SSSX" }, '2026-12-03T14:30:00.000Z', '2026-12-03 14:30'],
  [
    'timestamp',
    { timestamp: "yyyy-MM-dd'T'HH:mm:ssXXX" },
    '2026-12-03T14:30:00+01:00',
    '2026-12-03T14:30:00',
  ],
  ['datetime', {}, '2026-12-03T14:30:00Z', 'yesterday'],
])('%s %j (V3)', (match, format, good, bad) => {
  const i = interaction({ at: good }, v3('$.at', { match, ...format }));
  it(`matches ${good}`, () => expect(kinds(i, actual({ at: good }))).toEqual([]));
  it(`does not match ${bad}`, () => expect(kinds(i, actual({ at: bad }))).toEqual(['response.rule $.at']));
});

describe('include (V3)', () => {
  const i = interaction(
    { motto: 'Nec pluribus impar' },
    v3('$.motto', { match: 'include', value: 'pluribus' }),
  );
  it('matches a value containing the text', () =>
    expect(kinds(i, actual({ motto: 'e pluribus unum' }))).toEqual([]));
  it('does not match one without it', () =>
    expect(kinds(i, actual({ motto: 'Montjoie' }))).toEqual(['response.rule $.motto']));
});

describe('values (V3): keys are data', () => {
  const i = interaction(
    { byId: { a: { name: 'x' } } },
    {
      body: { '$.byId': { matchers: [{ match: 'values' }] }, '$.byId.*': { matchers: [{ match: 'type' }] } },
    },
  );
  it('matches any keys whose values are like the example', () =>
    expect(kinds(i, actual({ byId: { q: { name: 'y' }, r: { name: 'z' } } }))).toEqual([]));
  it('does not match a value unlike the example', () =>
    expect(kinds(i, actual({ byId: { q: { name: 1 } } }))).toEqual(['response.body.type $.byId.q.name']));
});

describe('eachKey and eachValue (V4)', () => {
  const i = interaction(
    { byId: { abc: 'x' }, list: ['a'] },
    {
      body: {
        '$.byId': { matchers: [{ match: 'eachKey', rules: [{ match: 'regex', regex: '[a-z]+' }] }] },
        '$.list': { matchers: [{ match: 'eachValue', rules: [{ match: 'type' }] }] },
      },
    },
  );
  it('matches keys and values satisfying the rules', () =>
    expect(kinds(i, actual({ byId: { abc: 'x', xyz: 'x' }, list: ['b', 'c'] }))).toEqual([]));
  it('does not match a key or a value that does not', () =>
    expect(kinds(i, actual({ byId: { abc: 'x', X1: 'x' }, list: ['b', 1] }))).toEqual([
      'response.rule $.byId.X1 (key)',
      'response.body.type $.list[1]',
    ]));
});

describe('arrayContains (V4)', () => {
  const i = interaction(
    { events: [{ type: 'built', year: 1519 }] },
    {
      body: {
        '$.events': {
          matchers: [
            {
              match: 'arrayContains',
              variants: [{ index: 0, rules: { '$.year': { matchers: [{ match: 'integer' }] } } }],
            },
          ],
        },
      },
    },
  );
  it('matches an array with an element like the variant, among others', () =>
    expect(kinds(i, actual({ events: [{ type: 'sold' }, { type: 'built', year: 1600 }] }))).toEqual([]));
  it('does not match an array without one', () =>
    expect(kinds(i, actual({ events: [{ type: 'sold', year: 1600 }] }))).toEqual(['response.rule $.events']));
});

describe('contentType (V3)', () => {
  const i = interaction(
    { a: 1 },
    { body: { $: { matchers: [{ match: 'contentType', value: 'application/json' }] } } },
    {
      headers: {},
    },
  );
  it('matches a response of that content type', () => expect(kinds(i, actual({ a: 2 }))).toEqual([]));
  it('does not match another one', () =>
    expect(kinds(i, actual({ a: 2 }, 200, { 'content-type': 'application/vnd.other+json' }))).toEqual([
      'response.rule $',
    ]));
});

describe('statusCode (V4)', () => {
  const byClass = interaction(undefined, {
    status: { $: { matchers: [{ match: 'statusCode', status: 'success' }] } },
  });
  const byList = interaction(undefined, {
    status: { $: { matchers: [{ match: 'statusCode', status: [200, 204] }] } },
  });
  it('matches a status of the class or in the list', () => {
    expect(kinds(byClass, actual(undefined, 201))).toEqual([]);
    expect(kinds(byList, actual(undefined, 204))).toEqual([]);
  });
  it('does not match another', () => {
    expect(kinds(byClass, actual(undefined, 404))).toEqual(['response.status status']);
    expect(kinds(byList, actual(undefined, 201))).toEqual(['response.status status']);
  });
  it('without a rule, the status must be equal', () =>
    expect(kinds(interaction(undefined, {}), actual(undefined, 201))).toEqual(['response.status status']));
});

describe.each([
  ['V2', { '$.headers.X-Request-Id': { match: 'regex', regex: '[0-9a-f]+' } }],
  ['V3', { header: { 'X-Request-Id': { matchers: [{ match: 'regex', regex: '[0-9a-f]+' }] } } }],
])('header rules (%s)', (_form, rules) => {
  const i = interaction(undefined, rules, { headers: { 'X-Request-Id': 'abc123' } });
  it('matches a header satisfying the rule', () =>
    expect(kinds(i, actual(undefined, 200, { 'x-request-id': 'ff00' }))).toEqual([]));
  it('does not match one that does not, or a missing one', () => {
    expect(kinds(i, actual(undefined, 200, { 'x-request-id': 'XYZ' }))).toEqual([
      'response.header header x-request-id',
    ]);
    expect(kinds(i, actual(undefined, 200))).toEqual(['response.header header x-request-id']);
  });
});

describe('headers without rules', () => {
  const i = interaction(
    undefined,
    {},
    { headers: { 'Content-Type': 'application/json; charset=utf-8', Allow: 'GET, HEAD' } },
  );
  it('compares values (whitespace after commas ignored; content type by media type and the given parameters)', () => {
    expect(
      kinds(
        i,
        actual(undefined, 200, { 'content-type': 'application/json;charset=UTF-8', allow: 'GET,HEAD' }),
      ),
    ).toEqual([]);
    expect(kinds(i, actual(undefined, 200, { 'content-type': 'text/plain', allow: 'GET' }))).toEqual([
      'response.header header content-type',
      'response.header header allow',
    ]);
  });
});

describe('combining and choosing rules', () => {
  it('OR: one matcher satisfied is enough', () => {
    const i = interaction(
      { v: 'a' },
      {
        body: { '$.v': { combine: 'OR', matchers: [{ match: 'null' }, { match: 'regex', regex: '[a-z]' }] } },
      },
    );
    expect(kinds(i, actual({ v: null }))).toEqual([]);
    expect(kinds(i, actual({ v: 'b' }))).toEqual([]);
    expect(kinds(i, actual({ v: 1 }))).toEqual(['response.rule $.v', 'response.rule $.v']);
  });
  it('the most specific path wins: an index beats a star', () => {
    const i = interaction(
      { items: [{ id: 1 }, { id: 'x' }] },
      {
        body: {
          '$.items': { matchers: [{ match: 'type' }] },
          '$.items[*].id': { matchers: [{ match: 'integer' }] },
          '$.items[1].id': { matchers: [{ match: 'regex', regex: '[a-z]' }] },
        },
      },
    );
    expect(kinds(i, actual({ items: [{ id: 2 }, { id: 'y' }] }))).toEqual([]);
    expect(kinds(i, actual({ items: [{ id: 2 }, { id: 3 }] }))).toEqual(['response.rule $.items[1].id']);
  });
  it('an unknown rule is reported, never passed', () => {
    const i = interaction({ v: 'a' }, v3('$.v', { match: 'telepathy' }));
    expect(kinds(i, actual({ v: 'a' }))).toEqual(['pact.rule.unsupported $.v']);
  });
  it('an unknown date format letter is reported', () => {
    const i = interaction({ at: 'x' }, v3('$.at', { match: 'date', format: 'qqqq' }));
    expect(kinds(i, actual({ at: 'x' }))).toEqual(['pact.rule.unsupported $.at']);
  });
});

describe('pactMismatchKinds', () => {
  it('documents every kind in docs/verification-matching.md', async () => {
    const { readFileSync } = await import('node:fs');
    const { pactMismatchKinds } = await import('./match.js');
    const doc = readFileSync(new URL('../../docs/verification-matching.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('### Mismatch kinds of imported pacts'));
    for (const kind of Object.keys(pactMismatchKinds)) expect(section).toContain(`| \`${kind}\` |`);
  });
});
