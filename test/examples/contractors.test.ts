import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

const example = fileURLToPath(new URL('../../examples/contractors/', import.meta.url));

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = createSandbox();
});
afterAll(() => sandbox.cleanup());

describe('examples/contractors: the reference scenario through the example projects', () => {
  it('refuses Contractors 2.0.0 for Materials and stock, passes Odd Jobs, and lets it deploy once Materials reads an integer', async () => {
    const remote = await sandbox.bareRemote();
    const env = { ...sandbox.env, ENTENTE_CONTRACTS: remote };
    const entente = (args: string[], options: { cwd?: string; extra?: Record<string, string> } = {}) =>
      runCli(args, { cwd: options.cwd ?? sandbox.root, env: { ...env, ...options.extra } });
    const consumerTests = (team: string, extra: Record<string, string> = {}) =>
      entente(
        [
          'record',
          '--test-run',
          `${team}-run`,
          '--',
          'npx',
          'vitest',
          'run',
          '--config',
          '../vitest.config.ts',
        ],
        {
          cwd: join(example, team),
          extra: { ENTENTE_PENDING_DIR: join(sandbox.root, `pending-${team}`), ...extra },
        },
      );
    const publish = (file: string, version: string) =>
      entente([
        'publish-spec',
        '--spec',
        join(example, 'contractors', file),
        '--service',
        'contractors',
        '--version',
        version,
        '--branch',
        'main',
      ]);
    const deploy = (service: string, version: string) =>
      entente([
        'record-deployment',
        '--service',
        service,
        '--version',
        version,
        '--environment',
        'production',
        '--new-environment',
      ]);
    const canIDeploy = (service: string, version: string) =>
      entente([
        'can-i-deploy',
        '--service',
        service,
        '--version',
        version,
        '--environment',
        'production',
        '--json',
      ]);

    expect((await publish('openapi.yaml', '1.0.0')).code).toBe(0);
    for (const team of ['odd-jobs', 'materials']) {
      const run = await consumerTests(team);
      expect(run.code, run.stderr).toBe(0);
    }
    for (const [service, version] of [
      ['contractors', '1.0.0'],
      ['odd-jobs', '1.0.0'],
      ['materials', '1.0.0'],
    ] as const) {
      expect((await deploy(service, version)).code).toBe(0);
    }

    // Contractors proposes stock as an integer.
    expect((await publish('openapi.v2.yaml', '2.0.0')).code).toBe(0);
    const refused = await canIDeploy('contractors', '2.0.0');
    expect(refused.code).toBe(1);
    const pairs = JSON.parse(refused.stdout).pairs as {
      consumer: string;
      verdict: string;
      reason: string;
    }[];
    const verdictOf = (service: string) => pairs.find((p) => p.consumer === service);
    expect(verdictOf('odd-jobs')?.verdict).toBe('yes');
    expect(verdictOf('materials')?.verdict).toBe('no');
    expect(verdictOf('materials')?.reason).toMatch(/stock/);

    // Materials ships a version that reads stock as an integer, tested against the new spec, and deploys it.
    const materials2 = await consumerTests('materials', {
      MATERIALS_STOCK_AS: 'integer',
      ENTENTE_VERSION: '2.0.0',
    });
    expect(materials2.code, materials2.stderr).toBe(0);
    expect((await deploy('materials', '2.0.0')).code).toBe(0);
    const allowed = await canIDeploy('contractors', '2.0.0');
    expect(allowed.code, allowed.stdout).toBe(0);
  });
});
