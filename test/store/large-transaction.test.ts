/**
 * A transaction as large as a prune of the 30,000-commit bench repository
 * (about 150,000 paths): it used to overflow the stack (`splice(0, n,
 * ...filtered)` spread every path into one call) and exit 4 with "Maximum
 * call stack size exceeded". Writes and removals went through the same code;
 * writes are the quicker to test (git fast-import takes 40 s to remove as
 * many files one by one: noted in bench/README.md).
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractsStore } from '../../src/store/store.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(() => sandbox.cleanup());

describe('a transaction of 150,000 paths', () => {
  it('writes them all in one commit', async () => {
    const remote = await sandbox.bareRemote();
    const store = await ContractsStore.open({
      location: { kind: 'path', path: remote },
      branch: 'main',
      cacheDir: join(sandbox.root, 'cache'),
      env: sandbox.env,
    });
    await store.transact('entente: first', async ({ changes }) => {
      changes.write('README.md', 'contracts\n');
    });
    const paths = Array.from({ length: 150_000 }, (_, i) => `many/${String(i % 300)}/${i}.json`);
    const written = await store.transact('entente: many', async ({ changes }) => {
      for (const path of paths) changes.write(path, `{"n":${path.length}}\n`);
    });
    expect(written.committed).toBe(true);
    // 500 in each of the 300 folders.
    expect(await sandbox.git(remote, 'ls-tree', '--name-only', 'main', '--', 'many/')).toMatch(
      /^(many\/\d+\n){300}$/,
    );
    expect(
      (await sandbox.git(remote, 'ls-tree', '--name-only', 'main', '--', 'many/7/')).split('\n').length,
    ).toBe(501);
  }, 120_000);
});
