import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLocalFixtures } from '../../src/fixtures/load.js';
import type { FixtureRecord } from '../../src/model/records.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import {
  cli,
  fixturesOnMain,
  NOW,
  openStore,
  pathWithGitOnly,
  publishCastleSpec,
  recordRun,
  serve,
} from './world.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(() => sandbox.cleanup());

const CASTLE = '/castles/550e8400-e29b-41d4-a716-446655440000';

async function setup() {
  const remote = await sandbox.bareRemote();
  const store = await openStore(sandbox, remote);
  await publishCastleSpec(store);
  const cwd = sandbox.dir('reviewer');
  mkdirSync(cwd);
  const env = { ENTENTE_CONTRACTS: remote, PATH: await pathWithGitOnly(sandbox) };
  const run = (...args: string[]) => cli(sandbox, cwd, env, args);
  const listJson = async (...args: string[]) => {
    const result = await run('fixtures', 'list', '--json', ...args);
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as { fixtures: FixtureRecord[] }).fixtures;
  };
  return { remote, store, cwd, run, listJson };
}

describe('the fixture workflow, with a bare remote and clones acting as teams', () => {
  it('drafts from a recorded run, approval by a pull-request branch, merge, then the mock serves them', async () => {
    const { remote, store, run, listJson } = await setup();
    await recordRun(sandbox, store, 'build-456', ['/castles', CASTLE]);
    // Another run is another consumer version: a published contract does not change under its version.
    await recordRun(sandbox, store, 'build-457', ['/castles?region=Bretagne'], '0.3.1');

    const drafts = await listJson('--service', 'castle-service', '--status', 'draft');
    expect(drafts).toHaveLength(3);
    const run456 = await listJson('--test-run', 'build-456');
    expect(run456.map((f) => f.operation).sort()).toEqual(['getCastle', 'listCastles']);
    expect(run456.every((f) => f.status === 'draft' && f.source === 'consumer' && f.priority === 1)).toBe(
      true,
    );
    const table = await run('fixtures', 'list', '--test-run', 'build-456');
    expect(table.stdout).toMatch(
      /^ID\s+SERVICE\s+OPERATION\s+STATUS\s+SOURCE\s+PRIORITY\s+CREATED\s+TEST RUN$/m,
    );
    expect(table.stdout).toContain('2 fixtures.');

    // Nothing approved yet: the mock generates.
    expect((await serve(store, '/castles')).servedFrom.kind).not.toBe('fixture');

    const approve = await run(
      'fixtures',
      'approve',
      '--test-run',
      'build-456',
      '--approved-by',
      'jane.smith',
    );
    expect(approve.code, approve.stderr).toBe(0);
    const branch = 'entente/fixtures/approve-build-456';
    expect(approve.stdout).toContain(`Pushed branch ${branch}`);
    expect(approve.stderr).toContain(
      `no pull request was opened: open a pull request from ${branch} into main`,
    );

    // Main is untouched until the branch is merged.
    expect(await fixturesOnMain(store, { status: 'approved' })).toEqual([]);
    expect((await serve(store, '/castles')).servedFrom.kind).not.toBe('fixture');

    // The branch's diff against main is exactly those status changes.
    const host = sandbox.dir('hosting-service');
    await sandbox.git(sandbox.root, 'clone', '--quiet', remote, host);
    const nameStatus = await sandbox.git(host, 'diff', '--name-status', 'origin/main', `origin/${branch}`);
    const expectedFiles = run456.map((f) => `M\tfixtures/castle-service/${f.operation}/${f.id}.json`).sort();
    expect(nameStatus.trim().split('\n').sort()).toEqual(expectedFiles);
    const stat = await sandbox.git(host, 'diff', '--stat', 'origin/main', `origin/${branch}`);
    expect(stat).toMatch(/2 files changed, 8 insertions\(\+\), 4 deletions\(-\)/);
    for (const before of run456) {
      const file = `fixtures/castle-service/${before.operation}/${before.id}.json`;
      const after = JSON.parse(await sandbox.git(host, 'show', `origin/${branch}:${file}`));
      expect(after).toEqual({ ...before, status: 'approved', approvedBy: 'jane.smith', approvedAt: NOW });
    }

    // The hosting service merges the pull request.
    await sandbox.git(host, 'merge', '--no-ff', '--quiet', '-m', 'Merge pull request #1', `origin/${branch}`);
    await sandbox.git(host, 'push', '--quiet', 'origin', 'main');

    const approved = await fixturesOnMain(store, { status: 'approved' });
    expect(approved.map((f) => f.id).sort()).toEqual(run456.map((f) => f.id).sort());
    const list = run456.find((f) => f.operation === 'listCastles')!;
    const served = await serve(store, '/castles');
    expect(served.servedFrom).toEqual({ kind: 'fixture', fixtureId: list.id, partial: false });
    expect(served.body).toEqual(list.data.response.body);
    expect((await serve(store, CASTLE)).servedFrom.kind).toBe('fixture');

    // A second approval of the same run finds nothing to do and pushes no branch.
    const again = await run('fixtures', 'approve', '--test-run', 'build-456', '--approved-by', 'jane.smith');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to approve');

    // --direct commits to main at once; a deprecated fixture stops being served.
    const deprecate = await run(
      'fixtures',
      'deprecate',
      '--fixture-id',
      list.id.slice(0, 14),
      '--reason',
      'API structure changed in v2',
      '--direct',
    );
    expect(deprecate.code, deprecate.stderr).toBe(0);
    expect(deprecate.stdout).toMatch(/Deprecated: 1 fixture on main \(commit [0-9a-f]{12}\)/);
    expect((await serve(store, '/castles')).servedFrom.kind).not.toBe('fixture');
    expect((await serve(store, CASTLE)).servedFrom.kind).toBe('fixture');
    const show = await run('fixtures', 'show', '--fixture-id', list.id, '--json');
    expect(JSON.parse(show.stdout).fixture).toMatchObject({
      status: 'deprecated',
      deprecationReason: 'API structure changed in v2',
    });

    const reject = await run(
      'fixtures',
      'reject',
      '--test-run',
      'build-457',
      '--notes',
      'flaky data',
      '--direct',
    );
    expect(reject.code, reject.stderr).toBe(0);
    expect((await fixturesOnMain(store, { testRun: 'build-457' }))[0]).toMatchObject({
      status: 'rejected',
      notes: 'flaky data',
    });
    const refused = await run(
      'fixtures',
      'reject',
      '--fixture-id',
      run456.find((f) => f !== list)!.id,
      '--direct',
    );
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(
      /cannot reject fixture .*: it is approved; deprecate an approved fixture instead/,
    );
  });

  it('serves local, then provider, then consumer fixtures; propose checks the spec', async () => {
    const { store, cwd, run, listJson } = await setup();
    await recordRun(sandbox, store, 'build-1', ['/castles']);
    const castle = (name: string) => [
      { id: '550e8400-e29b-41d4-a716-446655440000', name, region: 'Bretagne', yearBuilt: 1200 },
    ];
    const proposal = join(cwd, 'provider-fixtures.json');
    writeFileSync(
      proposal,
      JSON.stringify([
        {
          operation: 'listCastles',
          source: 'provider',
          data: {
            request: { method: 'GET', path: '/castles' },
            response: { status: 200, body: castle('From provider') },
          },
        },
      ]),
    );
    const proposed = await run(
      'fixtures',
      'propose',
      '--service',
      'castle-service',
      '--file',
      proposal,
      '--test-run',
      'verify-9',
    );
    expect(proposed.code, proposed.stderr).toBe(0);
    expect(proposed.stdout).toContain('Proposed 1 draft fixture for castle-service@1.0.0');
    const provider = (await fixturesOnMain(store, { source: 'provider' }))[0]!;
    expect(provider).toMatchObject({
      status: 'draft',
      priority: 2,
      serviceVersion: '1.0.0',
      createdFrom: { testRun: 'verify-9' },
    });
    const rerun = await run('fixtures', 'propose', '--service', 'castle-service', '--file', proposal);
    expect(rerun.stdout).toContain('Proposed 0 draft fixtures for castle-service@1.0.0 (1 already stored)');

    const approve = await run(
      'fixtures',
      'approve',
      '--service',
      'castle-service',
      '--created-after',
      'yesterday',
      '--approved-by',
      'ci',
      '--direct',
    );
    expect(approve.code, approve.stderr).toBe(0);
    const approved = await fixturesOnMain(store, { status: 'approved' });
    expect(approved.map((f) => f.source).sort()).toEqual(['consumer', 'provider']);

    const localFile = join(cwd, 'castle-service.json');
    writeFileSync(
      localFile,
      JSON.stringify([
        {
          operation: 'listCastles',
          data: {
            request: { method: 'GET', path: '/castles' },
            response: { status: 200, body: castle('From local') },
          },
        },
      ]),
    );
    const local = await readLocalFixtures(localFile, 'castle-service');
    expect((await serve(store, '/castles', local)).body).toEqual(castle('From local'));
    expect((await serve(store, '/castles')).body).toEqual(castle('From provider'));
    const consumer = approved.find((f) => f.source === 'consumer')!;
    const deprecated = await run(
      'fixtures',
      'deprecate',
      '--service',
      'castle-service',
      '--version',
      '1.0.0',
      '--reason',
      'v1 retired',
      '--direct',
    );
    expect(deprecated.code, deprecated.stderr).toBe(0);
    expect(deprecated.stdout).toContain(provider.id);
    expect((await serve(store, '/castles')).servedFrom).toEqual({
      kind: 'fixture',
      fixtureId: consumer.id,
      partial: false,
    });

    // Priority can be changed by review: a raised consumer fixture would win over a provider one.
    const update = await run(
      'fixtures',
      'update',
      '--fixture-id',
      consumer.id,
      '--priority',
      '5',
      '--notes',
      'canonical',
      '--direct',
    );
    expect(update.code, update.stderr).toBe(0);
    expect((await listJson('--status', 'approved'))[0]).toMatchObject({
      id: consumer.id,
      priority: 5,
      notes: 'canonical',
    });

    // Filters on creation time, relative to ENTENTE_NOW.
    expect(await listJson('--created-before', 'yesterday')).toEqual([]);
    expect(await listJson('--created-after', '7 days ago')).toHaveLength(2);
    const badDate = await run('fixtures', 'list', '--created-after', 'last tuesday');
    expect(badDate.code).toBe(3);
    expect(badDate.stderr).toContain('--created-after: "last tuesday" is not a date');

    // A proposal must fit the provider's spec.
    const wrong = join(cwd, 'wrong.json');
    writeFileSync(
      wrong,
      JSON.stringify({
        operation: 'listCastles',
        data: {
          request: { method: 'GET', path: '/castles' },
          response: { status: 200, body: [{ ...castle('x')[0], yearBuilt: 'old' }] },
        },
      }),
    );
    const invalid = await run('fixtures', 'propose', '--service', 'castle-service', '--file', wrong);
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toMatch(
      /wrong\.json#\/0: does not fit castle-service@1\.0\.0's spec: \/data\/response\/body\/0\/yearBuilt must be integer/,
    );
    writeFileSync(
      wrong,
      JSON.stringify({
        operation: 'listDragons',
        data: { request: { method: 'GET', path: '/castles' }, response: { status: 200 } },
      }),
    );
    const unknown = await run('fixtures', 'propose', '--service', 'castle-service', '--file', wrong);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('the spec has no operation "listDragons"');
  });
});
