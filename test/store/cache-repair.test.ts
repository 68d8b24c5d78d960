/**
 * A cache repository that is half-written or corrupt recovers by itself:
 * the next command rebuilds it from the remote and says so, naming the cache.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let remote: string;
let cwd: string;
let env: Record<string, string>;
let cache: string;

const deploy = (service: string) =>
  runCli(
    [
      'record-deployment',
      '--service',
      service,
      '--version',
      '1.0.0',
      '--environment',
      'production',
      '--new-environment',
      '--allow-unknown-version',
    ],
    { cwd, env },
  );
const deployed = async () =>
  (await sandbox.git(remote, 'ls-tree', '--name-only', 'main', 'environments/production/'))
    .trim()
    .split('\n');

beforeAll(async () => {
  sandbox = createSandbox();
  remote = await sandbox.bareRemote();
  cwd = sandbox.dir('job');
  mkdirSync(cwd);
  env = { ...sandbox.env, ENTENTE_CONTRACTS: remote };
  expect((await deploy('first')).code).toBe(0);
  const repos = join(env.ENTENTE_CACHE_DIR!, 'repos');
  cache = join(repos, readdirSync(repos)[0]!);
});
afterAll(() => sandbox.cleanup());

describe('a broken cache repository', () => {
  it('half-written (no HEAD): rebuilt, and the write goes through', async () => {
    rmSync(join(cache, 'HEAD'));
    const run = await deploy('second');
    expect(run.code, run.stderr).toBe(0);
    expect(await deployed()).toEqual([
      'environments/production/first.json',
      'environments/production/second.json',
    ]);
  });

  it('corrupt (its object store replaced by a file): rebuilt with a warning naming the cache, not the remote', async () => {
    rmSync(join(cache, 'objects'), { recursive: true });
    writeFileSync(join(cache, 'objects'), 'not a folder\n');
    const run = await deploy('third');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`the cache ${cache} could not be used (`);
    expect(run.stderr).toContain(`rebuilt it from ${remote}`);
    expect(await deployed()).toHaveLength(3);
    const gate = await runCli(
      ['can-i-deploy', '--service', 'third', '--version', '1.0.0', '--environment', 'production'],
      { cwd, env },
    );
    expect(gate.stderr).not.toContain('could not be used');
    await sandbox.git(cache, 'fsck');
  });
});
