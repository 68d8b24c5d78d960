/**
 * can-i-deploy checks every deployed consumer's recorded requests against the
 * new provider spec. A spec pattern that backtracks exponentially in
 * JavaScript (`(a+)+$`) against a long recorded value stalled it for 85 s;
 * with linear-time patterns the real CLI answers at once. The CLI is killed
 * after a timeout, so a regression fails instead of hanging.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockHandler } from '../../src/mock/handler.js';
import { readProviderSpec } from '../../src/provider-spec/read.js';
import { publishPending } from '../../src/record/publish.js';
import { createRecorder, withRecording } from '../../src/record/recorder.js';
import { startCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { createWorld, NOW, type World } from './reference-scenario.js';

const spec = (pattern: string) => `openapi: 3.0.3
info: { title: Contractors, version: '1' }
paths:
  /contractor:
    get:
      operationId: getContractor
      parameters:
        - { name: q, in: query, schema: { type: string${pattern ? `, pattern: '${pattern}'` : ''} } }
      responses:
        '200':
          description: The contractor on duty
          content:
            application/json:
              schema: { type: object, properties: { name: { type: string } } }
`;

const LONG = `${'a'.repeat(5000)}!`;
let sandbox: Sandbox;
let world: World;

beforeAll(async () => {
  sandbox = createSandbox();
  world = await createWorld(sandbox);
});
afterAll(() => sandbox.cleanup());

async function publish(version: string, pattern: string) {
  const file = join(world.cwd, `contractors-${version}.yaml`);
  writeFileSync(file, spec(pattern));
  const result = await world.cli(
    'publish-spec',
    '--spec',
    file,
    '--service',
    'contractors',
    '--version',
    version,
    '--branch',
    'main',
  );
  expect(result.code).toBe(0);
}

describe('can-i-deploy with a hostile pattern', () => {
  it('answers at once when a recorded value meets (a+)+$', { timeout: 90_000 }, async () => {
    await publish('1.0.0', '');
    const store = await world.team('odd-jobs');
    const { document, version } = await readProviderSpec(await store.snapshot(), 'contractors', 'latest');
    const pending = sandbox.dir('odd-jobs-pending');
    const recorder = createRecorder({
      pendingDir: pending,
      consumer: 'odd-jobs',
      consumerVersion: '1.0.0',
      provider: 'contractors',
      providerVersion: version,
      branch: 'main',
      now: () => NOW,
    });
    const mock = withRecording(createMockHandler({ document, onInteraction: recorder.record }), recorder);
    expect((await mock.handle(new Request(`http://contractors.test/contractor?q=${LONG}`))).status).toBe(200);
    expect((await publishPending(store, pending, { now: NOW })).contracts).toHaveLength(1);
    await world.deploy('odd-jobs', '1.0.0', 'production');
    await world.deploy('contractors', '1.0.0', 'production');
    await publish('2.0.0', '(a+)+$');

    const { child, done } = startCli(
      ['can-i-deploy', '--service', 'contractors', '--version', '2.0.0', '--environment', 'production'],
      { cwd: world.cwd, env: world.env },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const result = await done.finally(() => clearTimeout(timer));
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toMatch(/odd-jobs/);
    expect(`${result.stdout}${result.stderr}`).toMatch(/pattern/);
  });
});
