/**
 * Contracts already in contracts repositories keep working: a contract in
 * format 1 (before `format`, `reliance` and `allows` existed), committed here
 * as it was written, is read, passes the static check against its provider's
 * spec, and verifies against the real provider through the real CLI.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCastleService } from '../../examples/castle-service/service.js';
import { checkContractStatically } from '../../src/contract/static-check.js';
import { ContractRecord } from '../../src/model/records.js';
import { checkRecord } from '../../src/model/validate.js';
import { loadSpec } from '../../src/openapi/load.js';
import { contractHash } from '../../src/record/publish.js';
import { layout } from '../../src/store/layout.js';
import { updateVersion } from '../../src/store/versions.js';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { NOW, openStore, publishCastleSpec, SPEC_FILE } from './world.js';

const FIXTURE = new URL('../fixtures/contracts/castle-client.format-1.json', import.meta.url);
const contract = checkRecord(ContractRecord, JSON.parse(readFileSync(FIXTURE, 'utf8')), FIXTURE.pathname);

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = createSandbox();
  const remote = await sandbox.bareRemote();
  const store = await openStore(sandbox, remote);
  await publishCastleSpec(store);
  await store.transact('castle-client@1.0.0 contract, format 1', async (context) => {
    const hash = contractHash(contract);
    context.changes.writeRecord(
      ContractRecord,
      layout.contract('castle-service', 'castle-client', hash),
      contract,
    );
    await updateVersion(
      context,
      { service: 'castle-client', version: '1.0.0', branch: 'main' },
      NOW,
      (record) => ({
        ...record,
        contracts: { 'castle-service': { hash, publishedAt: NOW } },
      }),
    );
  });
  cwd = sandbox.dir('provider');
  mkdirSync(cwd);
  env = { ...sandbox.env, ENTENTE_CONTRACTS: remote, ENTENTE_NOW: '2026-11-21T12:00:00.000Z' };
});

afterAll(() => sandbox.cleanup());

describe('a format 1 contract', () => {
  it('is read as it is: no format, no reliance, no allows', () => {
    expect(contract.format).toBeUndefined();
    expect(contract.interactions.map((i) => i.response.reliance ?? i.response.allows)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('passes the static check against the spec it was recorded from', async () => {
    const spec = await loadSpec(SPEC_FILE);
    expect(checkContractStatically(contract, spec.document)).toEqual([]);
  });

  it('verifies against the real provider through the CLI', async () => {
    const provider = await startCastleService({ stateEndpoint: '/_entente/state' });
    try {
      const args = ['verify', '--provider', 'castle-service', '--version', '1.0.0'];
      const result = await runCli(
        [
          ...args,
          '--base-url',
          provider.url,
          '--state-url',
          `${provider.url}/_entente/state`,
          '--no-publish',
          '--fail-on-pending',
        ],
        { cwd, env },
      );
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('✔ All 4 interactions passed.');
      expect(result.code).toBe(0);
    } finally {
      await provider.close();
    }
  });

  it('still fails a provider that drops a field it relies on', async () => {
    const provider = await startCastleService({
      stateEndpoint: '/_entente/state',
      present: (response) => {
        if (response.operation !== 'createCastle' || response.status !== 201) return response;
        const { name: _, ...rest } = response.body as Record<string, unknown>;
        return { ...response, body: rest };
      },
    });
    try {
      const result = await runCli(
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
          '--fail-on-pending',
        ],
        { cwd, env },
      );
      expect(result.stdout).toContain('$.name: missing');
      expect(result.code).toBe(1);
    } finally {
      await provider.close();
    }
  });
});
