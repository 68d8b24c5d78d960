import { readFileSync, writeFileSync } from 'node:fs';
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

/** What each team declares it relies on, in the explicit variant (`.entente.yml`'s reliesOn). */
const DECLARED: Record<string, string[]> = {
  'odd-jobs': ['[].available', '[].id'],
  materials: ['[].stock'],
};

/** Per consumer of contractors, how its published contract's one interaction relies on the response. */
async function contractsOf(remote: string): Promise<Record<string, unknown>> {
  const clone = join(sandbox.root, `look-${Date.now()}`);
  await sandbox.git(sandbox.root, 'clone', '--quiet', remote, clone);
  const files = (await sandbox.git(clone, 'ls-files', 'contracts/contractors')).trim().split('\n');
  return Object.fromEntries(
    files.map((file) => {
      const contract = JSON.parse(readFileSync(join(clone, file), 'utf8'));
      const [interaction] = contract.interactions;
      return [
        contract.consumer,
        { reliance: interaction.response.reliance, reliesOn: interaction.response.reliesOn },
      ];
    }),
  );
}

describe('examples/contractors: the reference scenario through the example projects', () => {
  it.each([
    ['read tracking (the consumers declare nothing)', 'tracked'],
    ['declared reliance (.entente.yml reliesOn)', 'declared'],
  ] as const)(
    '%s: refuses Contractors 2.0.0 for Materials and stock, passes Odd Jobs, diff names Materials hurt, and it deploys once Materials reads an integer',
    async (_, reliance) => {
      const remote = await sandbox.bareRemote();
      const env = { ...sandbox.env, ENTENTE_CONTRACTS: remote };
      const configOf = (team: string) => {
        const file = join(sandbox.root, `${team}.entente.yml`);
        writeFileSync(
          file,
          `reliesOn:\n  contractors:\n    listContractors: ${JSON.stringify(DECLARED[team])}\n`,
        );
        return reliance === 'declared' ? { ENTENTE_CONFIG: file } : ({} as Record<string, string>);
      };
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
            extra: {
              ENTENTE_PENDING_DIR: join(sandbox.root, `pending-${team}`),
              ...configOf(team),
              ...extra,
            },
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
      const published = await contractsOf(remote);
      expect(published).toEqual({
        'odd-jobs': { reliance, reliesOn: DECLARED['odd-jobs'] },
        materials: { reliance, reliesOn: DECLARED.materials },
      });
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

      const diff = await entente([
        'diff',
        'contractors@1.0.0',
        join(example, 'contractors', 'openapi.v2.yaml'),
      ]);
      expect(diff.code).toBe(1);
      expect(diff.stdout).toContain('hurt:      materials');
      expect(diff.stdout).toContain('untouched: odd-jobs');

      // Materials ships a version that reads stock as an integer, tested against the new spec, and deploys it.
      const materials2 = await consumerTests('materials', {
        MATERIALS_STOCK_AS: 'integer',
        ENTENTE_VERSION: '2.0.0',
      });
      expect(materials2.code, materials2.stderr).toBe(0);
      expect((await deploy('materials', '2.0.0')).code).toBe(0);
      const allowed = await canIDeploy('contractors', '2.0.0');
      expect(allowed.code, allowed.stdout).toBe(0);
    },
    240_000,
  );
});
