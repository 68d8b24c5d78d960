import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { BranchRecord } from '../../src/model/records.js';
import { ContractsStore } from '../../src/store/store.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(() => sandbox.cleanup());

const record = (service: string) => ({
  service,
  branch: 'main',
  latestVersion: '1.0.0',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

async function openStore(location: Parameters<typeof ContractsStore.open>[0]['location'], cache = 'cache') {
  return ContractsStore.open({
    location,
    branch: 'main',
    cacheDir: join(sandbox.root, cache),
    env: sandbox.env,
  });
}

describe('ContractsStore', () => {
  it('commits one change per transaction to a bare remote and reads it back from another cache', async () => {
    const remote = await sandbox.bareRemote();
    const writer = await openStore({ kind: 'path', path: remote }, 'cache-a');
    const outcome = await writer.transact('entente: test write a', async ({ changes }) => {
      changes.writeRecord(BranchRecord, 'services/a/branches/main.json', record('a'));
    });
    expect(outcome.committed).toBe(true);

    const reader = await openStore({ kind: 'path', path: remote }, 'cache-b');
    const snapshot = await reader.snapshot();
    expect(await snapshot.readRecord(BranchRecord, 'services/a/branches/main.json')).toEqual(record('a'));
    expect((await snapshot.list('services')).map((e) => e.name)).toEqual(['a']);
    expect(await sandbox.git(remote, 'log', '--format=%s', 'main')).toBe('entente: test write a\n');
  });

  it('makes no commit when the change is already there', async () => {
    const remote = await sandbox.bareRemote();
    const store = await openStore({ kind: 'path', path: remote });
    const write = () =>
      store.transact('entente: same', async ({ changes }) => {
        changes.writeRecord(BranchRecord, 'services/a/branches/main.json', record('a'));
      });
    expect((await write()).committed).toBe(true);
    expect((await write()).committed).toBe(false);
    expect((await sandbox.git(remote, 'rev-list', '--count', 'main')).trim()).toBe('1');
  });

  it('recomputes the change on the new head when another writer pushed first', async () => {
    const remote = await sandbox.bareRemote();
    const stores = await Promise.all(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((name) =>
        openStore({ kind: 'path', path: remote }, `cache-${name}`),
      ),
    );
    await Promise.all(
      stores.map((store, i) =>
        store.transact(`entente: write s${i}`, async ({ changes }) => {
          changes.writeRecord(BranchRecord, `services/s${i}/branches/main.json`, record(`s${i}`));
        }),
      ),
    );
    expect((await sandbox.git(remote, 'rev-list', '--count', 'main')).trim()).toBe('6');
    const files = (await sandbox.git(remote, 'ls-tree', '-r', '--name-only', 'main')).trim().split('\n');
    expect(files).toHaveLength(6);
  });

  it('refuses invalid records before anything is committed, naming the file and the field', async () => {
    const remote = await sandbox.bareRemote();
    const store = await openStore({ kind: 'path', path: remote });
    await expect(
      store.transact('entente: bad', async ({ changes }) => {
        changes.writeRecord(BranchRecord, 'services/a/branches/main.json', {
          ...record('a'),
          latestVersion: 'a/b',
        });
      }),
    ).rejects.toThrow(/services\/a\/branches\/main\.json: \/latestVersion must match pattern/);
    await expect(sandbox.git(remote, 'rev-parse', '--verify', 'main')).rejects.toThrow();
  });

  it('writes into a non-bare repository and keeps its files in step', async () => {
    const repo = sandbox.dir('plain');
    await sandbox.git(sandbox.root, 'init', '--quiet', repo);
    const store = await openStore({ kind: 'path', path: repo });
    await store.transact('entente: plain', async ({ changes }) => {
      changes.writeRecord(BranchRecord, 'services/a/branches/main.json', record('a'));
    });
    expect(await sandbox.git(repo, 'status', '--porcelain')).toBe('');
    expect(await sandbox.git(repo, 'show', 'HEAD:services/a/branches/main.json')).toContain(
      '"latestVersion": "1.0.0"',
    );
  });

  it('creates the default repository on first use', async () => {
    const path = join(sandbox.root, 'default', 'contracts');
    const store = await openStore({ kind: 'default', path });
    await store.transact('entente: first', async ({ changes }) => {
      changes.write('README.md', 'hello\n');
    });
    expect(await sandbox.git(path, 'log', '--format=%s')).toBe('entente: first\n');
  });

  it('refuses a location that is not a git repository', async () => {
    const folder = sandbox.dir('folder');
    await sandbox.git(sandbox.root, 'init', '--quiet', folder);
    const inner = join(folder, 'inner');
    writeFileSync(join(folder, 'file.txt'), 'x');
    await expect(openStore({ kind: 'path', path: inner })).rejects.toThrow(InputError);
    await expect(openStore({ kind: 'path', path: join(folder, 'file.txt') })).rejects.toThrow(/is a file/);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(inner);
    await expect(openStore({ kind: 'path', path: inner })).rejects.toThrow(/is not a git repository/);
  });
});
