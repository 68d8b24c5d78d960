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
