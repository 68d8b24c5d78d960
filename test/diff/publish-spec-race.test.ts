/**
 * publish-spec compares the spec with the latest published one inside its
 * write transaction: when another writer publishes first and the push is
 * rejected, the comparison is made again against the new latest, so the
 * warning (and `failOnBreaking`) answer for the commit the spec lands on.
 * Real git: a bare remote, two caches, the second writer pushing from the
 * first one's `beforePush`, through the handle the CLI uses.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { type Contracts, contractsFromConfig } from '../../src/open-contracts.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

const spec = (stock: 'string' | 'integer') => `openapi: 3.0.3
info: { title: Contractors, version: '1' }
paths:
  /contractor:
    get:
      operationId: getContractor
      responses:
        '200':
          description: the contractor
          content:
            application/json:
              schema:
                type: object
                required: [stock]
                properties:
                  stock: { type: ${stock} }
`;

let sandbox: Sandbox;
let remote: string;
beforeEach(async () => {
  sandbox = createSandbox();
  remote = await sandbox.bareRemote();
  writeFileSync(join(sandbox.root, 'string.yaml'), spec('string'));
  writeFileSync(join(sandbox.root, 'integer.yaml'), spec('integer'));
});
afterEach(() => sandbox.cleanup());

/** The library's handle on the remote, as the CLI opens it, with its own cache (another CI job). */
async function handle(cache: string, beforePush?: () => Promise<void>): Promise<Contracts> {
  const config = await resolveConfig({
    flags: { contracts: remote, service: 'contractors', branch: 'main' },
    env: { ...sandbox.env, ENTENTE_CACHE_DIR: join(sandbox.root, cache) },
    cwd: sandbox.root,
  });
  return contractsFromConfig(config, {
    now: () => '2026-03-01T00:00:00.000Z',
    ...(beforePush ? { beforePush } : {}),
  });
}

const publish = (contracts: Contracts, spec: string, version: string, failOnBreaking = false) =>
  contracts.publishSpec({ spec: join(sandbox.root, spec), version, failOnBreaking });

/** A handle whose first push loses the race to `rival`, which publishes in between. */
async function losingFirstRace(
  rival: () => Promise<unknown>,
): Promise<{ late: Contracts; pushes: () => number }> {
  let pushes = 0;
  const late = await handle('cache-late', async () => {
    pushes++;
    if (pushes === 1) await rival();
  });
  return { late, pushes: () => pushes };
}

describe('publish-spec losing a race to another publish', () => {
  it('compares again with the new latest: a break that the other version fixed first is no longer reported', async () => {
    await publish(await handle('cache-first'), 'string.yaml', '1.0.0');
    const rival = await handle('cache-rival');
    const race = await losingFirstRace(() => publish(rival, 'integer.yaml', '1.5.0'));

    const outcome = await publish(race.late, 'integer.yaml', '2.0.0');
    expect(race.pushes()).toBe(2);
    expect(outcome.breakingChanges).toBeNull();
    expect(outcome.published).toMatchObject({ version: '2.0.0', outcome: 'published', reusedDocument: true });
  }, 60_000);

  it('refuses with failOnBreaking when the version published meanwhile makes it breaking, and stores nothing', async () => {
    await publish(await handle('cache-first'), 'string.yaml', '1.0.0');
    const rival = await handle('cache-rival');
    const race = await losingFirstRace(() => publish(rival, 'integer.yaml', '1.5.0'));

    const outcome = await publish(race.late, 'string.yaml', '2.0.0', true);
    expect(race.pushes()).toBe(1);
    expect(outcome.published).toBeUndefined();
    expect(outcome.breakingChanges).toMatchObject({
      against: 'contractors@1.5.0',
      findings: [{ rule: 'response.body.type-changed' }],
    });
    expect(
      await sandbox.git(remote, 'ls-tree', '-r', '--name-only', 'main', 'services/contractors/versions'),
    ).toBe('services/contractors/versions/1.0.0.json\nservices/contractors/versions/1.5.0.json\n');
  }, 60_000);
});
