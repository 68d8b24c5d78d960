/**
 * Specs stored in the contracts repository by an older entente (or planted by
 * anyone with write access) were never refused for what publish-spec refuses
 * now. Every reader re-checks them: a pure `$ref` cycle is a bad record
 * (exit 3) naming the provider, the version and the cycle's pointers, never
 * a stack overflow, and never a yes from the gate.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layout } from '../../src/store/layout.js';
import { contentHash, prettyJson } from '../../src/util/canonical-json.js';
import { canIDeploy, contractorsSpec, createWorld, type World } from '../deploy/reference-scenario.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let world: World;

/** contractors@2.0.0's response schema is a pure cycle: Contractor → Duty → Contractor. */
const CYCLIC = {
  openapi: '3.0.3',
  info: { title: 'Contractors', version: '2' },
  paths: {
    '/contractor': {
      get: {
        operationId: 'getContractor',
        responses: {
          '200': {
            description: 'The contractor on duty',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Contractor' } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Contractor: { $ref: '#/components/schemas/Duty' },
      Duty: { $ref: '#/components/schemas/Contractor' },
    },
  },
};
const CYCLE = '#/components/schemas/Contractor → #/components/schemas/Duty → #/components/schemas/Contractor';

beforeAll(async () => {
  sandbox = createSandbox();
  world = await createWorld(sandbox);
  await world.publishSpec('1.0.0', 'string');
  await world.recordContract('materials', '1.0.0', { stock: '12' });
  await world.deploy('contractors', '1.0.0', 'production');
  await world.deploy('materials', '1.0.0', 'production');
  // No verification of 2.0.0: only the static check against its spec could answer.
  await world.writePolicy('compatibility: verified-or-static\n');
  // Written as an older entente would have stored it: past publish-spec's checks.
  const hash = contentHash(CYCLIC);
  await (await world.team('contractors')).transact(
    'test: a spec stored before cycles were refused',
    async ({ changes }) => {
      changes.write(layout.spec('contractors', hash), prettyJson(CYCLIC));
      changes.write(
        layout.version('contractors', '2.0.0'),
        prettyJson({
          service: 'contractors',
          version: '2.0.0',
          branch: 'main',
          createdAt: '2026-03-01T12:00:00.000Z',
          spec: { hash, openapi: '3.0.3', title: 'Contractors', publishedAt: '2026-03-01T12:00:00.000Z' },
        }),
      );
    },
  );
}, 120_000);
afterAll(() => sandbox.cleanup());

function expectRefused(run: { code: number | null; stdout: string; stderr: string }) {
  expect(run.stderr).not.toContain('Maximum call stack');
  expect(run.code).toBe(3);
  const { error } = JSON.parse(run.stdout);
  expect(error.code).toBe('record.spec-refused');
  expect(error.message).toContain('(the spec of contractors@2.0.0) is refused');
  expect(error.message).toContain(`is a reference cycle no finite value can satisfy: ${CYCLE}`);
  expect(error.message).toContain('entente publish-spec --force');
}

describe('a stored spec with a pure $ref cycle', () => {
  it('can-i-deploy (its static check would read it): bad record, exit 3, not yes', async () => {
    expectRefused(await canIDeploy(world, 'contractors', '2.0.0', 'production', '--json'));
  });

  it('entente mock: refused at start, exit 3', async () => {
    expectRefused(await world.cli('mock', 'contractors@2.0.0', '--port', '0', '--json'));
  });

  it('entente verify: refused before any request, exit 3', async () => {
    expectRefused(
      await world.cli(
        'verify',
        '--provider',
        'contractors',
        '--version',
        '2.0.0',
        '--base-url',
        'http://127.0.0.1:9',
        '--no-publish',
        '--json',
      ),
    );
  });

  it('entente diff of service@version: exit 3', async () => {
    expectRefused(await world.cli('diff', 'contractors@1.0.0', 'contractors@2.0.0', '--json'));
  });

  it('is repaired by publishing a fixed spec over it with --force', async () => {
    const file = join(world.cwd, 'fixed.yaml');
    writeFileSync(file, contractorsSpec('string'));
    const published = await world.cli(
      'publish-spec',
      '--spec',
      file,
      '--service',
      'contractors',
      '--version',
      '2.0.0',
      '--branch',
      'main',
      '--force',
    );
    expect(published.stderr).toBe('');
    expect(published.code).toBe(0);
    const run = await canIDeploy(world, 'contractors', '2.0.0', 'production', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).verdict).toBe('yes');
  });
});
