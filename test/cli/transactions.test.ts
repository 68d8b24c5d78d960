import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(() => sandbox.cleanup());

async function waitForFile(path: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!existsSync(path)) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('a CLI process killed in the middle of a transaction', () => {
  it('loses nothing, duplicates nothing and corrupts nothing when run again', async () => {
    const remote = await sandbox.bareRemote();
    const cwd = sandbox.dir('ci-job');
    mkdirSync(cwd);
    const env = {
      ...sandbox.env,
      ENTENTE_CONTRACTS: remote,
      ENTENTE_CACHE_DIR: join(sandbox.root, 'job-cache'),
    };
    const args = [
      'record-deployment',
      '--service',
      'castle-service',
      '--version',
      '1.2.0',
      '--environment',
      'production',
      '--new-environment',
      '--allow-unknown-version',
    ];

    const marker = join(sandbox.root, 'paused');
    const paused = startCli(args, { cwd, env: { ...env, ENTENTE_TEST_PAUSE_BEFORE_PUSH: marker } });
    await waitForFile(marker);
    paused.child.kill('SIGKILL');
    const killed = await paused.done;
    expect(killed.signal).toBe('SIGKILL');
    // The remote was not touched.
    await expect(sandbox.git(remote, 'rev-parse', '--verify', '--quiet', 'main')).rejects.toThrow();

    // Meanwhile another team writes; then the killed job is run again with the same cache.
    const other = await runCli(
      [
        'record-deployment',
        '--service',
        'castle-client',
        '--version',
        '0.3.0',
        '--environment',
        'production',
        '--new-environment',
        '--allow-unknown-version',
      ],
      { cwd, env: { ...env, ENTENTE_CACHE_DIR: join(sandbox.root, 'other-cache') } },
    );
    expect(other.code).toBe(0);
    const rerun = await runCli(args, { cwd, env });
    expect(rerun.stderr).not.toMatch(/error/);
    expect(rerun.code).toBe(0);
    const again = await runCli(args, { cwd, env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already deployed/);

    const log = (await sandbox.git(remote, 'log', '--format=%s', 'main')).trim().split('\n');
    expect(log).toEqual([
      'entente: record-deployment castle-service@1.2.0 to production',
      'entente: record-deployment castle-client@0.3.0 to production',
    ]);
    const record = JSON.parse(
      await sandbox.git(remote, 'show', 'main:environments/production/castle-service.json'),
    );
    expect(record.deployed.map((d: { version: string }) => d.version)).toEqual(['1.2.0']);
    expect(record.history).toHaveLength(1);
    await sandbox.git(remote, 'fsck', '--strict');
    const [cache] = readdirSync(join(sandbox.root, 'job-cache', 'repos'));
    await sandbox.git(join(sandbox.root, 'job-cache', 'repos', cache!), 'fsck');
  });
});
