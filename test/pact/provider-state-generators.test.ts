// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Pact generator expressions are written ${name}
/**
 * A pact whose request path comes from a provider state (pact-js's
 * `fromProviderState`): the state handler creates a castle with a fresh id and
 * returns it, and the replayed request uses it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastleService } from '../../examples/castle-service/service.js';
import { importPacts } from '../../src/pact/import.js';
import { parsePact } from '../../src/pact/pact-file.js';
import type { ContractsStore } from '../../src/store/store.js';
import { verifyProvider } from '../../src/verify/verify.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { NOW, openStore, publishCastleSpec } from '../verify/world.js';

let sandbox: Sandbox;
let store: ContractsStore;

const pact = {
  consumer: { name: 'castle-client' },
  provider: { name: 'castle-service' },
  interactions: [
    {
      description: 'a castle that exists',
      providerStates: [{ name: 'a castle exists' }],
      request: { method: 'GET', path: '/castles/00000000-0000-4000-8000-000000000000' },
      generators: {},
      response: {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: { name: 'Blois' },
        matchingRules: { body: { '$.name': { combine: 'AND', matchers: [{ match: 'type' }] } } },
      },
    },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
};
(pact.interactions[0]!.request as Record<string, unknown>).generators = {
  path: { type: 'ProviderState', expression: '/castles/${id}', dataType: 'STRING' },
};

beforeAll(async () => {
  sandbox = createSandbox();
  store = await openStore(sandbox, await sandbox.bareRemote());
  await publishCastleSpec(store);
  await importPacts(store, {
    pacts: [parsePact(JSON.stringify(pact), 'castle.json')],
    consumerVersion: '1.0.0',
    branch: 'main',
    now: NOW,
  });
});

afterAll(() => sandbox.cleanup());

describe('ProviderState generators in verification', () => {
  it('replays the request with the value the state setup returned', async () => {
    const service = await startCastleService();
    const requested: string[] = [];
    try {
      const result = await verifyProvider(store, {
        provider: 'castle-service',
        version: '1.0.0',
        baseUrl: service.url,
        publish: false,
        now: NOW,
        stateHandlers: {
          'a castle exists': () => {
            const castle = service.store.create({ name: 'Blois', region: 'Loire', yearBuilt: 1498 });
            return { id: castle.id };
          },
        },
        requestFilter: (request) => {
          requested.push(new URL(request.url).pathname);
          return request;
        },
      });
      expect(result.contracts[0]?.interactions[0]?.mismatches).toEqual([]);
      expect(result.summary.passed).toBe(1);
      expect(requested[0]).toMatch(/^\/castles\/[0-9a-f-]{36}$/);
      expect(requested[0]).not.toBe('/castles/00000000-0000-4000-8000-000000000000');
    } finally {
      await service.close();
    }
  });
});
