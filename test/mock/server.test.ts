import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMockHandler,
  type MockHandlerOptions,
  type MockInteraction,
  type MockServer,
  startMockServer,
  validateResponse,
} from '../../src/index.js';
import { CASTLE_ID, castle, castleFixture, loadCastles } from './castles.js';

const document = loadCastles();

interface Body {
  [key: string]: unknown;
  name?: string;
  detail?: string;
  violations?: unknown[];
}
const json = async (response: Response) => (await response.json()) as Body;
const jsonList = async (response: Response) => (await response.json()) as Body[];
const servers: MockServer[] = [];

async function start(options: Partial<MockHandlerOptions> = {}) {
  const mock = createMockHandler({ document, ...options });
  const server = await startMockServer(mock, { port: 0 });
  servers.push(server);
  return { mock, url: server.url };
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('mock server: routing and request validation', () => {
  let url: string;
  beforeAll(async () => {
    ({ url } = await start());
  });

  it('answers an unknown path with 404 and a known path with another method with 405', async () => {
    const notFound = await fetch(`${url}/dragons`);
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('content-type')).toBe('application/problem+json');
    expect(await json(notFound)).toMatchObject({
      status: 404,
      detail: 'GET /dragons matches no path of the spec',
    });
    const wrongMethod = await fetch(`${url}/castles/${CASTLE_ID}`, { method: 'PATCH' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, DELETE');
  });

  it('answers 400 listing every violation and where', async () => {
    const response = await fetch(`${url}/castles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '', yearBuilt: 'long ago', moat: true }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = await json(response);
    expect(problem).toMatchObject({ status: 400, operation: 'createCastle' });
    expect(problem.violations).toEqual([
      { in: 'body', pointer: '/region', message: 'is required' },
      { in: 'body', pointer: '/moat', message: 'is not an allowed field' },
      { in: 'body', pointer: '/name', message: 'must NOT have fewer than 1 characters' },
      { in: 'body', pointer: '/yearBuilt', message: 'must be integer' },
    ]);
    const badId = await fetch(`${url}/castles/not-a-uuid`);
    expect(badId.status).toBe(400);
    expect((await json(badId)).violations).toEqual([
      { in: 'path', name: 'id', pointer: '', message: 'must match format "uuid"' },
    ]);
    const badJson = await fetch(`${url}/castles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect((await json(badJson)).violations?.[0]).toMatchObject({
      in: 'body',
      message: expect.stringMatching(/^is not valid JSON/),
    });
  });

  it('serves anyway when request validation is off', async () => {
    const { url: lenient } = await start({ validateRequests: false });
    const response = await fetch(`${lenient}/castles`, { method: 'POST', body: 'nonsense' });
    expect(response.status).toBe(201);
  });
});

describe('mock server: responses from the spec', () => {
  let url: string;
  beforeAll(async () => {
    ({ url } = await start());
  });

  it('serves the declared example, else a generated sample that fits the spec', async () => {
    const one = await fetch(`${url}/castles/${CASTLE_ID}`);
    expect(one.status).toBe(200);
    expect(await json(one)).toMatchObject({ name: 'Château de Versailles' });
    const list = await fetch(`${url}/castles?region=Centre`);
    expect(list.status).toBe(200);
    expect(list.headers.get('x-entente-problems')).toBeNull();
    const body = await json(list);
    expect(Array.isArray(body)).toBe(true);
    expect(
      validateResponse(document, 'listCastles', {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body,
      }),
    ).toEqual([]);
    const created = await fetch(`${url}/castles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Chambord', region: 'Centre', yearBuilt: 1519 }),
    });
    expect(created.status).toBe(201);
    const deleted = await fetch(`${url}/castles/${CASTLE_ID}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
  });

  it('honours Prefer: code= and example=', async () => {
    const notFound = await fetch(`${url}/castles/${CASTLE_ID}`, { headers: { prefer: 'code=404' } });
    expect(notFound.status).toBe(404);
    expect(Object.keys(await json(notFound)).sort()).toEqual(['error', 'message']);
    const named = await fetch(`${url}/castles/${CASTLE_ID}`, { headers: { prefer: 'example=versailles' } });
    expect((await json(named)).yearBuilt).toBe(1623);
    const undeclared = await fetch(`${url}/castles/${CASTLE_ID}`, { headers: { prefer: 'code=418' } });
    expect(undeclared.status).toBe(400);
    expect((await json(undeclared)).detail).toBe('getCastle declares no response 418; declared: 200, 404');
    const unknownExample = await fetch(`${url}/castles/${CASTLE_ID}`, {
      headers: { prefer: 'example=chambord' },
    });
    expect((await json(unknownExample)).detail).toBe('getCastle declares no example named "chambord"');
  });
});

describe('mock server: fixtures', () => {
  const consumer = castleFixture('consumer-1', 'consumer', castle('from consumer'));
  const provider = castleFixture('provider-1', 'provider', castle('from provider'));
  const local = castleFixture('local-1', 'manual', castle('from local'));
  const draft = castleFixture('provider-draft', 'provider', castle('draft'), {
    status: 'draft',
    priority: 9,
  });

  async function nameServed(options: Partial<MockHandlerOptions>, init: RequestInit = {}, id = CASTLE_ID) {
    const { url } = await start(options);
    const response = await fetch(`${url}/castles/${id}`, init);
    return (await json(response)).name as string;
  }

  it('prefers local, then approved provider, then approved consumer fixtures, then the example', async () => {
    expect(await nameServed({ fixtures: [consumer, provider, draft], localFixtures: [local] })).toBe(
      'from local',
    );
    expect(await nameServed({ fixtures: [consumer, provider, draft] })).toBe('from provider');
    expect(await nameServed({ fixtures: [consumer, draft] })).toBe('from consumer');
    expect(await nameServed({ fixtures: [draft] })).toBe('Château de Versailles');
  });

  it('matches an exact path before a templated one, and by query', async () => {
    const templated = castleFixture('any-castle', 'provider', castle('any'), {}, '/castles/{id}');
    const otherId = '00000000-0000-4000-8000-000000000001';
    expect(await nameServed({ fixtures: [templated, provider] })).toBe('from provider');
    expect(await nameServed({ fixtures: [templated, provider] }, {}, otherId)).toBe('any');
    const { url } = await start({
      fixtures: [
        {
          ...castleFixture('in-centre', 'provider', [castle('centre')]),
          operation: 'listCastles',
          data: {
            request: { method: 'GET', path: '/castles', query: { region: 'Centre' } },
            response: { status: 200, body: [castle('centre')] },
          },
        },
      ],
    });
    const centre = await jsonList(await fetch(`${url}/castles?region=Centre`));
    expect(centre[0]?.name).toBe('centre');
    const elsewhere = await jsonList(await fetch(`${url}/castles?region=Alsace`));
    expect(elsewhere[0]?.name).not.toBe('centre');
  });

  it('reports a fixture that drifted from the spec and still serves it', async () => {
    const lines: string[] = [];
    const drifted = castleFixture('stale', 'provider', {
      ...castle('stale'),
      yearBuilt: 'sixteenth century',
    });
    const { mock, url } = await start({ fixtures: [drifted], logger: { warn: (line) => lines.push(line) } });
    const first = await fetch(`${url}/castles/${CASTLE_ID}`);
    await fetch(`${url}/castles/${CASTLE_ID}`);
    expect(first.status).toBe(200);
    expect((await json(first)).yearBuilt).toBe('sixteenth century');
    const summary =
      'fixture stale for getCastle (200) does not fit the spec: body /yearBuilt must be integer';
    expect(first.headers.get('x-entente-problems')).toBe(summary);
    expect(mock.problems).toEqual([
      {
        kind: 'fixture-drift',
        operation: 'getCastle',
        status: 200,
        fixtureId: 'stale',
        violations: [{ in: 'body', pointer: '/yearBuilt', message: 'must be integer' }],
        message: summary,
      },
    ]);
    expect(lines).toEqual([`entente mock: ${summary}`]);
  });

  it('serves a partial fixture completed from a sample, without reporting missing fields', async () => {
    const interactions: MockInteraction[] = [];
    const partial = castleFixture('only-name', 'manual', { name: 'Chambord' }, { partial: true });
    const { mock, url } = await start({
      localFixtures: [partial],
      onInteraction: (i) => interactions.push(i),
    });
    const response = await fetch(`${url}/castles/${CASTLE_ID}`);
    const body = await json(response);
    expect(body.name).toBe('Chambord');
    expect(
      validateResponse(document, 'getCastle', {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body,
      }),
    ).toEqual([]);
    expect(response.headers.get('x-entente-problems')).toBeNull();
    expect(mock.problems).toEqual([]);
    expect(interactions[0]).toMatchObject({
      servedFrom: { kind: 'fixture', fixtureId: 'only-name', partial: true },
      reliesOn: ['name'],
    });
    const wrongType = castleFixture('bad-partial', 'manual', { name: 42 }, { partial: true });
    const { mock: strict, url: strictUrl } = await start({ localFixtures: [wrongType] });
    await fetch(`${strictUrl}/castles/${CASTLE_ID}`);
    expect(strict.problems.map((p) => p.violations)).toEqual([
      [{ in: 'body', pointer: '/name', message: 'must be string' }],
    ]);
  });
});

describe('mock server: provider states and interactions', () => {
  it('attaches given() and the x-entente-state header to each exchange', async () => {
    const interactions: MockInteraction[] = [];
    const { mock, url } = await start({ onInteraction: (i) => interactions.push(i) });
    mock.given('castle exists', { id: CASTLE_ID });
    await fetch(`${url}/castles/${CASTLE_ID}?lang=fr`, { headers: { 'x-trace': 'abc' } });
    await fetch(`${url}/castles/${CASTLE_ID}`, { headers: { 'x-entente-state': 'no castles' } });
    mock.resetGiven();
    await fetch(`${url}/castles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Chambord', region: 'Centre', yearBuilt: 1519 }),
    });
    await fetch(`${url}/nowhere`);
    expect(interactions.map((i) => i.given)).toEqual([
      [{ state: 'castle exists', params: { id: CASTLE_ID } }],
      [{ state: 'no castles' }],
      undefined,
    ]);
    expect(interactions[0]).toMatchObject({
      operation: 'getCastle',
      operationKey: 'GET /castles/{id}',
      request: {
        method: 'GET',
        path: `/castles/${CASTLE_ID}`,
        query: { lang: 'fr' },
        headers: { 'x-trace': 'abc' },
      },
      response: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { name: 'Château de Versailles' },
      },
      servedFrom: { kind: 'example', name: 'versailles' },
    });
    expect(interactions[1]?.request.headers).not.toHaveProperty('x-entente-state');
    expect(interactions[2]).toMatchObject({
      operation: 'createCastle',
      request: { body: { name: 'Chambord' } },
      response: { status: 201 },
      servedFrom: { kind: 'sample' },
    });
    expect(mock.interactions).toHaveLength(3);
  });
});

describe('mock server: a handler of its own', () => {
  it('answers exactly as through a wrapping MockHandler served with Fetch objects', async () => {
    const core = createMockHandler({
      document,
      fixtures: [castleFixture('provider-1', 'provider', castle('from provider'))],
    });
    const wrapped = { ...core, handle: (request: Request) => core.handle(request) };
    const direct = await startMockServer(core);
    const viaFetch = await startMockServer(wrapped);
    servers.push(direct, viaFetch);
    const requests: [string, RequestInit][] = [
      ['/castles', {}],
      [`/castles/${CASTLE_ID}`, { headers: { 'X-Trace': 'a', 'x-trace': 'b' } }],
      ['/nowhere', {}],
      ['/castles', { method: 'PATCH' }],
      [
        '/castles',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '\uFEFF{"name":"Château de Chambord","region":"Centre-Val de Loire","yearBuilt":1519}',
        },
      ],
      ['/castles', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' }],
      ['/castles', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
    ];
    const answer = async (base: string, [path, init]: [string, RequestInit]) => {
      const response = await fetch(`${base}${path}`, init);
      const headers = Object.fromEntries(
        [...response.headers].filter(
          ([name]) => !['date', 'transfer-encoding', 'content-length'].includes(name),
        ),
      );
      return { status: response.status, headers, body: await response.text() };
    };
    for (const request of requests) {
      expect(await answer(direct.url, request)).toEqual(await answer(viaFetch.url, request));
    }
    // Both servers share the core: each exchange that matched an operation is recorded twice.
    expect(core.interactions.map((i) => i.response.status)).toEqual([
      200, 200, 200, 200, 201, 201, 400, 400, 400, 400,
    ]);
  });
});
