/**
 * castle-client's tests, as the team writes them: against a mock of
 * castle-service built from the spec castle-service published. Run them under
 * `entente record -- npx vitest run` (or with CI=true) and what they exchange
 * becomes castle-client's contract with castle-service.
 */
import { createMock, type Mock } from 'entente-contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CastleClient } from './client.js';

let mock: Mock;
let client: CastleClient;

beforeAll(async () => {
  // The latest castle-service spec in the contracts repository, with the local
  // fixtures in fixtures/castle-service.json served first. Of a created castle,
  // castle-client uses only its id and name: that is all its contract asks for.
  mock = await createMock('castle-service', 'latest', {
    cwd: import.meta.dirname,
    reliesOn: { createCastle: ['id', 'name'] },
  });
  client = new CastleClient(mock.url, 'a-test-token');
});

afterAll(async () => {
  await mock?.close();
});

describe('castle-client against castle-service', () => {
  it('lists castles from the local fixture (relying only on names and years)', async () => {
    const castles = await client.listCastles();
    expect(castles.map((c) => c.name)).toEqual(['Château de Versailles', 'Château de Fontainebleau']);
  });

  it('works out castle ages, oldest first', async () => {
    expect(await client.castleAges(2026)).toEqual([
      { name: 'Château de Fontainebleau', age: 889 },
      { name: 'Château de Versailles', age: 403 },
    ]);
  });

  it('gets one castle (the spec example)', async () => {
    mock.given('castle 123 exists', { id: '550e8400-e29b-41d4-a716-446655440000' });
    const castle = await client.getCastle('550e8400-e29b-41d4-a716-446655440000');
    mock.resetGiven();
    expect(castle).toMatchObject({ name: 'Château de Versailles', yearBuilt: 1623 });
  });

  it('creates a castle', async () => {
    const created = await client.createCastle({
      name: 'Château de Blois',
      region: 'Centre-Val de Loire',
      yearBuilt: 1498,
    });
    expect(typeof created.id).toBe('string');
    expect(mock.problems).toEqual([]);
  });
});
