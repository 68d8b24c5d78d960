/**
 * What the cache lacks is read from its pack indexes, listed once per
 * process: a pack fetched after the listing must still be seen (an object
 * called missing that the cache holds is fetched again, a request for
 * nothing), and an object never fetched must stay missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingObjects } from '../../src/store/objects.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let remote: string;

beforeAll(async () => {
  sandbox = createSandbox();
  remote = await sandbox.bareRemote();
  const work = sandbox.dir('work');
  await sandbox.git(sandbox.root, 'init', '--quiet', work);
  await sandbox.git(work, 'commit', '--quiet', '--allow-empty', '-m', 'start');
  await sandbox.git(work, 'push', '--quiet', remote, 'HEAD:main');
}, 30_000);
afterAll(() => sandbox.cleanup());

describe('missingObjects', () => {
  it('sees a pack fetched after it listed the packs, and keeps calling missing what never came', async () => {
    const cache = await sandbox.bareRemote('cache');
    const head = (await sandbox.git(remote, 'rev-parse', 'main')).trim();
    const tree = (await sandbox.git(remote, 'rev-parse', 'main^{tree}')).trim();
    expect(await missingObjects(cache, [head, tree])).toEqual([head, tree]);

    // Kept as a pack (git would unpack a fetch this small into loose objects).
    await sandbox.git(cache, '-c', 'fetch.unpackLimit=1', 'fetch', '--quiet', remote, 'main:refs/heads/main');
    expect(await missingObjects(cache, [head, tree])).toEqual([]);
    const never = 'f'.repeat(40);
    expect(await missingObjects(cache, [head, never])).toEqual([never]);
  });
});
