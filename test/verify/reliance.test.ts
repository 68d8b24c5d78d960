/**
 * What a contract recorded from the mock's generated samples holds a provider
 * to: the fields received, as the spec described them when recorded. A
 * provider that satisfies its own spec (a nullable field null, an optional one
 * absent) passes; one that drops or retypes a required field fails, by name.
 * Real HTTP (mock and provider on port 0), a real bare remote, the real CLI.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutgoingResponse, startCastleService } from '../../examples/castle-service/service.js';
import { createMock } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { CASTLE_123, openStore, publishCastleSpec } from './world.js';

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;
let contract: { format?: number; interactions: { operation: string; response: Record<string, unknown> }[] };

beforeAll(async () => {
  sandbox = createSandbox();
  const remote = await sandbox.bareRemote();
  await publishCastleSpec(await openStore(sandbox, remote));
  cwd = sandbox.dir('consumer');
  mkdirSync(cwd);
  env = {
    ...sandbox.env,
    ENTENTE_CONTRACTS: remote,
    ENTENTE_BRANCH: 'main',
    ENTENTE_NOW: '2026-11-21T12:00:00.000Z',
  };

  // The consumer's test: plain fetch against the mock's URL, nothing declared,
  // its reads not tracked (as for a consumer in another process).
  const mock = await createMock('castle-service', '1.0.0', {
    consumer: 'castle-client',
    consumerVersion: '1.0.0',
    record: true,
    trackReads: false,
    cwd,
    env,
  });
  try {
    const list = (await (await fetch(`${mock.url}/castles`)).json()) as Record<string, unknown>[];
    // The mock's sample holds the optional, nullable description as a string.
    expect(typeof list[0]?.description).toBe('string');
    mock.given('castle 123 exists', { id: CASTLE_123 });
    const castle = (await (await fetch(`${mock.url}/castles/${CASTLE_123}`)).json()) as Record<
      string,
      unknown
    >;
    expect(castle.name).toBe('Château de Versailles');
  } finally {
    await mock.close();
  }
  const published = await runCli(['publish', '--json'], { cwd, env });
  expect(published.stderr).toBe('');
  expect(published.code).toBe(0);

  const clone = sandbox.dir('look');
  await sandbox.git(sandbox.root, 'clone', '--quiet', remote, clone);
  const files = (await sandbox.git(clone, 'ls-files', 'contracts')).trim().split('\n');
  contract = JSON.parse(readFileSync(join(clone, files[0]!), 'utf8'));
});

afterAll(() => sandbox.cleanup());

/** castle-service answering through `present`, verified by the real CLI. */
async function verifyWith(present: (response: OutgoingResponse) => OutgoingResponse) {
  const provider = await startCastleService({ stateEndpoint: '/_entente/state', present });
  try {
    return await runCli(
      [
        'verify',
        '--provider',
        'castle-service',
        '--version',
        '1.0.0',
        '--base-url',
        provider.url,
        '--state-url',
        `${provider.url}/_entente/state`,
        '--no-publish',
        // Never verified before, so pending; this test is about what the contract holds the provider to.
        '--fail-on-pending',
      ],
      { cwd, env },
    );
  } finally {
    await provider.close();
  }
}

const chambord = {
  id: CASTLE_123,
  name: 'Château de Chambord',
  region: 'Centre-Val de Loire',
  yearBuilt: 1519,
};

/** listCastles answers two castles: description null in one, absent from the other. */
function nullAndAbsent(response: OutgoingResponse): OutgoingResponse {
  if (response.operation === 'listCastles') {
    return { ...response, body: [{ ...chambord, description: null }, chambord] };
  }
  return response;
}

describe('a contract recorded from mock samples, nothing declared', () => {
  it('records format 2: received reliance, with what the spec allowed beyond the samples', () => {
    expect(contract.format).toBe(2);
    const byOperation = Object.fromEntries(contract.interactions.map((i) => [i.operation, i.response]));
    expect(byOperation.getCastle?.reliance).toBe('received');
    expect(byOperation.getCastle?.reliesOn).toBeUndefined();
    // The spec's example has every field the spec requires, and nothing else.
    expect(byOperation.getCastle?.allows).toBeUndefined();
    expect(byOperation.listCastles?.reliance).toBe('received');
    expect(byOperation.listCastles?.allows).toEqual({
      absent: ['[].description'],
      types: { '[].description': ['null', 'string'] },
    });
  });

  it('passes a provider that sends null for the nullable field and omits the optional one', async () => {
    const result = await verifyWith(nullAndAbsent);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('✔ All 2 interactions passed.');
    expect(result.code).toBe(0);
  });

  it('fails a provider that drops a required field the consumer received, naming it', async () => {
    const result = await verifyWith((response) => {
      if (response.operation !== 'getCastle' || response.status !== 200) return nullAndAbsent(response);
      const { name: _, ...rest } = response.body as Record<string, unknown>;
      return { ...response, body: rest };
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('$.name: missing');
    expect(result.stdout).not.toContain('description');
  });

  it('fails a provider that changes a required field’s type, naming it', async () => {
    const result = await verifyWith((response) => {
      if (response.operation !== 'listCastles') return response;
      return { ...response, body: [{ ...chambord, yearBuilt: '1519' }] };
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('$[0].yearBuilt: expected number, got string');
  });
});
