/**
 * The cache is a partial clone when the remote serves filters (as GitHub and
 * GitLab do): the newest commit's trees, and only the files reads need. The
 * answers must be exactly those of a full clone, and a remote without filter
 * support must work as before.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/can-i-deploy/generate.mjs';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

const exec = promisify(execFile);
const VERSIONS = 12;
const LATEST = `1.0.${VERSIONS - 1}`;

let sandbox: Sandbox;
let filtering: string;
let plain: string;

function entente(remote: string, cache: string, ...args: string[]) {
  return runCli([...args, '--json'], {
    cwd: sandbox.root,
    env: { ...sandbox.env, ENTENTE_CONTRACTS: remote, ENTENTE_CACHE_DIR: cache },
  });
}

/** The answer, with the remote's path (the one thing that differs) replaced. */
async function answer(remote: string, cache: string, ...args: string[]) {
  const run = await entente(remote, cache, ...args);
  expect(run.stderr).toBe('');
  return { code: run.code, json: JSON.parse(run.stdout.replaceAll(remote, '<remote>')) as unknown };
}

function cacheRepo(cacheRoot: string): string {
  const [repo] = readdirSync(join(cacheRoot, 'repos'));
  return join(cacheRoot, 'repos', repo!);
}

/** The tree objects a repository holds (listing what is there never fetches). */
async function presentTrees(dir: string): Promise<number> {
  const listing = await exec('git', ['cat-file', '--batch-all-objects', '--batch-check=%(objecttype)'], {
    cwd: dir,
    env: sandbox.env,
    maxBuffer: 1 << 26,
  });
  return listing.stdout.split('\n').filter((type) => type === 'tree').length;
}

/** The trees of the head of `main`: its root and every folder. */
async function headTrees(dir: string): Promise<number> {
  return 1 + (await sandbox.git(dir, 'ls-tree', '-r', '-t', '-d', 'main')).split('\n').filter(Boolean).length;
}

async function missingBlobs(cacheRoot: string): Promise<{ missing: number; promisorPacks: number }> {
  const dir = cacheRepo(cacheRoot);
  const head = (
    await exec('git', ['rev-parse', 'refs/entente/last'], { cwd: dir, env: sandbox.env })
  ).stdout.trim();
  const listing = await exec('git', ['rev-list', '--objects', '--missing=print', '--no-walk', head], {
    cwd: dir,
    env: sandbox.env,
    maxBuffer: 1 << 26,
  });
  return {
    missing: listing.stdout.split('\n').filter((l) => l.startsWith('?')).length,
    promisorPacks: readdirSync(join(dir, 'objects', 'pack')).filter((f) => f.endsWith('.promisor')).length,
  };
}

beforeAll(async () => {
  sandbox = createSandbox();
  filtering = join(sandbox.root, 'filtering.git');
  await generate(filtering, { services: 12, versions: VERSIONS });
  await sandbox.git(filtering, 'config', 'uploadpack.allowFilter', 'true');
  plain = join(sandbox.root, 'plain.git');
  await sandbox.git(sandbox.root, 'clone', '--quiet', '--bare', '--no-local', filtering, plain);
}, 120_000);
afterAll(() => sandbox.cleanup());

/**
 * Makes one commit on both remotes (the same commit: the plain remote is a
 * copy of the filtering one) that removes a provider's verifications and
 * one consumer version's file, deep in the tree, as another writer could.
 */
async function changeDeepFiles(): Promise<void> {
  const work = join(sandbox.root, 'work');
  await sandbox.git(sandbox.root, 'clone', '--quiet', filtering, work);
  const verifications = (await sandbox.git(work, 'ls-files', '--', `verifications/svc-000/${LATEST}/`))
    .split('\n')
    .filter(Boolean);
  expect(verifications.length).toBeGreaterThan(0);
  await sandbox.git(
    work,
    'rm',
    '--quiet',
    '--',
    ...verifications,
    `services/svc-011/versions/${LATEST}.json`,
  );
  await sandbox.git(work, 'commit', '--quiet', '-m', 'another writer removes deep files');
  await sandbox.git(work, 'push', '--quiet', filtering, 'HEAD:main');
  await sandbox.git(work, 'push', '--quiet', plain, 'HEAD:main');
}

describe('reading through a partial clone', () => {
  const questions: [string, string[]][] = [
    [
      'can-i-deploy as a popular provider',
      ['can-i-deploy', '--service', 'svc-000', '--version', LATEST, '--environment', 'production'],
    ],
    [
      'can-i-deploy as a consumer',
      ['can-i-deploy', '--service', 'svc-011', '--version', LATEST, '--environment', 'staging'],
    ],
    ['status', ['status']],
    ['pending', ['pending', '--provider', 'svc-000']],
  ];

  it('gives the answers of a full clone, fetching only the files it reads', async () => {
    const partialCache = join(sandbox.root, 'cache-partial');
    const fullCache = join(sandbox.root, 'cache-full');
    for (const [name, args] of questions) {
      const partial = await answer(filtering, partialCache, ...args);
      const full = await answer(plain, fullCache, ...args);
      expect(partial, name).toEqual(full);
    }
    const partialState = await missingBlobs(partialCache);
    expect(partialState.promisorPacks).toBeGreaterThan(0);
    expect(partialState.missing).toBeGreaterThan(100);
    expect((await missingBlobs(fullCache)).missing).toBe(0);
  }, 120_000);

  it('reads the trees a change deep in the tree replaced, warm or cold, as a full clone does', async () => {
    const warmCache = join(sandbox.root, 'cache-partial');
    const fullCache = join(sandbox.root, 'cache-full');
    const before = await Promise.all(questions.map(([, args]) => answer(plain, fullCache, ...args)));
    await changeDeepFiles();
    for (const [index, [name, args]] of questions.entries()) {
      const full = await answer(plain, fullCache, ...args);
      expect(await answer(filtering, warmCache, ...args), `${name}, warm`).toEqual(full);
      const coldCache = join(sandbox.root, `cache-cold-after-change-${index}`);
      expect(await answer(filtering, coldCache, ...args), `${name}, cold`).toEqual(full);
      if (name.startsWith('can-i-deploy')) {
        // Only the folders it walked: a few of the commit's trees.
        expect(await presentTrees(cacheRepo(coldCache))).toBeLessThan((await headTrees(plain)) / 4);
      }
    }
    // The change is seen (the consumer's version is gone).
    const after = await Promise.all(questions.map(([, args]) => answer(plain, fullCache, ...args)));
    expect(after[1]).not.toEqual(before[1]);
  }, 120_000);

  it.each([
    ['not tree filters', 'uploadpackfilter.tree.allow', 'false'],
    ['tree filters no deeper than 0', 'uploadpackfilter.tree.maxDepth', '0'],
  ])(
    'a remote that serves filters but %s: whole trees, the same answers',
    async (_, key, value) => {
      const noTreeFilter = join(sandbox.root, `no-tree-filter-${key}.git`);
      await sandbox.git(sandbox.root, 'clone', '--quiet', '--bare', '--no-local', filtering, noTreeFilter);
      await sandbox.git(noTreeFilter, 'config', 'uploadpack.allowFilter', 'true');
      await sandbox.git(noTreeFilter, 'config', key, value);
      const cache = join(sandbox.root, `cache-no-tree-filter-${key}`);
      for (const [name, args] of questions) {
        const expected = await answer(plain, join(sandbox.root, 'cache-full'), ...args);
        expect(await answer(noTreeFilter, cache, ...args), name).toEqual(expected);
      }
      expect(await presentTrees(cacheRepo(cache))).toBe(await headTrees(plain));
      const state = await missingBlobs(cache);
      expect(state.promisorPacks).toBeGreaterThan(0);
      expect(state.missing).toBeGreaterThan(100);
    },
    120_000,
  );

  it('writes through a partial clone, and a fresh reader sees the write', async () => {
    const writerCache = join(sandbox.root, 'cache-writer');
    await answer(filtering, writerCache, 'status', '--no-matrix');
    const recorded = await entente(
      filtering,
      writerCache,
      'record-deployment',
      '--service',
      'svc-005',
      '--version',
      LATEST,
      '--environment',
      'production',
    );
    expect(recorded.stderr).toBe('');
    expect(recorded.code).toBe(0);
    expect(await sandbox.git(filtering, 'fsck', '--no-progress')).toBe('');
    const reader = await answer(
      filtering,
      join(sandbox.root, 'cache-reader'),
      'status',
      '--environment',
      'production',
      '--no-matrix',
    );
    const production = (
      reader.json as {
        environments: { environment: string; services: { service: string; versions: string[] }[] }[];
      }
    ).environments.find((e) => e.environment === 'production');
    expect(production?.services.find((s) => s.service === 'svc-005')?.versions).toEqual([LATEST]);
    const deployments = JSON.parse(
      (await sandbox.git(filtering, 'show', 'main:environments/production/svc-005.json')).toString(),
    ) as { deployed: { version: string }[] };
    expect(deployments.deployed.map((d) => d.version)).toEqual([LATEST]);
  }, 120_000);
});
