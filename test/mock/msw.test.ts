import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMockHandler,
  createMswHandlers,
  type MockHandlerOptions,
  type MockInteraction,
  type MockServer,
  startMockServer,
} from '../../src/index.js';
import { CASTLE_ID, castle, castleFixture, loadCastles } from './castles.js';
import { exchangeAll } from './requests.js';

const BASE_URL = 'http://castles.test';

function options(interactions: MockInteraction[]): MockHandlerOptions {
  return {
    document: loadCastles(),
    localFixtures: [
      castleFixture('stale', 'manual', { ...castle('stale'), yearBuilt: 'old' }),
      castleFixture('only-name', 'manual', { name: 'Partial' }, { partial: true }, '/castles/{id}'),
    ],
    onInteraction: (interaction) => interactions.push(interaction),
  };
}

describe('msw handlers', () => {
  const viaMsw: MockInteraction[] = [];
  const viaServer: MockInteraction[] = [];
  const mswMock = createMockHandler(options(viaMsw));
  const msw = setupServer(...createMswHandlers(mswMock, { baseUrl: BASE_URL }));
  let server: MockServer;

  beforeAll(async () => {
    server = await startMockServer(createMockHandler(options(viaServer)));
    msw.listen({ onUnhandledRequest: 'bypass' });
  });
  afterAll(async () => {
    msw.close();
    await server.close();
  });

  it('answer exactly like the node server', async () => {
    const inProcess = await exchangeAll(BASE_URL);
    const overHttp = await exchangeAll(server.url);
    expect(inProcess).toEqual(overHttp);
    expect(inProcess.map((e) => e.status)).toEqual([200, 200, 200, 404, 204, 405, 404, 201, 400]);
  });

  it('serve fixtures, report drift and record interactions like the node server', async () => {
    const stale = await fetch(`${BASE_URL}/castles/${CASTLE_ID}`);
    expect(stale.headers.get('x-entente-problems')).toMatch(/^fixture stale for getCastle \(200\)/);
    const partial = await fetch(`${BASE_URL}/castles/00000000-0000-4000-8000-000000000001`);
    expect(((await partial.json()) as { name: string }).name).toBe('Partial');
    expect(mswMock.problems.map((p) => p.fixtureId)).toEqual(['stale']);
    const strip = (list: MockInteraction[]) =>
      list.map(({ request: { headers: _, ...request }, ...rest }) => ({ ...rest, request }));
    expect(strip(viaMsw).slice(0, viaServer.length)).toEqual(strip(viaServer));
  });

  it('refuses a base URL that is not absolute', () => {
    expect(() => createMswHandlers(mswMock, { baseUrl: 'castles' })).toThrow(
      /baseUrl: "castles" is not an absolute URL/,
    );
  });
});
