import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { createMock } from '../../src/index.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { SPEC_FILE } from '../mock/castles.js';

let sandbox: Sandbox;
let project: string;
beforeEach(() => {
  sandbox = createSandbox();
  project = sandbox.dir('castle-client');
  mkdirSync(join(project, 'src'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'castle-client', version: '1.0.0' }));
});
afterEach(() => sandbox.cleanup());

describe('recording configuration', () => {
  it('puts the pending folder at the project root, or where .entente.yml or ENTENTE_PENDING_DIR says', async () => {
    const resolve = (env: Record<string, string> = {}) =>
      resolveConfig({ flags: {}, env: { ...sandbox.env, ...env }, cwd: join(project, 'src') });
    expect((await resolve()).pendingDir).toBe(join(project, '.entente', 'pending'));
    writeFileSync(join(project, '.entente.yml'), 'pendingDir: build/recordings\n');
    expect((await resolve()).pendingDir).toBe(join(project, 'build', 'recordings'));
    expect((await resolve({ ENTENTE_PENDING_DIR: '../elsewhere' })).pendingDir).toBe(
      join(project, 'elsewhere'),
    );
  });

  it('records in CI unless ENTENTE_RECORD says otherwise, and takes the test run from the flag, ENTENTE_TEST_RUN or CI', async () => {
    const resolve = (env: Record<string, string>, testRun?: string) =>
      resolveConfig({ flags: testRun ? { testRun } : {}, env: { ...sandbox.env, ...env }, cwd: project });
    expect((await resolve({})).recording).toBe(false);
    expect((await resolve({ CI: 'true' })).recording).toBe(true);
    expect((await resolve({ CI: 'true', ENTENTE_RECORD: 'false' })).recording).toBe(false);
    expect((await resolve({ ENTENTE_RECORD: '1' })).recording).toBe(true);
    await expect(resolve({ ENTENTE_RECORD: 'yes' })).rejects.toThrow(
      /ENTENTE_RECORD: "yes" is not a boolean/,
    );
    expect((await resolve({ GITHUB_RUN_ID: '77' })).testRun).toBe('77');
    expect((await resolve({ GITHUB_RUN_ID: '77', ENTENTE_TEST_RUN: 'mine' })).testRun).toBe('mine');
    expect((await resolve({ ENTENTE_TEST_RUN: 'mine' }, 'flag')).testRun).toBe('flag');
  });

  it('refuses an unknown redact key in .entente.yml, naming the file and field', async () => {
    writeFileSync(join(project, '.entente.yml'), 'redact:\n  header: [x]\n');
    await expect(
      createMock('castle-service', '1.0.0', { spec: SPEC_FILE.pathname, cwd: project, env: sandbox.env }),
    ).rejects.toThrow(/\.entente\.yml/);
  });

  it('says how to name the consumer when recording without one', async () => {
    const bare = sandbox.dir('nameless');
    mkdirSync(bare);
    await expect(
      createMock('castle-service', '1.0.0', {
        spec: SPEC_FILE.pathname,
        useFixtures: false,
        record: true,
        cwd: bare,
        env: sandbox.env,
      }),
    ).rejects.toThrow(/recording is on, but no service name.*`consumer`/);
  });
});
