/**
 * entente export-pact through the real CLI: import → export → import gives the
 * same contract (V3 and V4), and pact-js's own verifier accepts the exported
 * files against castle-service — a recorded contract (reliance as matching
 * rules) and an imported one — and rejects a provider that breaks them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Verifier } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyState,
  type OutgoingResponse,
  type StateRequest,
  startCastleService,
} from '../../examples/castle-service/service.js';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { CASTLE_123, providerJob } from '../verify/world.js';

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;

const castlePact = {
  consumer: { name: 'castle-admin' },
  provider: { name: 'castle-service' },
  interactions: [
    {
      description: 'a request for castle 123',
      providerStates: [{ name: 'castle 123 exists', params: { id: CASTLE_123 } }],
      request: { method: 'GET', path: `/castles/${CASTLE_123}`, query: { fields: ['name'] } },
      response: {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: { id: CASTLE_123, name: 'Somewhere', yearBuilt: 1500 },
        matchingRules: {
          body: {
            '$.name': { combine: 'AND', matchers: [{ match: 'type' }] },
            '$.yearBuilt': { combine: 'AND', matchers: [{ match: 'integer' }] },
          },
        },
        generators: { body: { '$.yearBuilt': { type: 'RandomInt', min: 1000, max: 1900 } } },
      },
    },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
};

beforeAll(async () => {
  sandbox = createSandbox();
  ({ cwd, env } = await providerJob(sandbox));
  writeFileSync(join(cwd, 'castle-admin.json'), JSON.stringify(castlePact));
  const imported = await runCli(['import-pact', 'castle-admin.json', '--consumer-version', '1.0.0'], {
    cwd,
    env,
  });
  expect(imported.code).toBe(0);
});

afterAll(() => sandbox.cleanup());

const cli = (...args: string[]) => runCli(args, { cwd, env });

async function contractHash(consumer: string, version: string): Promise<string> {
  const result = await cli(
    'export-pact',
    '--consumer',
    consumer,
    '--version',
    version,
    '--out',
    'tmp',
    '--json',
  );
  return (JSON.parse(result.stdout) as { files: { contract: string }[] }).files[0]!.contract;
}

async function pactJsVerify(pactFile: string, present?: (response: OutgoingResponse) => OutgoingResponse) {
  const service = await startCastleService(present ? { present } : {});
  const handler = (state: string) => ({
    setup: async (params?: unknown) => {
      applyState(service.store, { state, params: params as StateRequest['params'], action: 'setup' });
      return undefined;
    },
    teardown: async (params?: unknown) => {
      applyState(service.store, { state, params: params as StateRequest['params'], action: 'teardown' });
      return undefined;
    },
  });
  try {
    return await new Verifier({
      provider: 'castle-service',
      providerBaseUrl: service.url,
      pactUrls: [join(cwd, pactFile)],
      // pact-js types each handler as both an object and a function; it accepts either at run time.
      stateHandlers: { 'castle 123 exists': handler('castle 123 exists') } as unknown as NonNullable<
        ConstructorParameters<typeof Verifier>[0]
      >['stateHandlers'],
      logLevel: 'error',
    }).verifyProvider();
  } finally {
    service.store.clear();
    await service.close();
  }
}

describe('entente export-pact', () => {
  it.each([
    ['3', '2.0.0'],
    ['4', '3.0.0'],
  ])('import → export (V%s) → import gives the same contract', async (specVersion, version) => {
    const exported = await cli(
      'export-pact',
      '--consumer',
      'castle-admin',
      '--version',
      '1.0.0',
      '--out',
      `v${specVersion}`,
      '--spec-version',
      specVersion,
    );
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`Wrote v${specVersion}/castle-admin-castle-service.json`);
    const pact = JSON.parse(
      readFileSync(join(cwd, `v${specVersion}`, 'castle-admin-castle-service.json'), 'utf8'),
    );
    expect(pact.metadata.pactSpecification.version).toBe(specVersion === '4' ? '4.0' : '3.0.0');

    const again = await cli('import-pact', `v${specVersion}`, '--consumer-version', version);
    expect(again.code).toBe(0);
    expect(await contractHash('castle-admin', version)).toBe(await contractHash('castle-admin', '1.0.0'));
  });

  it("expresses a recorded contract's reliance as matching rules", async () => {
    const result = await cli(
      'export-pact',
      '--consumer',
      'castle-client',
      '--version',
      '1.0.0',
      '--out',
      'client',
    );
    expect(result.code).toBe(0);
    const pact = JSON.parse(readFileSync(join(cwd, 'client', 'castle-client-castle-service.json'), 'utf8'));
    const list = pact.interactions.find(
      (i: { request: { path: string; method: string } }) =>
        i.request.path === '/castles' && i.request.method === 'GET',
    );
    expect(Object.keys(list.response.body[0]).sort()).toEqual(['id', 'name']);
    expect(list.response.matchingRules.body).toEqual({
      $: { combine: 'AND', matchers: [{ match: 'type' }] },
    });
    const create = pact.interactions.find(
      (i: { request: { method: string } }) => i.request.method === 'POST',
    );
    expect(create.request.headers?.authorization).toBeUndefined();
  });

  it("pact-js's verifier accepts the exported files against castle-service", async () => {
    await expect(pactJsVerify('client/castle-client-castle-service.json')).resolves.toBeDefined();
    await expect(pactJsVerify('v3/castle-admin-castle-service.json')).resolves.toBeDefined();
  });

  it("pact-js's verifier rejects a provider that breaks them", async () => {
    const yearAsText = (response: OutgoingResponse) =>
      response.operation === 'getCastle' && response.status === 200
        ? { ...response, body: { ...(response.body as object), yearBuilt: 'early 16th century' } }
        : response;
    await expect(pactJsVerify('v3/castle-admin-castle-service.json', yearAsText)).rejects.toThrow();
    const renamed = (response: OutgoingResponse) =>
      response.operation === 'createCastle' && response.status === 201
        ? { ...response, body: { ...(response.body as object), name: undefined, title: 'x' } }
        : response;
    await expect(pactJsVerify('client/castle-client-castle-service.json', renamed)).rejects.toThrow();
  });
});
