/**
 * A published contract does not change under a deployed or verified consumer
 * version: shards of one test run merge, any other run is refused (exit 3,
 * saying what differs) unless --replace, itself refused once the version is
 * deployed or verified. Recordings go through the real recorder into a
 * pending folder; `entente publish` is the real CLI.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockHandler } from '../../src/mock/handler.js';
import type { FixtureRecord } from '../../src/model/records.js';
import { readProviderSpec } from '../../src/provider-spec/read.js';
import { createRecorder, withRecording } from '../../src/record/recorder.js';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { createWorld, NOW, type World } from './reference-scenario.js';

let sandbox: Sandbox;
let world: World;

beforeAll(async () => {
  sandbox = createSandbox();
  world = await createWorld(sandbox);
  await world.publishSpec('1.0.0', 'string');
}, 60_000);
afterAll(() => sandbox.cleanup());

/** One job of a consumer's test run: GET /contractor relying on `body`'s fields, left pending. */
async function record(pendingDir: string, version: string, testRun: string, body: Record<string, unknown>) {
  const spec = await readProviderSpec(
    await (await world.team('materials')).snapshot(),
    'contractors',
    '1.0.0',
  );
  const fixture: FixtureRecord = {
    id: `materials-${Object.keys(body).join('-')}`,
    operation: 'getContractor',
    status: 'approved',
    priority: 3,
    source: 'manual',
    partial: true,
    data: { request: { method: 'GET', path: '/contractor' }, response: { status: 200, body } },
  };
  const recorder = createRecorder({
    pendingDir,
    consumer: 'materials',
    consumerVersion: version,
    provider: 'contractors',
    providerVersion: '1.0.0',
    branch: 'main',
    testRun,
    now: () => NOW,
  });
  const mock = withRecording(
    createMockHandler({ document: spec.document, localFixtures: [fixture], onInteraction: recorder.record }),
    recorder,
  );
  expect((await mock.handle(new Request('http://contractors.test/contractor'))).status).toBe(200);
  await recorder.flush();
}

const publishFrom = (pendingDir: string, ...extra: string[]) =>
  runCli(['publish', ...extra], { cwd: world.cwd, env: { ...world.env, ENTENTE_PENDING_DIR: pendingDir } });
const contractOf = async (version: string) =>
  JSON.parse(await sandbox.git(world.remote, 'show', `main:services/materials/versions/${version}.json`))
    .contracts.contractors as { hash: string; testRun?: string };
const head = async () => (await sandbox.git(world.remote, 'rev-parse', 'main')).trim();

describe('a consumer version that already has a contract', () => {
  it('merges the shards of one test run into one contract', async () => {
    const shardA = sandbox.dir('shard-a');
    const shardB = sandbox.dir('shard-b');
    await record(shardA, '1.0.0', 'ci-41', { stock: '12' });
    await record(shardB, '1.0.0', 'ci-41', { available: true });
    expect((await publishFrom(shardA)).code).toBe(0);
    const first = await contractOf('1.0.0');
    expect(first.testRun).toBe('ci-41');
    const second = await publishFrom(shardB);
    expect(second.code).toBe(0);
    const merged = await contractOf('1.0.0');
    expect(merged.hash).not.toBe(first.hash);
    const contract = JSON.parse(
      await sandbox.git(world.remote, 'show', `main:contracts/contractors/materials/${merged.hash}.json`),
    );
    expect(
      contract.interactions.map((i: { response: { reliesOn: string[] } }) => i.response.reliesOn),
    ).toEqual(expect.arrayContaining([['stock'], ['available']]));
  });

  it('refuses a later run that recorded something else, saying what differs; the recordings stay pending', async () => {
    const before = await head();
    const later = sandbox.dir('later');
    await record(later, '1.0.0', 'ci-42', { name: 'Ann' });
    const run = await publishFrom(later);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('materials@1.0.0 → contractors already has contract');
    expect(run.stderr).toContain('published by test run ci-41, this is test run ci-42');
    expect(run.stderr).toContain('new in this run: getContractor (GET /contractor → 200)');
    expect(run.stderr).toContain(
      'published but not recorded by this run: getContractor (GET /contractor → 200)',
    );
    expect(run.stderr).toContain('pass --replace');
    expect(await head()).toBe(before);
    expect(readdirSync(later).length).toBeGreaterThan(0);
    // The same interactions again, from any run, change nothing and are fine.
    const again = sandbox.dir('again');
    await record(again, '1.0.0', 'ci-43', { stock: '12' });
    expect((await publishFrom(again)).code).toBe(0);
    expect(await head()).toBe(before);
  });

  it('--replace replaces it while the version is neither deployed nor verified, and is refused once deployed', async () => {
    const later = sandbox.dir('replace');
    await record(later, '1.0.0', 'ci-44', { name: 'Ann' });
    const replaced = await publishFrom(later, '--replace');
    expect(replaced.code).toBe(0);
    const contract = await contractOf('1.0.0');
    expect(contract.testRun).toBe('ci-44');
    await world.deploy('materials', '1.0.0', 'production');

    const before = await head();
    const again = sandbox.dir('replace-deployed');
    await record(again, '1.0.0', 'ci-45', { stock: '12' });
    const refused = await publishFrom(again, '--replace');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      `--replace: materials@1.0.0 → contractors is deployed in production; its contract ${contract.hash.slice(0, 12)} cannot be replaced`,
    );
    expect(await head()).toBe(before);
  });

  it('--replace is refused once a provider verified the contract', async () => {
    const first = sandbox.dir('v2-first');
    await record(first, '2.0.0', 'ci-50', { stock: '12' });
    expect((await publishFrom(first)).code).toBe(0);
    const { hash } = await contractOf('2.0.0');
    await world.writeVerification({
      provider: 'contractors',
      providerVersion: '1.0.0',
      contract: hash,
      consumer: 'materials',
      success: true,
    });
    const before = await head();
    const later = sandbox.dir('v2-later');
    await record(later, '2.0.0', 'ci-51', { name: 'Ann' });
    const refused = await publishFrom(later, '--replace');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      `--replace: materials@2.0.0 → contractors is verified by contractors@1.0.0; its contract ${hash.slice(0, 12)} cannot be replaced`,
    );
    expect(await head()).toBe(before);
  });
});
