import { execFile } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractRecord, VersionRecord } from '../../src/model/records.js';
import { layout } from '../../src/store/layout.js';
import { runCli, startCli } from '../helpers/cli.js';
import { CASTLE_ID } from '../mock/castles.js';
import { type ConsumerWorld, createConsumerWorld, pendingFiles } from './world.js';

const exec = promisify(execFile);
const DIST = new URL('../../dist/index.js', import.meta.url).href;

/** A consumer's test file: one request against the mock, then pass or fail. */
const TEST_SCRIPT = `
import { createMock } from ${JSON.stringify(DIST)};
const [outcome, path] = process.argv.slice(2);
const mock = await createMock('castle-service', '1.0.0');
try {
  const response = await fetch(mock.url + path);
  console.log('test got', response.status);
} finally {
  await mock.close();
}
process.exitCode = outcome === 'pass' ? 0 : 1;
`;

let world: ConsumerWorld;
let cli: (args: string[], env?: Record<string, string>) => ReturnType<typeof runCli>;
beforeAll(async () => {
  world = await createConsumerWorld();
  writeFileSync(join(world.project, 'some-test.mjs'), TEST_SCRIPT);
  cli = (args, env = {}) => runCli(args, { cwd: world.project, env: { ...world.env, ...env } });
});
afterAll(() => world.cleanup());

async function contractOf(version: string): Promise<ContractRecord | undefined> {
  const snapshot = await (await world.openStore()).snapshot();
  const record = await snapshot.readRecord(VersionRecord, layout.version('castle-client', version));
  const hash = record?.contracts?.['castle-service']?.hash;
  return hash
    ? snapshot.readRecord(ContractRecord, layout.contract('castle-service', 'castle-client', hash))
    : undefined;
}

const paths = (contract: ContractRecord | undefined) =>
  (contract?.interactions ?? [])
    .map(
      (i) =>
        `${i.request.path}${i.request.query ? `?${new URLSearchParams(i.request.query as Record<string, string>)}` : ''}`,
    )
    .sort();

describe('entente record', () => {
  it('keeps a failing exit code and publishes nothing; publishes its own run when the command passes; --always publishes anyway', async () => {
    const failed = await cli(['record', '--', 'node', 'some-test.mjs', 'fail', '/castles?region=Centre']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('test got 200');
    expect(failed.stdout).toMatch(/The command failed \(exit 1\): nothing published/);
    expect(await contractOf('0.1.0')).toBeUndefined();
    expect(pendingFiles(world.project)).toHaveLength(1);

    const passed = await cli([
      'record',
      '--test-run',
      'run-2',
      '--',
      'node',
      'some-test.mjs',
      'pass',
      '/castles',
    ]);
    expect(passed.stderr).toBe('');
    expect(passed.code).toBe(0);
    expect(passed.stdout).toMatch(
      /✔ Published castle-client@0\.1\.0 → castle-service: 1 interaction \(contract [0-9a-f]{12}, stored\)/,
    );
    expect(passed.stdout).toMatch(/1 recording of other test runs still pending/);
    expect(paths(await contractOf('0.1.0'))).toEqual(['/castles']);

    // Another job of the same test run (a shard): --always publishes it although it failed, and it merges.
    const always = await cli([
      'record',
      '--always',
      '--test-run',
      'run-2',
      '--json',
      '--',
      'node',
      'some-test.mjs',
      'fail',
      `/castles/${CASTLE_ID}`,
    ]);
    expect(always.code).toBe(1);
    expect(JSON.parse(always.stdout)).toMatchObject({ published: 1, kept: 1, committed: true });
    expect(always.stderr).toContain('test got 200');
    expect(paths(await contractOf('0.1.0'))).toEqual(['/castles', `/castles/${CASTLE_ID}`]);

    // The first run's leftover is another run: it would change the published contract, so it is refused.
    const leftovers = await cli(['publish']);
    expect(leftovers.code).toBe(3);
    expect(leftovers.stderr).toContain('castle-client@0.1.0 → castle-service already has contract');
    expect(leftovers.stderr).toMatch(/new in this run: listCastles \(GET \/castles → 200\)/);
    expect(paths(await contractOf('0.1.0'))).toEqual(['/castles', `/castles/${CASTLE_ID}`]);
    expect(pendingFiles(world.project)).toHaveLength(1);

    // Nothing is deployed or verified yet: --replace makes that run's contract the version's.
    const replaced = await cli(['publish', '--replace']);
    expect(replaced.code).toBe(0);
    expect(paths(await contractOf('0.1.0'))).toEqual(['/castles?region=Centre']);
    expect(pendingFiles(world.project)).toEqual([]);
  });

  it('says when the command cannot be run', async () => {
    const result = await cli(['record', '--', 'no-such-command-entente']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/command not found: no-such-command-entente/);
  });
});

describe('entente publish', () => {
  it('exits 4 and keeps the recordings when the push fails; publishes them on the next run', async () => {
    const recorded = await exec(process.execPath, ['some-test.mjs', 'pass', '/castles?region=Loire'], {
      cwd: world.project,
      env: { ...world.env, ENTENTE_RECORD: 'true', ENTENTE_VERSION: '0.2.0' },
    });
    expect(recorded.stdout).toContain('test got 200');
    const before = pendingFiles(world.project);
    expect(before).toHaveLength(1);

    const hook = join(world.remote, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "protected branch" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const refused = await cli(['publish']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/could not push/);
    expect(pendingFiles(world.project)).toEqual(before);
    expect(readFileSync(before[0]!, 'utf8')).toContain('region');

    rmSync(hook);
    const published = await cli(['publish']);
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(/Published castle-client@0\.2\.0 → castle-service: 1 interaction/);
    expect(pendingFiles(world.project)).toEqual([]);
    expect((await cli(['publish'])).stdout).toMatch(/Nothing to publish/);
  });
});

describe('entente mock', () => {
  it('serves a provider on a port for any client until SIGTERM, recording what it answered', async () => {
    const { child, done } = startCli(['mock', 'castle-service@1.0.0', '--port', '0', '--record'], {
      cwd: world.project,
      env: world.env,
    });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk) => {
        stdout += chunk;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      done.then((result) => reject(new Error(`entente mock exited early: ${result.stderr}`)), reject);
    });
    expect(stdout).toMatch(
      /Mock of castle-service@1\.0\.0 listening on .* \(recording castle-client@0\.1\.0 into /,
    );

    const castle = await fetch(`${url}/castles/${CASTLE_ID}`);
    expect(castle.status).toBe(200);
    expect(await castle.json()).toMatchObject({ id: CASTLE_ID, name: expect.any(String) });
    const invalid = await fetch(`${url}/castles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Chenonceau' }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toBe('application/problem+json');
    expect(pendingFiles(world.project)).toHaveLength(1);

    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /Stopped \(SIGTERM\) after 2 exchanges; recordings wait in .*: publish them with `entente publish`/,
    );
    rmSync(join(world.project, '.entente'), { recursive: true, force: true });
  });
});
