import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { ContractsStore } from '../../src/store/store.js';
import { type SelectOptions, selectContracts } from '../../src/verify/select.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { deploy, openStore, recordCastleClient } from './world.js';

let sandbox: Sandbox;
let store: ContractsStore;
let snapshot: Snapshot;
let current: string;
let previous: string;
let admin: string;

beforeAll(async () => {
  sandbox = createSandbox();
  store = await openStore(sandbox, await sandbox.bareRemote());
  const pendingRoot = sandbox.root;
  const record = async (
    version: string,
    options: { branch?: string; consumer?: string; narrow?: boolean } = {},
  ) =>
    (
      await recordCastleClient(store, {
        version,
        pendingRoot,
        ...options,
        ...(options.narrow ? { reliesOn: { listCastles: ['[].name'] } } : {}),
      })
    ).contracts[0]!.hash;
  previous = await record('0.9.0', { branch: 'release/0.9', narrow: true });
  current = await record('1.0.0');
  expect(await record('1.1.0')).toBe(current);
  admin = await record('2.0.0', { consumer: 'castle-admin', branch: 'master', narrow: true });
  await deploy(store, 'castle-client', '0.9.0', 'production');
  await deploy(store, 'castle-client', '1.0.0', 'staging');
  snapshot = await store.snapshot();
});

afterAll(() => sandbox.cleanup());

async function select(options: Partial<SelectOptions> = {}) {
  const targets = await selectContracts(snapshot, {
    provider: 'castle-service',
    mainBranches: ['main', 'master'],
    ...options,
  });
  return targets.map((t) => ({ consumer: t.consumer, hash: t.hash, versions: t.versions }));
}

describe('which contracts a provider verifies', () => {
  it("takes the latest contract of each consumer's main branches and every deployed version; identical contracts once", async () => {
    expect(await select()).toEqual(
      [
        {
          consumer: 'castle-admin',
          hash: admin,
          versions: [{ version: '2.0.0', reasons: [{ kind: 'branch', branch: 'master' }] }],
        },
        {
          consumer: 'castle-client',
          hash: current,
          versions: [
            { version: '1.1.0', reasons: [{ kind: 'branch', branch: 'main' }] },
            { version: '1.0.0', reasons: [{ kind: 'deployed', environment: 'staging' }] },
          ],
        },
        {
          consumer: 'castle-client',
          hash: previous,
          versions: [{ version: '0.9.0', reasons: [{ kind: 'deployed', environment: 'production' }] }],
        },
      ].sort((a, b) => a.consumer.localeCompare(b.consumer) || a.hash.localeCompare(b.hash)),
    );
  });

  it('narrows to what is deployed in an environment, and to a consumer or a consumer version', async () => {
    expect(await select({ environment: 'production' })).toEqual([
      {
        consumer: 'castle-client',
        hash: previous,
        versions: [{ version: '0.9.0', reasons: [{ kind: 'deployed', environment: 'production' }] }],
      },
    ]);
    expect((await select({ consumers: [{ consumer: 'castle-admin' }] })).map((t) => t.hash)).toEqual([admin]);
    expect(await select({ consumers: [{ consumer: 'castle-client', version: '1.0.0' }] })).toEqual([
      {
        consumer: 'castle-client',
        hash: current,
        versions: [{ version: '1.0.0', reasons: [{ kind: 'requested' }] }],
      },
    ]);
    expect(await select({ environment: 'staging', consumers: [{ consumer: 'castle-admin' }] })).toEqual([]);
    expect((await select({ mainBranches: ['main'] })).map((t) => t.consumer)).toEqual([
      'castle-client',
      'castle-client',
    ]);
  });

  it('names a consumer without contracts, or a consumer version without one', async () => {
    const unknown = select({ consumers: [{ consumer: 'castle-shop' }] });
    await expect(unknown).rejects.toThrow(InputError);
    await expect(unknown).rejects.toThrow(
      '--consumer: castle-shop has no contract with castle-service in the contracts repository',
    );
    await expect(select({ consumers: [{ consumer: 'castle-client', version: '0.1.0' }] })).rejects.toThrow(
      '--consumer: castle-client@0.1.0 has no contract with castle-service',
    );
  });
});
