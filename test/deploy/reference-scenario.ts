/**
 * The reference scenario's world (PRODUCT.md): Team Contractors provides
 * `GET /contractor` (`available`, `stock`); Team Odd Jobs relies on
 * `available`, Team Materials on `stock`. Every team works through its own
 * cache of one bare remote; contracts are made by the real recording core.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createMockHandler } from '../../src/mock/handler.js';
import { type FixtureRecord, VerificationRecord } from '../../src/model/records.js';
import { readProviderSpec } from '../../src/provider-spec/read.js';
import { publishPending } from '../../src/record/publish.js';
import { createRecorder, withRecording } from '../../src/record/recorder.js';
import { layout, POLICY_FILE } from '../../src/store/layout.js';
import { ContractsStore } from '../../src/store/store.js';
import { type CliResult, runCli } from '../helpers/cli.js';
import type { Sandbox } from '../helpers/sandbox.js';

export const NOW = '2026-03-01T12:00:00.000Z';

export function contractorsSpec(stockType: 'string' | 'integer'): string {
  return `openapi: 3.0.3
info: { title: Contractors, version: '1' }
paths:
  /contractor:
    get:
      operationId: getContractor
      responses:
        '200':
          description: The contractor on duty
          content:
            application/json:
              schema:
                type: object
                required: [name, available, stock]
                properties:
                  name: { type: string }
                  available: { type: boolean }
                  stock: { type: ${stockType} }
`;
}

export interface World {
  remote: string;
  cwd: string;
  env: Record<string, string>;
  /** The real CLI, run in a project folder against the shared remote. */
  cli(...args: string[]): Promise<CliResult>;
  /** A store acting as one team (its own cache of the remote). */
  team(name: string): Promise<ContractsStore>;
  /** publish-spec through the real CLI; stderr has its breaking-change warning, if any. */
  publishSpec(version: string, stockType: 'string' | 'integer'): Promise<CliResult>;
  /**
   * A consumer's test run against a mock of contractors' latest spec, served
   * from a partial local fixture (so the consumer relies on exactly the fields
   * it lists), recorded and published as that consumer version's contract.
   * The mock is built from contractors' latest spec, or from `specVersion`'s.
   */
  recordContract(
    consumer: string,
    version: string,
    body: Record<string, unknown>,
    specVersion?: string,
  ): Promise<string>;
  deploy(service: string, version: string, environment: string): Promise<void>;
  writePolicy(yaml: string): Promise<void>;
  writeVerification(
    record: Omit<VerificationRecord, 'verifiedAt' | 'interactions'> & { mismatch?: string },
  ): Promise<void>;
}

export async function createWorld(sandbox: Sandbox): Promise<World> {
  const remote = await sandbox.bareRemote();
  const cwd = sandbox.dir('pipeline');
  mkdirSync(cwd);
  const env = { ...sandbox.env, ENTENTE_CONTRACTS: remote, ENTENTE_NOW: NOW };
  const stores = new Map<string, ContractsStore>();
  const environments = new Set<string>();
  const cli = (...args: string[]) => runCli(args, { cwd, env });
  const team = async (name: string) => {
    let store = stores.get(name);
    if (!store) {
      store = await ContractsStore.open({
        location: { kind: 'path', path: remote },
        branch: 'main',
        cacheDir: join(sandbox.root, `cache-${name}`),
        env: sandbox.env,
      });
      stores.set(name, store);
    }
    return store;
  };
  const ok = (result: CliResult) => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  };
  return {
    remote,
    cwd,
    env,
    cli,
    team,
    async publishSpec(version, stockType) {
      const file = join(cwd, `contractors-${version}.yaml`);
      writeFileSync(file, contractorsSpec(stockType));
      const result = await cli(
        'publish-spec',
        '--spec',
        file,
        '--service',
        'contractors',
        '--version',
        version,
        '--branch',
        'main',
      );
      expect(result.code).toBe(0);
      return result;
    },
    async recordContract(consumer, version, body, specVersion = 'latest') {
      const store = await team(consumer);
      const spec = await readProviderSpec(await store.snapshot(), 'contractors', specVersion);
      const fixture: FixtureRecord = {
        id: `${consumer}-contractor`,
        operation: 'getContractor',
        status: 'approved',
        priority: 3,
        source: 'manual',
        partial: true,
        data: { request: { method: 'GET', path: '/contractor' }, response: { status: 200, body } },
      };
      const pending = sandbox.dir(`${consumer}-pending`);
      const recorder = createRecorder({
        pendingDir: pending,
        consumer,
        consumerVersion: version,
        provider: 'contractors',
        providerVersion: spec.version,
        branch: 'main',
        now: () => NOW,
      });
      const mock = withRecording(
        createMockHandler({
          document: spec.document,
          localFixtures: [fixture],
          onInteraction: recorder.record,
        }),
        recorder,
      );
      const response = await mock.handle(new Request('http://contractors.test/contractor'));
      expect(response.status).toBe(200);
      expect(recorder.recorded).toBe(1);
      expect(mock.interactions[0]?.reliesOn).toEqual(Object.keys(body));
      const published = await publishPending(store, pending, { now: NOW });
      expect(published.contracts).toHaveLength(1);
      return published.contracts[0]!.hash;
    },
    async deploy(service, version, environment) {
      ok(
        await cli(
          'record-deployment',
          '--service',
          service,
          '--version',
          version,
          '--environment',
          environment,
          ...(environments.has(environment) ? [] : ['--new-environment']),
        ),
      );
      environments.add(environment);
    },
    async writePolicy(yaml) {
      await (await team('platform')).transact('test: policy', async ({ changes }) => {
        changes.write(POLICY_FILE, yaml);
      });
    },
    async writeVerification({ mismatch, ...record }) {
      await (await team('contractors')).transact('test: verification', async ({ changes }) => {
        changes.writeRecord(
          VerificationRecord,
          layout.verification(record.provider, record.providerVersion, record.contract),
          {
            ...record,
            verifiedAt: NOW,
            interactions: [
              {
                id: '0'.repeat(64),
                operation: 'getContractor',
                success: record.success,
                mismatches: mismatch
                  ? [
                      {
                        kind: 'response.body.type',
                        path: '$.available',
                        expected: 'boolean',
                        actual: 'string',
                        message: mismatch,
                      },
                    ]
                  : [],
              },
            ],
          },
        );
      });
    },
  };
}

/**
 * The scenario up to its breaking change: Contractors 1.0.0 and Materials
 * (relying on `stock`) deployed in production, then Contractors 2.0.0
 * published with `stock` an integer. Resolves to Materials' contract hash.
 */
export async function setUpBreakingChange(world: World): Promise<string> {
  await world.publishSpec('1.0.0', 'string');
  const materials = await world.recordContract('materials', '1.0.0', { stock: '12' });
  await world.deploy('contractors', '1.0.0', 'production');
  await world.deploy('materials', '1.0.0', 'production');
  await world.publishSpec('2.0.0', 'integer');
  return materials;
}

/** can-i-deploy through the real CLI. */
export function canIDeploy(
  world: World,
  service: string,
  version: string,
  environment: string,
  ...extra: string[]
) {
  return world.cli(
    'can-i-deploy',
    '--service',
    service,
    '--version',
    version,
    '--environment',
    environment,
    ...extra,
  );
}
