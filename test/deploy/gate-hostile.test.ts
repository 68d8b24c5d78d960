/**
 * Nothing a hostile or broken file in the contracts repository does can make
 * a yes. Each case is pushed to the bare remote from another clone, as anyone
 * with write access could, and the gate is asked again.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { canIDeploy, createWorld, setUpBreakingChange, type World } from './reference-scenario.js';

let sandbox: Sandbox;
let world: World;
let clone: string;
let base: string;
let materialsContract: string;

beforeAll(async () => {
  sandbox = createSandbox();
  world = await createWorld(sandbox);
  materialsContract = await setUpBreakingChange(world);
  clone = sandbox.dir('attacker');
  await sandbox.git(sandbox.root, 'clone', '--quiet', world.remote, clone);
  base = (await sandbox.git(clone, 'rev-parse', 'HEAD')).trim();
}, 60_000);
afterAll(() => sandbox.cleanup());
afterEach(async () => {
  await sandbox.git(clone, 'reset', '--quiet', '--hard', base);
  await sandbox.git(clone, 'clean', '-qfdx');
  await sandbox.git(clone, 'push', '--quiet', '--force', 'origin', 'HEAD:main');
});

async function push(files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(clone, path, '..'), { recursive: true });
    writeFileSync(join(clone, path), text);
  }
  await sandbox.git(clone, 'add', '-A');
  await sandbox.git(clone, 'commit', '--quiet', '-m', 'hostile');
  await sandbox.git(clone, 'push', '--quiet', 'origin', 'HEAD:main');
}

const read = (path: string) => readFileSync(join(clone, path), 'utf8');
const gate = () => canIDeploy(world, 'contractors', '2.0.0', 'production', '--json');

const verificationPath = () => `verifications/contractors/2.0.0/${materialsContract}.json`;
function verification(overrides: Record<string, unknown>, interaction: Record<string, unknown> = {}) {
  return JSON.stringify({
    provider: 'contractors',
    providerVersion: '2.0.0',
    contract: materialsContract,
    consumer: 'materials',
    verifiedAt: '2026-03-01T12:00:00.000Z',
    success: true,
    interactions: [
      { id: '0'.repeat(64), operation: 'getContractor', success: true, mismatches: [], ...interaction },
    ],
    ...overrides,
  });
}

describe('the breaking contractors@2.0.0 stays refused', () => {
  it('as a baseline: no (exit 1), materials and stock named', async () => {
    const run = await gate();
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).verdict).toBe('no');
  });

  it('with files whose names hold a newline, a NUL-like control byte or odd bytes beside the records', async () => {
    const deployment = read('environments/production/materials.json');
    const contract = read(`contracts/contractors/materials/${materialsContract}.json`);
    await push({
      'environments/production/evil\nmaterials.json': deployment,
      [`contracts/contractors/evil\nmaterials/${materialsContract}.json`]: contract,
      'environments/production/\u0001odd.json': deployment,
      'environments/production/caf\u00e9.json': deployment,
      [`verifications/contractors/2.0.0/${materialsContract}.json\nHEAD:entente.yml`]: verification({}),
    });
    const run = await gate();
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.verdict).toBe('no');
    expect(result.pairs.map((p: { consumer: string }) => p.consumer)).toEqual(['materials']);
    expect(result.ignoredFiles).toEqual(
      expect.arrayContaining([
        'environments/production/evil\nmaterials.json',
        'environments/production/café.json',
      ]),
    );
    expect(run.stderr).toContain('file names entente could not have written: ');
    expect(run.stderr).toContain('"environments/production/evil\\nmaterials.json"');
  });

  it('with a verification claiming success over failed interactions: a bad record, named (exit 3)', async () => {
    await push({
      [verificationPath()]: verification(
        {},
        {
          mismatches: [
            {
              kind: 'response.body.type',
              path: '$.stock',
              expected: 'integer',
              actual: 'string',
              message: 'x',
            },
          ],
        },
      ),
    });
    const run = await gate();
    expect(run.code).toBe(3);
    const { error } = JSON.parse(run.stdout);
    expect(error.code).toBe('record.disagrees');
    expect(error.message).toContain(
      `contracts repository file ${verificationPath()} disagrees with its path: interactions/0 is marked successful but records mismatches`,
    );
  });

  it('with a verification whose overall success contradicts its interactions', async () => {
    await push({ [verificationPath()]: verification({}, { success: false }) });
    const run = await gate();
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout).error.message).toContain('success is true but its interactions say failed');
  });

  it('with a passing verification of another provider version copied under 2.0.0', async () => {
    await push({ [verificationPath()]: verification({ providerVersion: '1.0.0' }) });
    const run = await gate();
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout).error.message).toContain(
      'providerVersion is "1.0.0" but the path says "2.0.0"',
    );
  });

  it("with the consumer's contract edited so it relies on nothing", async () => {
    const path = `contracts/contractors/materials/${materialsContract}.json`;
    const contract = JSON.parse(read(path));
    contract.interactions[0].response.reliesOn = [];
    await push({ [path]: JSON.stringify(contract) });
    const run = await gate();
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout).error.message).toContain(
      `contracts repository file ${path} disagrees with its path: its content hashes to`,
    );
  });

  it("with the provider's stored spec edited back to stock: string", async () => {
    const record = JSON.parse(read('services/contractors/versions/2.0.0.json'));
    const path = `services/contractors/specs/${record.spec.hash}.json`;
    await push({ [path]: read(path).replace('"integer"', '"string"') });
    const run = await gate();
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout).error.message).toContain(
      `contracts repository file ${path} disagrees with its path: its content hashes to`,
    );
  });

  it('with a deployment record of another service under materials.json', async () => {
    const path = 'environments/production/materials.json';
    const record = JSON.parse(read(path));
    await push({ [path]: JSON.stringify({ ...record, service: 'odd-jobs' }) });
    const run = await gate();
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout).error.message).toContain(
      `contracts repository file ${path} disagrees with its path: service is "odd-jobs" but the path says "materials"`,
    );
  });
});
