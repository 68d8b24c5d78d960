import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BranchRecord, DeploymentRecord } from '../../src/model/records.js';
import { ContractsStore } from '../../src/store/store.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let daemon: ChildProcess | undefined;
beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(() => {
  daemon?.kill();
  sandbox.cleanup();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    }).finally(() => undefined);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`git daemon did not listen on ${port}`);
}

describe('a contracts repository behind a remote URL', () => {
  it('is written and read through cached clones, like a path', async () => {
    const bare = await sandbox.bareRemote();
    const port = await freePort();
    daemon = spawn(
      'git',
      [
        'daemon',
        '--reuseaddr',
        '--export-all',
        '--enable=receive-pack',
        `--base-path=${dirname(bare)}`,
        '--listen=127.0.0.1',
        `--port=${port}`,
        dirname(bare),
      ],
      { env: sandbox.env, stdio: 'ignore' },
    );
    await waitForPort(port);
    const url = `git://127.0.0.1:${port}/${basename(bare)}`;
    const open = (cache: string) =>
      ContractsStore.open({
        location: { kind: 'url', url },
        branch: 'main',
        cacheDir: join(sandbox.root, cache),
        env: sandbox.env,
      });

    const teamA = await open('cache-a');
    await teamA.transact(
      'entente: record-deployment castle-service@1.0.0 to production',
      async ({ changes }) => {
        changes.writeRecord(DeploymentRecord, 'environments/production/castle-service.json', {
          service: 'castle-service',
          environment: 'production',
          deployed: [{ version: '1.0.0', deployedAt: '2026-11-21T00:00:00.000Z' }],
          history: [{ action: 'deploy', version: '1.0.0', at: '2026-11-21T00:00:00.000Z' }],
        });
      },
    );
    const teamB = await open('cache-b');
    const snapshot = await teamB.snapshot();
    expect(
      (await snapshot.readRecord(DeploymentRecord, 'environments/production/castle-service.json'))?.deployed,
    ).toEqual([{ version: '1.0.0', deployedAt: '2026-11-21T00:00:00.000Z' }]);
    expect(await sandbox.git(bare, 'log', '--format=%s', 'main')).toBe(
      'entente: record-deployment castle-service@1.0.0 to production\n',
    );

    // With the remote gone, a read fails (exit 4) unless it asks for the cached copy, which says its age.
    daemon.kill();
    await new Promise((r) => setTimeout(r, 100));
    const warnings: string[] = [];
    const offline = await ContractsStore.open({
      location: { kind: 'url', url },
      branch: 'main',
      cacheDir: join(sandbox.root, 'cache-b'),
      env: sandbox.env,
      warn: (message) => warnings.push(message),
      now: () => new Date(Date.now() + 3_600_000),
    });
    await expect(offline.snapshot()).rejects.toMatchObject({ exitCode: 4, code: 'git.fetch' });
    const { source } = await offline.read('offline');
    expect(source).toMatchObject({ offline: true, commit: snapshot.commit });
    expect(source.ageSeconds).toBeGreaterThanOrEqual(3600);
    expect(warnings).toEqual([]);
    expect((await offline.snapshot('fresh-or-cached')).commit).toBe(snapshot.commit);
    expect(warnings[0]).toMatch(
      /could not fetch git:\/\/127\.0\.0\.1:\d+\/.*; reading the copy from the last successful fetch/,
    );
    await expect(
      offline.transact('entente: nothing', async ({ changes }) => {
        changes.writeRecord(BranchRecord, 'services/a/branches/main.json', {
          service: 'a',
          branch: 'main',
          latestVersion: '1',
          updatedAt: '2026-11-21T00:00:00.000Z',
        });
      }),
    ).rejects.toMatchObject({ exitCode: 4 });
  });
});

describe('the copy from the last successful fetch', () => {
  it('is the branch asked for, even when the cache fetched another branch since', async () => {
    const remote = await sandbox.bareRemote();
    const clone = sandbox.dir('branches');
    await sandbox.git(sandbox.root, 'clone', '--quiet', remote, clone);
    await sandbox.git(clone, 'commit', '--quiet', '--allow-empty', '-m', 'main');
    await sandbox.git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
    await sandbox.git(clone, 'commit', '--quiet', '--allow-empty', '-m', 'other');
    await sandbox.git(clone, 'push', '--quiet', 'origin', 'HEAD:other');
    const open = (branch: string, warn?: (message: string) => void) =>
      ContractsStore.open({
        location: { kind: 'path', path: remote },
        branch,
        cacheDir: join(sandbox.root, 'shared-cache'),
        env: sandbox.env,
        ...(warn ? { warn } : {}),
      });
    const main = (await (await open('main')).snapshot()).commit;
    const other = (await (await open('other')).snapshot()).commit;
    expect(main).not.toBe(other);

    const { renameSync } = await import('node:fs');
    renameSync(remote, `${remote}.gone`);
    const warnings: string[] = [];
    expect((await (await open('main', (m) => warnings.push(m))).snapshot('fresh-or-cached')).commit).toBe(
      main,
    );
    expect(warnings[0]).toMatch(/reading the copy from the last successful fetch/);
    expect((await (await open('other')).snapshot('fresh-or-cached')).commit).toBe(other);
  });
});

describe('a record that does not match its schema', () => {
  it('is reported with the file and the field', async () => {
    const remote = await sandbox.bareRemote();
    const clone = sandbox.dir('hand-edit');
    await sandbox.git(sandbox.root, 'clone', '--quiet', remote, clone);
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(clone, 'environments', 'production'), { recursive: true });
    writeFileSync(
      join(clone, 'environments', 'production', 'castle-service.json'),
      JSON.stringify({
        service: 'castle-service',
        environment: 'production',
        deployed: [{ version: 'a/b' }],
        history: [],
      }),
    );
    await sandbox.git(clone, 'add', '-A');
    await sandbox.git(clone, 'commit', '--quiet', '-m', 'hand edit');
    await sandbox.git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
    const store = await ContractsStore.open({
      location: { kind: 'path', path: remote },
      branch: 'main',
      cacheDir: join(sandbox.root, 'cache'),
      env: sandbox.env,
    });
    const snapshot = await store.snapshot();
    await expect(
      snapshot.readRecord(DeploymentRecord, 'environments/production/castle-service.json'),
    ).rejects.toThrow(
      /environments\/production\/castle-service\.json: \/deployed\/0\/deployedAt is required/,
    );
  });
});
