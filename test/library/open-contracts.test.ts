/**
 * The library alone, as a user's script would use it: only the package entry is
 * imported, configuration comes from the options (never process.env), and the
 * whole flow — publish a spec, record a contract, deploy, ask the gate, read the
 * status — goes through one `openContracts` handle per project, against a real
 * bare git repository.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Contracts, InputError, openContracts } from 'entente-contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

const castleSpec = fileURLToPath(new URL('../../examples/castle-service/openapi.yaml', import.meta.url));

let sandbox: Sandbox;
let remote: string;
let env: Record<string, string>;
let provider: Contracts;
let consumer: Contracts;

const project = (name: string) => {
  const dir = sandbox.dir(name);
  mkdirSync(dir);
  return dir;
};

beforeAll(async () => {
  sandbox = createSandbox();
  remote = await sandbox.bareRemote();
  env = { ...sandbox.env, ENTENTE_PENDING_DIR: join(sandbox.root, 'pending') };
  const now = () => '2026-01-02T03:04:05.000Z';
  provider = await openContracts({
    contracts: remote,
    cwd: project('castle-service'),
    env,
    service: 'castle-service',
    version: '1.0.0',
    branch: 'main',
    now,
  });
  consumer = await openContracts({
    contracts: remote,
    cwd: project('castle-client'),
    env,
    service: 'castle-client',
    version: '0.3.0',
    branch: 'main',
    now,
  });
});
afterAll(() => sandbox.cleanup());

describe('openContracts', () => {
  it('publishes a spec, records a contract, deploys, gates and reports, with nothing but the handle', async () => {
    const published = await provider.publishSpec({ spec: castleSpec });
    expect(published).toMatchObject({
      service: 'castle-service',
      version: '1.0.0',
      breakingChanges: null,
      published: { outcome: 'published' },
    });

    // The first deployment to an environment introduces it, and says so.
    await expect(provider.recordDeployment({ environment: 'production' })).rejects.toMatchObject({
      code: 'input.environment-unknown',
    });
    const deployed = await provider.recordDeployment({ environment: 'production', newEnvironment: true });
    expect(deployed).toMatchObject({ recorded: true, versionKnown: true });

    // The consumer's tests, against a mock served from the published spec, recording.
    {
      await using mock = await consumer.createMock('castle-service', 'latest', { record: true });
      const response = await fetch(`${mock.url}/castles`);
      expect(response.status).toBe(200);
    }
    const contracts = await consumer.publish();
    expect(contracts.contracts).toMatchObject([
      { consumer: 'castle-client', consumerVersion: '0.3.0', provider: 'castle-service', interactions: 1 },
    ]);

    const gate = await consumer.canIDeploy({ environment: 'production' });
    expect(gate.verdict).toBe('yes');
    expect(gate.pairs).toMatchObject([
      { consumer: 'castle-client', provider: 'castle-service', providerVersion: '1.0.0', verdict: 'yes' },
    ]);
    expect((await consumer.recordDeployment({ environment: 'production' })).recorded).toBe(true);

    const status = await provider.status({ matrix: true });
    expect(status.environments).toMatchObject([
      {
        environment: 'production',
        services: [
          { service: 'castle-client', versions: ['0.3.0'] },
          { service: 'castle-service', versions: ['1.0.0'] },
        ],
      },
    ]);
    expect(status.matrix?.[0]?.cells).toMatchObject([{ consumer: 'castle-client', verdict: 'yes' }]);

    const pending = await provider.pending();
    expect(pending.pending.map((p) => p.consumer)).toEqual(['castle-client']);

    // A version the repository has never heard of is recorded only when asked to.
    await expect(
      consumer.recordDeployment({ environment: 'production', version: '9.9.9' }),
    ).rejects.toMatchObject({
      code: 'input.version-unknown',
    });
    const unknown = await consumer.recordDeployment({
      environment: 'production',
      version: '9.9.9',
      allowUnknownVersion: true,
    });
    expect(unknown).toMatchObject({ recorded: true, versionKnown: false, replaced: ['0.3.0'] });
  });

  it('verifies, exports pacts, reads changes, writes the report and plans a prune through the same handle', async () => {
    // A mock of the provider stands in for the running provider: it answers as the spec says.
    {
      await using standIn = await provider.createMock('castle-service', '1.0.0', { record: false });
      const verified = await provider.verify({
        baseUrl: standIn.url,
        consumers: [{ consumer: 'castle-client' }],
      });
      expect(verified).toMatchObject({
        provider: 'castle-service',
        providerVersion: '1.0.0',
        success: true,
        summary: { contracts: 1, interactions: 1, passed: 1 },
        published: { committed: true, verifications: 1 },
      });
    }

    const pacts = await consumer.exportPacts();
    expect(pacts).toMatchObject([{ provider: 'castle-service', interactions: 1 }]);

    const changes = await provider.changes('HEAD~2', 'HEAD');
    expect(changes.commits).toHaveLength(2);

    const site = await provider.report({ out: join(sandbox.root, 'site') });
    expect(site.services).toBe(2);

    const plan = await provider.prune({ olderThan: new Date('2020-01-01'), dryRun: true });
    expect(plan).toMatchObject({ dryRun: true, committed: false, versions: [] });
  });

  it('proposes, lists, shows and approves fixtures through the same handle', async () => {
    writeFileSync(
      join(provider.config.cwd, 'provider-fixtures.json'),
      JSON.stringify([
        {
          operation: 'listCastles',
          source: 'provider',
          data: {
            request: { method: 'GET', path: '/castles' },
            response: {
              status: 200,
              body: [
                {
                  id: '550e8400-e29b-41d4-a716-446655440000',
                  name: 'From the library',
                  region: 'Bretagne',
                  yearBuilt: 1200,
                },
              ],
            },
          },
        },
      ]),
    );
    const proposed = await provider.proposeFixtures({ file: 'provider-fixtures.json', testRun: 'lib-1' });
    expect(proposed).toMatchObject({ service: 'castle-service', serviceVersion: '1.0.0' });
    expect(proposed.proposed).toHaveLength(1);
    const id = proposed.proposed[0]!.id;

    const drafts = await provider.listFixtures({ testRun: 'lib-1', status: 'draft' });
    expect(drafts.fixtures.map((f) => f.id)).toEqual([id]);
    expect((await provider.showFixture(id)).fixture).toMatchObject({ id, status: 'draft', priority: 2 });

    const review = await provider.reviewFixtures(
      { kind: 'approve', approvedBy: 'library-test' },
      { fixtureIds: [id] },
      { direct: true },
    );
    expect(review).toMatchObject({ action: 'approve', mode: 'direct', changes: [{ id, to: 'approved' }] });
    const approved = await provider.listFixtures({ testRun: 'lib-1', status: 'approved' });
    expect(approved.fixtures).toMatchObject([{ id, approvedBy: 'library-test' }]);
  });

  it('throws entente errors with their code and exit code for bad input', async () => {
    const error = await provider.recordDeployment({ environment: '../prod' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ exitCode: 3 });
    await expect(
      provider.report({ out: join(sandbox.root, 'nope'), webUrl: 'javascript:alert(1)' }),
    ).rejects.toMatchObject({
      code: 'input.web-url',
    });
  });

  it('reads configuration from the env option, not from process.env', async () => {
    vi.stubEnv('ENTENTE_SERVICE', 'from-process-env');
    vi.stubEnv('ENTENTE_CONTRACTS', join(sandbox.root, 'not-this.git'));
    try {
      const handle = await openContracts({
        cwd: project('elsewhere'),
        env: { ...env, ENTENTE_SERVICE: 'castle-service', ENTENTE_CONTRACTS: remote },
      });
      expect(handle.config.service).toBe('castle-service');
      expect(handle.location).toBe(remote);
      expect((await handle.status()).environments.map((e) => e.environment)).toEqual(['production']);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
