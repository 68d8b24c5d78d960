import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(() => sandbox.cleanup());

describe('entente init', () => {
  it('writes .entente.yml from package.json and creates the local default repository', async () => {
    const cwd = sandbox.dir('castle-client');
    mkdirSync(cwd);
    writeFileSync(
      join(cwd, 'package.json'),
      JSON.stringify({ name: '@acme/castle-client', version: '0.1.0' }),
    );
    const result = await runCli(['init'], { cwd, env: sandbox.env });
    expect(result.code).toBe(0);
    expect(readFileSync(join(cwd, '.entente.yml'), 'utf8')).toMatch(/^service: castle-client$/m);
    const repo = join(sandbox.env.ENTENTE_HOME!, 'contracts');
    expect(result.stdout).toContain(`Contracts repository: ${repo} (local`);
    expect((await sandbox.git(repo, 'rev-parse', '--is-inside-work-tree')).trim()).toBe('true');

    const again = await runCli(['init'], { cwd, env: sandbox.env });
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/\.entente\.yml already exists; pass --force/);
    const forced = await runCli(['init', '--force', '--service', 'other-name'], { cwd, env: sandbox.env });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(cwd, '.entente.yml'), 'utf8')).toMatch(/^service: other-name$/m);
  });
});

describe('entente status', () => {
  it('shows what is deployed where, as a table and as JSON, and narrows to one environment', async () => {
    const remote = await sandbox.bareRemote();
    const cwd = sandbox.dir('ops');
    mkdirSync(cwd);
    const env = { ...sandbox.env, ENTENTE_CONTRACTS: remote };
    const deploy = (service: string, version: string, environment: string, ...extra: string[]) =>
      runCli(
        [
          'record-deployment',
          '--service',
          service,
          '--version',
          version,
          '--environment',
          environment,
          '--new-environment',
          '--allow-unknown-version',
          ...extra,
        ],
        {
          cwd,
          env,
        },
      );
    expect((await deploy('castle-service', '1.0.0', 'production')).code).toBe(0);
    expect((await deploy('castle-service', '1.1.0', 'staging')).code).toBe(0);
    expect((await deploy('castle-service', '1.1.0', 'production', '--keep-others')).code).toBe(0);
    expect((await deploy('castle-client', '0.3.0', 'staging')).code).toBe(0);
    const undeploy = await runCli(
      [
        'record-undeployment',
        '--service',
        'castle-service',
        '--version',
        '1.0.0',
        '--environment',
        'production',
      ],
      { cwd, env },
    );
    expect(undeploy.code).toBe(0);

    const json = await runCli(['status', '--json'], { cwd, env });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.environments).toEqual([
      {
        environment: 'production',
        services: [{ service: 'castle-service', versions: ['1.1.0'], history: 3 }],
      },
      {
        environment: 'staging',
        services: [
          { service: 'castle-client', versions: ['0.3.0'], history: 1 },
          { service: 'castle-service', versions: ['1.1.0'], history: 1 },
        ],
      },
    ]);

    const text = await runCli(['status', '--environment', 'staging'], { cwd, env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^staging\s+castle-client\s+0\.3\.0$/m);
    expect(text.stdout).not.toMatch(/^production/m);
  });

  it('says so when the repository is empty', async () => {
    const remote = await sandbox.bareRemote();
    const result = await runCli(['status'], {
      cwd: sandbox.root,
      env: { ...sandbox.env, ENTENTE_CONTRACTS: remote },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No services yet');
  });
});
