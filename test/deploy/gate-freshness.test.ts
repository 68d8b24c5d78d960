/**
 * The deploy gate answers from the remote's current state or not at all: a
 * contracts remote that cannot be reached is exit 4 with no verdict, and
 * `--offline` answers from the last fetched copy, saying which commit and how
 * old it is.
 */
import { renameSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { canIDeploy, createWorld, setUpBreakingChange, type World } from './reference-scenario.js';

let sandbox: Sandbox;
let world: World;

beforeAll(async () => {
  sandbox = createSandbox();
  world = await createWorld(sandbox);
  await setUpBreakingChange(world);
}, 60_000);
afterAll(() => sandbox.cleanup());

const gate = (...extra: string[]) => canIDeploy(world, 'contractors', '2.0.0', 'production', ...extra);

describe('with the contracts remote gone (its path moved away)', () => {
  let head: string;
  beforeAll(async () => {
    // The pipeline's cache has fetched the remote before.
    expect((await gate()).code).toBe(1);
    head = (await sandbox.git(world.remote, 'rev-parse', 'main')).trim();
    renameSync(world.remote, `${world.remote}.moved`);
  });
  afterAll(() => renameSync(`${world.remote}.moved`, world.remote));

  it('can-i-deploy gives no verdict: exit 4, nothing on stdout', async () => {
    const run = await gate();
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`could not fetch ${world.remote}`);
    const json = await gate('--json');
    expect(json.code).toBe(4);
    const answer = JSON.parse(json.stdout);
    expect(answer.verdict).toBeUndefined();
    expect(answer.error).toMatchObject({ code: 'git.fetch', exitCode: 4 });
  });

  it('pending, record-deployment and verify fail the same way', async () => {
    const pending = await world.cli('pending', '--provider', 'contractors');
    expect(pending.code).toBe(4);
    expect(pending.stdout).toBe('');
    const deploy = await world.cli(
      'record-deployment',
      '--service',
      'contractors',
      '--version',
      '2.0.0',
      '--environment',
      'production',
    );
    expect(deploy.code).toBe(4);
    // verify chooses its contracts from the current state too: it stops before replaying anything.
    const verify = await world.cli(
      'verify',
      '--provider',
      'contractors',
      '--version',
      '2.0.0',
      '--base-url',
      'http://127.0.0.1:9',
    );
    expect(verify.code).toBe(4);
    expect(verify.stderr).toContain(`could not fetch ${world.remote}`);
  });

  it('--offline answers from the cached copy and says which commit and how old', async () => {
    const run = await gate('--offline');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✘ no: contractors@2.0.0 cannot be deployed to production');
    expect(run.stdout).toMatch(
      new RegExp(
        `Offline: answered from the copy of .* fetched at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(\\d+ seconds? ago\\), commit ${head.slice(0, 12)}; the remote was not contacted\\.`,
      ),
    );
    const json = await gate('--offline', '--json');
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout) as {
      verdict: string;
      source: { offline: boolean; commit: string; fetchedAt: string; ageSeconds: number };
    };
    expect(result.verdict).toBe('no');
    expect(result.source).toMatchObject({ offline: true, commit: head });
    expect(Date.parse(result.source.fetchedAt)).toBeLessThanOrEqual(Date.now());
    expect(result.source.ageSeconds).toBeGreaterThanOrEqual(0);
    const pending = await world.cli('pending', '--provider', 'contractors', '--offline', '--json');
    expect(JSON.parse(pending.stdout).source).toMatchObject({ offline: true, commit: head });
  });
});

describe('with the remote reachable', () => {
  it('the answer says it is not offline, and which commit it read', async () => {
    const json = await gate('--json');
    const head = (await sandbox.git(world.remote, 'rev-parse', 'main')).trim();
    expect(JSON.parse(json.stdout).source).toEqual({ offline: false, commit: head });
  });

  it('--offline with a cache that never fetched is exit 4, naming the cache', async () => {
    const cacheDir = sandbox.dir('empty-cache');
    const run = await runCli(
      [
        'can-i-deploy',
        '--service',
        'contractors',
        '--version',
        '2.0.0',
        '--environment',
        'production',
        '--offline',
      ],
      { cwd: world.cwd, env: { ...world.env, ENTENTE_CACHE_DIR: cacheDir } },
    );
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`--offline: the cache ${cacheDir}/repos/`);
    expect(run.stderr).toContain('holds no fetched copy of branch main');
  });
});
