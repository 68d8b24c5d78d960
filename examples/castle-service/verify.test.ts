/**
 * castle-service's provider verification: start the real service, replay
 * every consumer contract that matters against it, record the results. This
 * is the test a provider team keeps in its own repository.
 */
import { mkdirSync } from 'node:fs';
import { createProvider, type ReplayRequest } from 'entente-contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../test/helpers/sandbox.js';
import {
  CASTLE_123,
  CASTLE_CLIENT_RELIES_ON,
  openStore,
  publishCastleSpec,
  recordCastleClient,
} from '../../test/verify/world.js';
import { type CastleService, startCastleService } from './service.js';

let sandbox: Sandbox;
let contracts: string;
let service: CastleService;

beforeAll(async () => {
  // The contracts repository, with castle-service's spec and castle-client's recorded contract.
  sandbox = createSandbox();
  // The library reads configuration from the environment, like the CLI: give it the sandbox's only.
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, sandbox.env);
  contracts = await sandbox.bareRemote();
  const store = await openStore(sandbox, contracts);
  await publishCastleSpec(store);
  await recordCastleClient(store, {
    version: '1.0.0',
    pendingRoot: sandbox.root,
    reliesOn: CASTLE_CLIENT_RELIES_ON,
  });
  service = await startCastleService();
});

afterAll(async () => {
  await service.close();
  sandbox.cleanup();
});

describe('castle-service provider verification', () => {
  it('gives every consumer what it relies on', async () => {
    const cwd = sandbox.dir('castle-service');
    mkdirSync(cwd);
    const sent: ReplayRequest[] = [];
    const provider = createProvider({ provider: 'castle-service', contracts, cwd, version: '1.0.0' });

    const results = await provider.verify({
      baseUrl: service.url,
      stateHandlers: {
        'castle 123 exists': {
          setup: ({ id }) => {
            service.store.put({
              id: String(id),
              name: 'Château de Chambord',
              region: 'Centre-Val de Loire',
              yearBuilt: 1519,
            });
          },
          teardown: ({ id }) => {
            service.store.delete(String(id));
          },
        },
        listCastles: () => {
          service.store.put({ id: CASTLE_123, name: 'Château de Blois', region: 'Centre', yearBuilt: 1498 });
        },
      },
      cleanup: () => service.store.clear(),
      // The recorded Authorization header was redacted; the provider's test token replaces it.
      headers: { authorization: 'Bearer castle-service-test' },
      requestFilter: (request) => {
        sent.push(request);
        return { ...request, headers: { ...request.headers, 'x-test-run': 'local' } };
      },
      testRun: 'local',
    });

    expect(results.warnings).toEqual([]);
    expect(results.success).toBe(true);
    expect(results.summary).toMatchObject({ contracts: 1, interactions: 4, passed: 4, failed: 0 });
    expect(results.published).toMatchObject({ committed: true, verifications: 1, fixtureDrafts: 3 });
    const created = sent.find((request) => request.method === 'POST');
    expect(created?.headers.authorization).toBe('Bearer castle-service-test');
  });
});
