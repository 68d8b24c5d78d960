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

async function missingBlobs(cacheRoot: string): Promise<{ missing: number; promisorPacks: number }> {
  const [repo] = readdirSync(join(cacheRoot, 'repos'));
  const dir = join(cacheRoot, 'repos', repo!);
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
