/**
 * A pact file imported with the real CLI, then verified against the running
 * castle-service by its matching rules: passing, and failing for the rule the
 * provider breaks. Bad pact files are refused (exit 3), nothing written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastleService } from '../../examples/castle-service/service.js';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { CASTLE_123, openStore, publishCastleSpec } from '../verify/world.js';

let sandbox: Sandbox;
let remote: string;
let cwd: string;
let env: Record<string, string>;

/** A V3 pact as pact-js writes one: provider states with params, rules by category. */
const castlePact = {
  consumer: { name: 'Castle Client' },
  provider: { name: 'castle-service' },
  interactions: [
    {
      description: 'a request for castle 123',
      providerStates: [{ name: 'castle 123 exists', params: { id: CASTLE_123 } }],
      request: { method: 'GET', path: `/castles/${CASTLE_123}` },
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
      },
    },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
};

beforeAll(async () => {
  sandbox = createSandbox();
  remote = await sandbox.bareRemote();
  await publishCastleSpec(await openStore(sandbox, remote));
  cwd = sandbox.dir('consumer');
  mkdirSync(cwd);
  env = { ...sandbox.env, ENTENTE_CONTRACTS: remote, ENTENTE_NOW: '2026-11-21T12:00:00.000Z' };
  writeFileSync(join(cwd, 'castle.json'), JSON.stringify(castlePact));
});

afterAll(() => sandbox.cleanup());

const verify = (baseUrl: string) =>
  runCli(
    [
      'verify',
      '--provider',
      'castle-service',
      '--version',
      '1.0.0',
      '--base-url',
      baseUrl,
      '--state-url',
      `${baseUrl}/_states`,
    ],
    { cwd, env },
  );

describe('entente import-pact, then verify', () => {
  it('refuses a bad pact file with exit 3, naming the file and the field, writing nothing', async () => {
    const bad = structuredClone(castlePact);
    (bad.interactions[0]!.request as { path: string }).path = 'castles';
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify(bad));
    const result = await runCli(['import-pact', 'bad.json', '--consumer-version', '1.0.0'], { cwd, env });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'bad.json: interactions[0].request.path: expected a path starting with /',
    );
    const log = await sandbox.git(remote, 'log', '--oneline');
    expect(log).not.toContain('import pacts');
  });

  it('imports the pact as castle-client@1.0.0 on main, operations named from the spec', async () => {
    const result = await runCli(
      ['import-pact', 'castle.json', '--consumer-version', '1.0.0', '--branch', 'main', '--json'],
      { cwd, env },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const data = JSON.parse(result.stdout) as { contracts: { consumer: string; operationsFrom: string }[] };
    expect(data.contracts).toMatchObject([
      { consumer: 'castle-client', provider: 'castle-service', interactions: 1, operationsFrom: '1.0.0' },
    ]);
    const log = await sandbox.git(remote, 'log', '--oneline', '-1');
    expect(log).toContain('entente: import pacts castle-client@1.0.0 → castle-service');
  });

  it('verifies the imported contract against castle-service by its matching rules', async () => {
    const service = await startCastleService({ stateEndpoint: '/_states' });
    try {
      const result = await verify(service.url);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('All 1 interaction passed');
      expect(result.code).toBe(0);
    } finally {
      await service.close();
    }
  });

  it('fails, naming the rule, when the provider breaks it (yearBuilt no longer an integer)', async () => {
    const service = await startCastleService({
      stateEndpoint: '/_states',
      present: (response) =>
        response.operation === 'getCastle' && response.status === 200
          ? { ...response, body: { ...(response.body as object), yearBuilt: '1519' } }
          : response,
    });
    try {
      const result = await verify(service.url);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('$.yearBuilt: expected an integer, got "1519"');
    } finally {
      await service.close();
    }
  });

  it('redacts the secrets a pact file holds before anything reaches the repository', async () => {
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const withSecrets = {
      ...structuredClone(castlePact),
      consumer: { name: 'secret-client' },
      interactions: [
        {
          ...structuredClone(castlePact.interactions[0]!),
          providerStates: [
            { name: 'castle 123 exists', params: { id: CASTLE_123, apiKey: 'state-key-0123456789' } },
          ],
          request: {
            method: 'POST',
            path: '/login',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            query: { key: ['query-key-0123456789'] },
            body: { user: 'ann', password: 'hunter2-but-longer' },
          },
        },
      ],
    };
    writeFileSync(join(cwd, 'secrets.json'), JSON.stringify(withSecrets));
    const result = await runCli(['import-pact', 'secrets.json', '--consumer-version', '1.0.0'], { cwd, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const history = await sandbox.git(remote, 'log', '-p', '--all');
    expect(history).toContain('secret-client');
    for (const secret of [token, 'state-key-0123456789', 'query-key-0123456789', 'hunter2-but-longer'])
      expect(history).not.toContain(secret);
  });
});
