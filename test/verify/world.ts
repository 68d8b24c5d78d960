/**
 * A contracts repository (a bare remote) holding castle-service's spec and the
 * contract castle-client recorded through the real recording core: its tests
 * run against an entente mock, each exchange becomes an interaction, waits in
 * the pending folder and is published.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyDeployment } from '../../src/deploy/deployments.js';
import { createMockHandler, type MockInteraction } from '../../src/index.js';
import { DeploymentRecord } from '../../src/model/records.js';
import { loadSpec } from '../../src/openapi/load.js';
import { publishSpec } from '../../src/provider-spec/publish.js';
import { type PublishResult, publishPending } from '../../src/record/publish.js';
import { createRecorder } from '../../src/record/recorder.js';
import { layout } from '../../src/store/layout.js';
import { ContractsStore } from '../../src/store/store.js';
import type { Sandbox } from '../helpers/sandbox.js';

export const SPEC_FILE = fileURLToPath(
  new URL('../../examples/castle-service/openapi.yaml', import.meta.url),
);
export const CASTLE_123 = '00000000-0000-4000-8000-000000000123';
export const NOW = '2026-11-21T10:00:00.000Z';

/**
 * What castle-client reads: ids and names of listed and created castles, and
 * everything it got from getCastle. (The mock's generated samples hold every
 * optional field; the client does not use them all.)
 */
export const CASTLE_CLIENT_RELIES_ON = { listCastles: ['[].id', '[].name'], createCastle: ['id', 'name'] };

export async function openStore(sandbox: Sandbox, remote: string): Promise<ContractsStore> {
  return ContractsStore.open({
    location: { kind: 'path', path: remote },
    branch: 'main',
    cacheDir: join(sandbox.root, 'cache'),
    env: sandbox.env,
  });
}

export async function publishCastleSpec(store: ContractsStore, version = '1.0.0'): Promise<void> {
  const spec = await loadSpec(SPEC_FILE);
  await publishSpec(store, spec, { service: 'castle-service', version, branch: 'main' }, { now: NOW });
}

/** castle-client's tests, run against the mock: what they exchange becomes its contract. */
export async function castleClientExchanges(): Promise<MockInteraction[]> {
  const spec = await loadSpec(SPEC_FILE);
  const exchanges: MockInteraction[] = [];
  const mock = createMockHandler({ document: spec.document, onInteraction: (i) => exchanges.push(i) });
  const base = 'http://castle-service.mock';
  const list = await mock.handle(new Request(`${base}/castles`));
  if (list.status !== 200) throw new Error(`listCastles: ${list.status}`);
  mock.given('castle 123 exists', { id: CASTLE_123 });
  await mock.handle(new Request(`${base}/castles/${CASTLE_123}`));
  await mock.handle(new Request(`${base}/castles/${CASTLE_123}`, { method: 'DELETE' }));
  mock.resetGiven();
  await mock.handle(
    new Request(`${base}/castles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer consumer-secret' },
      body: JSON.stringify({ name: 'Château de Blois', region: 'Centre-Val de Loire', yearBuilt: 1498 }),
    }),
  );
  return exchanges;
}

/** Records castle-client's (or another consumer's) contract for a version on `branch` and publishes it. */
export async function recordCastleClient(
  store: ContractsStore,
  options: {
    version: string;
    pendingRoot: string;
    consumer?: string;
    branch?: string;
    reliesOn?: Record<string, string[]>;
  },
): Promise<PublishResult> {
  const pendingDir = mkdtempSync(join(options.pendingRoot, 'pending-'));
  const recorder = createRecorder({
    pendingDir,
    consumer: options.consumer ?? 'castle-client',
    consumerVersion: options.version,
    provider: 'castle-service',
    branch: options.branch ?? 'main',
    reliesOn: options.reliesOn ?? {},
    now: () => NOW,
  });
  for (const exchange of await castleClientExchanges()) recorder.record(exchange);
  await recorder.flush();
  return publishPending(store, pendingDir, { now: NOW });
}

/** Records that `service@version` is deployed in `environment` (other versions stay). */
export async function deploy(store: ContractsStore, service: string, version: string, environment: string) {
  await store.transact(`deploy ${service}@${version} to ${environment}`, async ({ snapshot, changes }) => {
    const path = layout.deployment(environment, service);
    const { record } = applyDeployment(await snapshot.readRecord(DeploymentRecord, path), {
      service,
      environment,
      version,
      at: NOW,
      keepOthers: true,
    });
    changes.writeRecord(DeploymentRecord, path, record);
  });
}

/**
 * A provider team's CI job: castle-service's spec and castle-client's contract
 * published to a bare remote, and a working folder whose environment points
 * entente at it (with a fixed clock).
 */
export async function providerJob(sandbox: Sandbox): Promise<{ cwd: string; env: Record<string, string> }> {
  const remote = await sandbox.bareRemote();
  const store = await openStore(sandbox, remote);
  await publishCastleSpec(store);
  await recordCastleClient(store, {
    version: '1.0.0',
    pendingRoot: sandbox.root,
    reliesOn: CASTLE_CLIENT_RELIES_ON,
  });
  const cwd = sandbox.dir('provider');
  mkdirSync(cwd);
  return { cwd, env: { ...sandbox.env, ENTENTE_CONTRACTS: remote, ENTENTE_NOW: '2026-11-21T12:00:00.000Z' } };
}
