import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catFileFor } from './cat-file.js';
import { gitRunner } from './git.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the tree walk of a partial clone', () => {
  it('fails once when a missing folder cannot be fetched, leaving no failure unheard, and tries again next time', async () => {
    const root = mkdtempSync(join(tmpdir(), 'entente-cat-file-'));
    dirs.push(root);
    const env = {
      PATH: process.env.PATH,
      HOME: root,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@example.invalid',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@example.invalid',
    };
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env }).toString().trim();
    const work = join(root, 'work');
    git(root, 'init', '--quiet', '--initial-branch=main', work);
    for (const folder of ['x', 'y']) {
      execFileSync('mkdir', ['-p', join(work, folder, 'deep')]);
      execFileSync('sh', ['-c', `echo '{}' > ${join(work, folder, 'deep', 'a.json')}`]);
    }
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', 'two folders');
    const remote = join(root, 'remote.git');
    git(root, 'clone', '--quiet', '--bare', work, remote);
    git(remote, 'config', 'uploadpack.allowFilter', 'true');
    const cache = join(root, 'cache.git');
    git(root, 'clone', '--quiet', '--bare', '--depth=1', '--filter=tree:1', `file://${remote}`, cache);
    const commit = git(cache, 'rev-parse', 'HEAD');
    git(cache, 'remote', 'set-url', 'origin', join(root, 'gone.git'));

    const unhandled: unknown[] = [];
    const listen = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listen);
    const catFile = catFileFor(gitRunner(cache, env));
    try {
      await expect(catFile.treesOf(commit, ['x', 'y'], true)).rejects.toThrow(/gone\.git|failed/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
      // The remote is back: the same walk now succeeds (the failure was not kept).
      git(cache, 'remote', 'set-url', 'origin', `file://${remote}`);
      const trees = await catFile.treesOf(commit, ['x', 'y'], true);
      expect(trees.get('x')?.map((entry) => entry.name)).toEqual(['deep']);
      expect(trees.get('y')?.map((entry) => entry.name)).toEqual(['deep']);
    } finally {
      process.off('unhandledRejection', listen);
      catFile.close();
    }
  }, 60_000);
});
