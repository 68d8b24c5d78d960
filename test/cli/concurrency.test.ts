import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

const castleSpec = fileURLToPath(new URL('../../examples/castle-service/openapi.yaml', import.meta.url));

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = createSandbox();
});
afterAll(() => sandbox.cleanup());

describe('twelve CLI processes writing to one bare remote at once', () => {
  it('keeps every record, with exactly one commit per write and a clean fsck', async () => {
    const remote = await sandbox.bareRemote();
    const writes = Array.from({ length: 12 }, (_, i) =>
      i % 2 === 0
        ? [
            'publish-spec',
            '--spec',
            castleSpec,
            '--service',
            `provider-${i}`,
            '--version',
            `1.${i}.0`,
            '--branch',
            'main',
          ]
        : [
            'record-deployment',
            '--service',
            `service-${i}`,
            '--version',
            `2.${i}.0`,
            '--environment',
            i % 4 === 1 ? 'staging' : 'production',
            '--new-environment',
            '--allow-unknown-version',
          ],
    );
    const results = await Promise.all(
      writes.map((args, i) => {
        const cwd = sandbox.dir(`job-${i}`);
        mkdirSync(cwd);
        // Each process is its own CI job: its own working folder and its own cache of the remote.
        return runCli(args, {
          cwd,
          env: {
            ...sandbox.env,
            ENTENTE_CONTRACTS: remote,
            ENTENTE_CACHE_DIR: join(sandbox.root, `cache-${i}`),
          },
        });
      }),
    );
    for (const [i, result] of results.entries()) {
      expect(result.code, `${writes[i]!.join(' ')}\n${result.stderr}`).toBe(0);
    }

    expect((await sandbox.git(remote, 'rev-list', '--count', 'main')).trim()).toBe('12');
    expect((await sandbox.git(remote, 'rev-list', '--merges', '--count', 'main')).trim()).toBe('0');
    const files = new Set(
      (await sandbox.git(remote, 'ls-tree', '-r', '--name-only', 'main')).trim().split('\n'),
    );
    for (let i = 0; i < 12; i += 2) {
      expect(files).toContain(`services/provider-${i}/versions/1.${i}.0.json`);
      expect(files).toContain(`services/provider-${i}/branches/main.json`);
    }
    // The six providers published one identical document: each stores it once, under the same hash.
    const specs = [...files].filter((f) => f.includes('/specs/'));
    expect(specs).toHaveLength(6);
    expect(new Set(specs.map((f) => f.split('/').pop())).size).toBe(1);
    for (let i = 1; i < 12; i += 2) {
      const environment = i % 4 === 1 ? 'staging' : 'production';
      const record = JSON.parse(
        await sandbox.git(remote, 'show', `main:environments/${environment}/service-${i}.json`),
      );
      expect(record.deployed).toEqual([expect.objectContaining({ version: `2.${i}.0` })]);
    }
    const subjects = (await sandbox.git(remote, 'log', '--format=%s', 'main')).trim().split('\n').sort();
    expect(subjects).toEqual(
      writes
        .map((args) =>
          args[0] === 'publish-spec'
            ? `entente: publish-spec ${args[4]}@${args[6]}`
            : `entente: record-deployment ${args[2]}@${args[4]} to ${args[6]}`,
        )
        .sort(),
    );
    await sandbox.git(remote, 'fsck', '--strict', '--no-dangling');
  });
});

describe('twelve CLI processes writing to the default local repository at once', () => {
  it('keeps every record, with one commit each, a clean fsck, and the repository usable afterwards', async () => {
    const home = join(sandbox.root, 'shared-entente-home');
    const env = { ...sandbox.env, ENTENTE_HOME: home, ENTENTE_CACHE_DIR: join(sandbox.root, 'shared-cache') };
    const cwd = sandbox.dir('laptop');
    mkdirSync(cwd);
    const deploy = (i: number, ...extra: string[]) =>
      runCli(
        [
          'record-deployment',
          '--service',
          `service-${i}`,
          '--version',
          `2.${i}.0`,
          '--environment',
          'production',
          '--new-environment',
          '--allow-unknown-version',
          ...extra,
        ],
        { cwd, env },
      );
    // Created on first use, like a new user's first command.
    expect((await deploy(0)).code).toBe(0);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => deploy(i + 1)));
    for (const [i, result] of results.entries()) {
      expect(result.code, `writer ${i + 1}:\n${result.stderr}`).toBe(0);
    }
    const repository = join(home, 'contracts');
    const log = (await sandbox.git(repository, 'log', '--format=%s', 'main')).trim().split('\n');
    expect(log).toHaveLength(13);
    expect(new Set(log).size).toBe(13);
    for (let i = 0; i <= 12; i++) {
      const record = JSON.parse(
        await sandbox.git(repository, 'show', `main:environments/production/service-${i}.json`),
      );
      expect(record.deployed.map((d: { version: string }) => d.version)).toEqual([`2.${i}.0`]);
    }
    await sandbox.git(repository, 'fsck', '--strict', '--no-dangling');
    // A write interrupted while git updated the files leaves them differing from the head:
    // the next write puts them back and goes through.
    await sandbox.git(repository, 'rm', '--quiet', '--cached', 'environments/production/service-0.json');
    const next = await deploy(13);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(`restored the files of ${repository} to its last commit`);
    expect((await sandbox.git(repository, 'status', '--porcelain')).trim()).toBe('');
    expect((await sandbox.git(repository, 'rev-list', '--count', 'main')).trim()).toBe('14');
  }, 120_000);
});
