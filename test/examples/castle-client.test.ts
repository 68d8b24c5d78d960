import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

const example = fileURLToPath(new URL('../../examples/castle-client/', import.meta.url));
const castleSpec = fileURLToPath(new URL('../../examples/castle-service/openapi.yaml', import.meta.url));

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = createSandbox();
});
afterAll(() => sandbox.cleanup());

describe('examples/castle-client', () => {
  it("runs its tests against castle-service's published spec and publishes what they relied on", async () => {
    const remote = await sandbox.bareRemote();
    const env = {
      ...sandbox.env,
      ENTENTE_CONTRACTS: remote,
      ENTENTE_PENDING_DIR: join(sandbox.root, 'pending'),
    };
    const published = await runCli(
      [
        'publish-spec',
        '--spec',
        castleSpec,
        '--service',
        'castle-service',
        '--version',
        '1.0.0',
        '--branch',
        'main',
      ],
      { cwd: sandbox.root, env },
    );
    expect(published.code).toBe(0);

    const recorded = await runCli(
      ['record', '--test-run', 'example-1', '--', 'npx', 'vitest', 'run', '--config', 'vitest.config.ts'],
      {
        cwd: example,
        env,
      },
    );
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stdout).toMatch(/Published castle-client@0\.3\.0 → castle-service: 3 interactions/);

    const [file] = (
      await sandbox.git(
        remote,
        'ls-tree',
        '-r',
        '--name-only',
        'main',
        '--',
        'contracts/castle-service/castle-client/',
      )
    )
      .trim()
      .split('\n');
    const contract = JSON.parse(await sandbox.git(remote, 'show', `main:${file}`));
    const list = contract.interactions.find((i: { operation: string }) => i.operation === 'listCastles');
    // The partial local fixture says what castle-client relies on: names and years, nothing else.
    expect(list.response.reliesOn).toEqual(['[].name', '[].yearBuilt']);
    expect(list.request.headers.authorization).toBe('[redacted]');
    expect(contract.interactions.map((i: { operation: string }) => i.operation).sort()).toEqual([
      'createCastle',
      'getCastle',
      'listCastles',
    ]);
  });
});
