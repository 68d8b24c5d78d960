import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let project: string;
beforeEach(async () => {
  sandbox = createSandbox();
  project = sandbox.dir('castle-client');
  mkdirSync(join(project, 'src'), { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: '@acme/castle-client', version: '1.2.3' }),
  );
  await sandbox.git(project, 'init', '--quiet', '--initial-branch=feature/x');
  await sandbox.git(project, 'commit', '--quiet', '--allow-empty', '-m', 'first');
});
afterEach(() => sandbox.cleanup());

describe('resolveConfig', () => {
  it('falls back to package.json and git, searching upwards from a sub-folder', async () => {
    const commit = (await sandbox.git(project, 'rev-parse', 'HEAD')).trim();
    const config = await resolveConfig({ flags: {}, env: sandbox.env, cwd: join(project, 'src') });
    expect(config).toMatchObject({
      service: 'castle-client',
      version: '1.2.3',
      branch: 'feature/x',
      commit,
      contracts: { kind: 'default', path: join(sandbox.env.ENTENTE_HOME!, 'contracts') },
      contractsBranch: 'main',
    });
    expect(config.sources.service).toBe(`${join(project, 'package.json')} name`);
  });

  it('prefers .entente.yml to package.json, the environment to the file, and flags to everything', async () => {
    writeFileSync(
      join(project, '.entente.yml'),
      'service: from-file\ncontracts: ../shared.git\nbranch: release\n',
    );
    const fromFile = await resolveConfig({ flags: {}, env: sandbox.env, cwd: join(project, 'src') });
    expect(fromFile).toMatchObject({
      service: 'from-file',
      branch: 'release',
      contracts: { kind: 'path', path: join(project, '..', 'shared.git') },
      configFile: join(project, '.entente.yml'),
    });

    const env = {
      ...sandbox.env,
      ENTENTE_SERVICE: 'from-env',
      ENTENTE_CONTRACTS: 'https://git.example/contracts.git',
    };
    const fromEnv = await resolveConfig({ flags: {}, env, cwd: project });
    expect(fromEnv).toMatchObject({
      service: 'from-env',
      contracts: { kind: 'url', url: 'https://git.example/contracts.git' },
    });

    const fromFlags = await resolveConfig({
      flags: { service: 'from-flag', version: '9.9.9', contracts: 'local.git' },
      env,
      cwd: project,
    });
    expect(fromFlags).toMatchObject({
      service: 'from-flag',
      version: '9.9.9',
      contracts: { kind: 'path', path: join(project, 'local.git') },
    });
    expect(fromFlags.sources).toMatchObject({
      service: '--service',
      version: '--version',
      contracts: '--contracts',
    });
  });

  it('takes the branch and commit from CI variables before git', async () => {
    const config = await resolveConfig({
      flags: {},
      env: { ...sandbox.env, GITHUB_HEAD_REF: 'pr-branch', GITHUB_SHA: 'abc123def4567890' },
      cwd: project,
    });
    expect(config).toMatchObject({ branch: 'pr-branch', commit: 'abc123def4567890' });
  });

  it('uses the commit as the version when there is no package.json version', async () => {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'castle-client' }));
    const commit = (await sandbox.git(project, 'rev-parse', 'HEAD')).trim();
    const config = await resolveConfig({ flags: {}, env: sandbox.env, cwd: project });
    expect(config.version).toBe(commit.slice(0, 12));
    expect(config.sources.version).toBe('git commit');
  });

  it('names where an invalid value came from', async () => {
    await expect(
      resolveConfig({ flags: {}, env: { ...sandbox.env, ENTENTE_SERVICE: 'Bad Name' }, cwd: project }),
    ).rejects.toThrow(/^ENTENTE_SERVICE: "Bad Name" is not a valid service/);
    await expect(
      resolveConfig({ flags: { config: 'missing.yml' }, env: sandbox.env, cwd: project }),
    ).rejects.toThrow(/missing\.yml does not exist/);
  });
});
