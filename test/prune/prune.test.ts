import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../deploy/reference-scenario.js';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

/** Six months after the world's versions were made (reference-scenario's NOW). */
const LATER = '2026-09-01T00:00:00.000Z';

let sandbox: Sandbox;
let world: World;
const hashes: Record<string, string> = {};

async function tree(): Promise<string[]> {
  return (await sandbox.git(world.remote, 'ls-tree', '-r', '--name-only', 'main')).trim().split('\n');
}

async function head(): Promise<string> {
  return (await sandbox.git(world.remote, 'rev-parse', 'main')).trim();
}

/** Every verdict that a kept version's pipeline could ask for, without the fields that vary per run. */
async function verdicts(): Promise<unknown[]> {
  const asked = [
    ['contractors', '1.0.0'],
    ['contractors', '2.0.0'],
    ['materials', '1.0.0'],
    ['materials', '1.2.0'],
    ['odd-jobs', '1.0.0'],
  ];
  const answers = [];
  for (const [service, version] of asked) {
    const run = await world.cli(
      'can-i-deploy',
      '--service',
      service!,
      '--version',
      version!,
      '--environment',
      'production',
      '--json',
    );
    // The commit read differs before and after by design; the verdicts must not.
    const {
      attempts: _attempts,
      source: _source,
      ...result
    } = JSON.parse(run.stdout) as Record<string, unknown>;
    answers.push({ service, version, code: run.code, result });
  }
  return answers;
}

function prune(...args: string[]) {
  return runCli(['prune', ...args], { cwd: world.cwd, env: { ...world.env, ENTENTE_NOW: LATER } });
}

beforeAll(async () => {
  sandbox = createSandbox();
  world = await createWorld(sandbox);
  await world.publishSpec('1.0.0', 'string');
  await world.publishSpec('1.5.0', 'string'); // same spec as 1.0.0: the file stays with 1.0.0
  hashes.materialsOld = await world.recordContract('materials', '1.0.0', { stock: '12' });
  hashes.materialsDropped = await world.recordContract('materials', '1.1.0', { stock: '12', name: 'Ann' });
  hashes.materialsLatest = await world.recordContract('materials', '1.2.0', { stock: '12' });
  hashes.oddJobs = await world.recordContract('odd-jobs', '1.0.0', { available: true });
  await world.publishSpec('2.0.0', 'integer');
  await world.deploy('contractors', '1.0.0', 'production');
  await world.deploy('materials', '1.0.0', 'production');
  await world.deploy('odd-jobs', '1.0.0', 'production');
  const verification = { provider: 'contractors', consumer: 'materials' };
  await world.writeVerification({
    ...verification,
    providerVersion: '1.0.0',
    contract: hashes.materialsOld!,
    success: true,
  });
  await world.writeVerification({
    ...verification,
    providerVersion: '1.5.0',
    contract: hashes.materialsOld!,
    success: true,
  });
  await world.writeVerification({
    ...verification,
    providerVersion: '1.0.0',
    contract: hashes.materialsDropped!,
    success: true,
  });
}, 120_000);
afterAll(() => sandbox.cleanup());

describe('entente prune', () => {
  it('keeps what is deployed, the latest of main and everything a verdict reads; removes the rest in one commit', async () => {
    expect(hashes.materialsLatest).toBe(hashes.materialsOld);
    const before = await verdicts();
    const filesBefore = await tree();

    const headBefore = await head();
    const dry = await prune('--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(await head()).toBe(headBefore);
    const plan = JSON.parse(dry.stdout) as {
      versions: { service: string; version: string }[];
      files: { path: string }[];
    };
    expect(plan.versions.map((v) => `${v.service}@${v.version}`)).toEqual([
      'contractors@1.5.0',
      'materials@1.1.0',
    ]);

    const run = await prune();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Removed 2 versions and 5 files/);
    expect(await sandbox.git(world.remote, 'log', '-1', '--format=%s', 'main')).toMatch(
      /^entente: prune 2 versions created before 2026-06-03T00:00:00.000Z \(5 files\)/,
    );
    expect(await sandbox.git(world.remote, 'rev-list', '--count', `${headBefore}..main`)).toBe('1\n');

    const filesAfter = await tree();
    const removed = filesBefore.filter((f) => !filesAfter.includes(f)).sort();
    expect(removed).toEqual([
      `contracts/contractors/materials/${hashes.materialsDropped}.json`,
      'services/contractors/versions/1.5.0.json',
      'services/materials/versions/1.1.0.json',
      `verifications/contractors/1.0.0/${hashes.materialsDropped}.json`,
      `verifications/contractors/1.5.0/${hashes.materialsOld}.json`,
    ]);
    expect(plan.files.map((f) => f.path).sort()).toEqual(removed);
    expect(filesAfter).toContain(`contracts/contractors/materials/${hashes.materialsOld}.json`);
    expect(filesAfter).toContain(`verifications/contractors/1.0.0/${hashes.materialsOld}.json`);
    expect(filesAfter).toContain('services/contractors/versions/2.0.0.json');

    expect(await verdicts()).toEqual(before);

    const again = await prune();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Nothing to prune/);
  }, 120_000);

  it('refuses an age it cannot read, naming the flag', async () => {
    const run = await prune('--older-than', 'ninety days');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('--older-than');
  });
});
