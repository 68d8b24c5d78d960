/**
 * Mocks read the contracts repository once per `entente record` run, and once
 * per short window inside one process, however many a test suite creates.
 * Counted from git's own trace of the fetches it ran.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { type ConsumerWorld, createConsumerWorld } from './world.js';

const DIST = new URL('../../dist/index.js', import.meta.url).href;

/** Three tests, each with its own mock, as a consumer's suite would have them. */
const SUITE = `
import { createMock } from ${JSON.stringify(DIST)};
for (let test = 0; test < 3; test++) {
  const mock = await createMock('castle-service', '1.0.0');
  const response = await fetch(mock.url + '/castles');
  if (response.status !== 200) throw new Error('got ' + response.status);
  await mock.close();
}
`;

let world: ConsumerWorld;
beforeAll(async () => {
  world = await createConsumerWorld();
  writeFileSync(join(world.project, 'suite.mjs'), SUITE);
});
afterAll(() => world.cleanup());

/** Fetches of the contracts branch's head that git ran (not the batched file fetches, which name no branch). */
function headFetches(trace: string): number {
  return trace.split('\n').filter((line) => /built-in: git .*fetch .*refs\/heads\/main:/.test(line)).length;
}

describe('mocks share one read of the contracts repository', () => {
  it('under entente record: the run fetches once, its mocks none, publishing once more', async () => {
    const trace = join(world.sandbox.root, 'record-trace.log');
    const run = await runCli(['record', '--', 'node', 'suite.mjs'], {
      cwd: world.project,
      env: { ...world.env, GIT_TRACE: trace },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Published castle-client@0\.1\.0 → castle-service: 1 interaction/);
    expect(headFetches(readFileSync(trace, 'utf8'))).toBe(2);
  });

  it('in one process, outside entente record: three mocks, one fetch', async () => {
    const trace = join(world.sandbox.root, 'process-trace.log');
    const code = await new Promise<number | null>((resolve) =>
      execFile(
        process.execPath,
        ['suite.mjs'],
        { cwd: world.project, env: { ...world.env, GIT_TRACE: trace } },
        (error) => resolve(error ? ((error as { code?: number }).code ?? 1) : 0),
      ),
    );
    expect(code).toBe(0);
    expect(headFetches(readFileSync(trace, 'utf8'))).toBe(1);
  });
});
