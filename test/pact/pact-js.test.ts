/**
 * Pact files written by real pact-js consumer tests (its mock server, V3 and
 * V4), imported with the real CLI and verified against castle-service:
 * passing, and failing for the matched rule a broken provider breaks.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MatchersV3, PactV3, PactV4 } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutgoingResponse, startCastleService } from '../../examples/castle-service/service.js';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { CASTLE_123, openStore, publishCastleSpec } from '../verify/world.js';

const { like, integer, string, uuid, regex, eachLike } = MatchersV3;

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;
let pactDir: string;

const castle = {
  id: uuid(CASTLE_123),
  name: string('Château de Chambord'),
  region: string('Centre-Val de Loire'),
  yearBuilt: integer(1519),
};

/** castle-client's consumer tests, the Pact way: each runs its client code against pact-js's mock server. */
async function castleClientPactV3(dir: string): Promise<void> {
  const pact = new PactV3({ consumer: 'castle-client', provider: 'castle-service', dir, logLevel: 'error' });
  pact
    .given('castle 123 exists', { id: CASTLE_123 })
    .uponReceiving('a request for castle 123')
    .withRequest({ method: 'GET', path: `/castles/${CASTLE_123}` })
    .willRespondWith({
      status: 200,
      headers: { 'Content-Type': regex('application/json.*', 'application/json') },
      body: like(castle),
    });
  await pact.executeTest(async (server) => {
    const response = await fetch(`${server.url}/castles/${CASTLE_123}`);
    const body = (await response.json()) as { name: string; yearBuilt: number };
    expect(body.yearBuilt).toBe(1519);
  });
  pact
    .given('castle 123 exists', { id: CASTLE_123 })
    .uponReceiving('a list of castles')
    .withRequest({ method: 'GET', path: '/castles' })
    .willRespondWith({ status: 200, body: eachLike(castle) });
  await pact.executeTest(async (server) => {
    const response = await fetch(`${server.url}/castles`);
    expect(((await response.json()) as unknown[]).length).toBe(1);
  });
}

async function castleAdminPactV4(dir: string): Promise<void> {
  const pact = new PactV4({ consumer: 'castle-admin', provider: 'castle-service', dir, logLevel: 'error' });
  await pact
    .addInteraction()
    .uponReceiving('a new castle')
    .withRequest('POST', '/castles', (builder) => {
      builder.jsonBody({ name: 'Château de Blois', region: 'Centre-Val de Loire', yearBuilt: 1498 });
    })
    .willRespondWith(201, (builder) => {
      builder.jsonBody(
        like({ id: uuid(CASTLE_123), name: string('Château de Blois'), yearBuilt: integer(1498) }),
      );
    })
    .executeTest(async (server) => {
      const response = await fetch(`${server.url}/castles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Château de Blois', region: 'Centre-Val de Loire', yearBuilt: 1498 }),
      });
      expect(response.status).toBe(201);
    });
}

beforeAll(async () => {
  sandbox = createSandbox();
  const remote = await sandbox.bareRemote();
  await publishCastleSpec(await openStore(sandbox, remote));
  cwd = sandbox.dir('pacts');
  mkdirSync(cwd);
  pactDir = join(cwd, 'pacts');
  env = { ...sandbox.env, ENTENTE_CONTRACTS: remote, ENTENTE_NOW: '2026-11-21T12:00:00.000Z' };
  await castleClientPactV3(pactDir);
  await castleAdminPactV4(pactDir);
});

afterAll(() => sandbox.cleanup());

const verify = (baseUrl: string, version: string) =>
  runCli(
    [
      'verify',
      '--provider',
      'castle-service',
      '--version',
      version,
      '--base-url',
      baseUrl,
      '--state-url',
      `${baseUrl}/_states`,
    ],
    { cwd, env },
  );

async function verifyAgainst(version: string, present?: (response: OutgoingResponse) => OutgoingResponse) {
  const service = await startCastleService({ stateEndpoint: '/_states', ...(present ? { present } : {}) });
  try {
    return await verify(service.url, version);
  } finally {
    await service.close();
  }
}

describe('pact-js pact files in entente', () => {
  it('imports the V3 and V4 pacts pact-js wrote', async () => {
    const result = await runCli(['import-pact', 'pacts', '--consumer-version', '2.0.0', '--branch', 'main'], {
      cwd,
      env,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Imported castle-admin@2.0.0 → castle-service from pacts/castle-admin-castle-service.json (Pact V4): 1 interaction',
    );
    expect(result.stdout).toContain(
      'Imported castle-client@2.0.0 → castle-service from pacts/castle-client-castle-service.json (Pact V3): 2 interactions',
    );
  });

  it('verifies them against castle-service', async () => {
    const result = await verifyAgainst('1.0.0');
    expect(result.stdout).toContain('All 3 interactions passed');
    expect(result.code).toBe(0);
  });

  it('fails for the rule a broken provider breaks: yearBuilt as text breaks integer(…)', async () => {
    const result = await verifyAgainst('1.1.0', (response) =>
      response.status === 201 || (response.operation === 'getCastle' && response.status === 200)
        ? { ...response, body: { ...(response.body as object), yearBuilt: '1519' } }
        : response,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('2 of 3 interactions failed');
    expect(result.stdout).toMatch(/\$\.yearBuilt: expected an integer, got "1519"/);
    expect(result.stdout).not.toContain('$.name');
  });

  it('fails when a field matched by type is missing from every listed castle', async () => {
    const result = await verifyAgainst('1.2.0', (response) =>
      response.operation === 'listCastles'
        ? {
            ...response,
            body: (response.body as Record<string, unknown>[]).map(({ region: _region, ...rest }) => rest),
          }
        : response,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('$[0].region: missing');
  });
});
