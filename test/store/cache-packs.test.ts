/**
 * A long-lived cache gathers packs from its fetches and writes. Past
 * `maxPacks` (50 by default; 3 here), a fetch consolidates them with one
 * `git gc`, and every read and write goes on answering the same, through a
 * full clone or a partial one.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BranchRecord } from '../../src/model/records.js';
import { ContractsStore } from '../../src/store/store.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(() => sandbox.cleanup());

function packsIn(cacheDir: string): number {
  const repos = join(cacheDir, 'repos');
  const [repo] = readdirSync(repos, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  return readdirSync(join(repos, repo!.name, 'objects', 'pack')).filter((name) => name.endsWith('.pack'))
    .length;
}

describe('the packs of a long-lived cache', () => {
  it.each([
    ['a full clone', false],
    ['a partial clone', true],
  ])(
    'are consolidated past maxPacks, in %s, with every answer the same',
    async (_, filters) => {
      const remote = await sandbox.bareRemote();
      if (filters) await sandbox.git(remote, 'config', 'uploadpack.allowFilter', 'true');
      const cacheDir = join(sandbox.root, 'cache');
      // Every fetch and write makes a pack (git leaves fewer than 100 objects loose by default).
      const env = {
        ...sandbox.env,
        GIT_CONFIG_COUNT: '2',
        GIT_CONFIG_KEY_0: 'transfer.unpackLimit',
        GIT_CONFIG_VALUE_0: '1',
        GIT_CONFIG_KEY_1: 'fastimport.unpackLimit',
        GIT_CONFIG_VALUE_1: '0',
      };
      const store = await ContractsStore.open({
        location: { kind: 'path', path: remote },
        branch: 'main',
        cacheDir,
        env,
        maxPacks: 3,
      });
      const branch = (service: string) => `services/${service}/branches/main.json`;
      const counts: number[] = [];
      for (let i = 0; i < 8; i++) {
        await store.transact(`entente: svc-${i}`, async ({ changes }) => {
          changes.writeRecord(BranchRecord, branch(`svc-${i}`), {
            service: `svc-${i}`,
            branch: 'main',
            latestVersion: `1.0.${i}`,
            updatedAt: '2026-12-03T00:00:00.000Z',
          });
        });
        counts.push(packsIn(cacheDir));
      }
      // Each fetch and write adds a pack; a fetch consolidates them once there are more than 3.
      expect(Math.max(...counts), counts.join(' ')).toBeLessThanOrEqual(5);
      expect(
        counts.slice(1).some((count, i) => count < counts[i]!),
        counts.join(' '),
      ).toBe(true);
      const snapshot = await store.snapshot();
      const records = await snapshot.readRecords(
        BranchRecord,
        Array.from({ length: 8 }, (_, i) => branch(`svc-${i}`)),
      );
      expect([...records.values()].map((record) => record.latestVersion)).toEqual(
        Array.from({ length: 8 }, (_, i) => `1.0.${i}`),
      );
      expect(await sandbox.git(remote, 'rev-list', '--count', 'main')).toBe('8\n');
    },
    60_000,
  );
});
