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

describe('entente init in a project', () => {
  it('ignores .entente/ (where recordings wait) in .gitignore, once', async () => {
    const cwd = sandbox.dir('castle-client');
    mkdirSync(cwd);
    writeFileSync(join(cwd, '.gitignore'), 'node_modules');
    const env = { ...sandbox.env, ENTENTE_CONTRACTS: await sandbox.bareRemote() };
    const first = await runCli(['init', '--service', 'castle-client'], { cwd, env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Added .entente/ to');
    const forced = await runCli(['init', '--service', 'castle-client', '--force'], { cwd, env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(cwd, '.gitignore'), 'utf8')).toBe(
      'node_modules\n# entente: recordings waiting to be published\n.entente/\n',
    );
  });

  it('refuses repository options without --contracts-repo', async () => {
    const cwd = sandbox.dir('castle-client');
    mkdirSync(cwd);
    const result = await runCli(['init', '--environments', 'production'], { cwd, env: sandbox.env });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/add --contracts-repo/);
  });
});

describe('entente init --contracts-repo', () => {
  it.each(['master', 'main'])(
    'sets up a bare repository whose default branch is %s: policy committed, clones check it out',
    async (defaultBranch) => {
      const remote = join(sandbox.root, `contracts-${defaultBranch}.git`);
      await sandbox.git(
        sandbox.root,
        '-c',
        `init.defaultBranch=${defaultBranch}`,
        'init',
        '--quiet',
        '--bare',
        remote,
      );
      const cwd = sandbox.dir('ops');
      mkdirSync(cwd);
      const env = { ...sandbox.env, ENTENTE_CONTRACTS: remote };
      const init = (...extra: string[]) =>
        runCli(['init', '--contracts-repo', '--environments', 'staging,production', ...extra], { cwd, env });
      const result = await init();
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`Committed entente.yml to ${remote} (branch main)`);
      expect((await sandbox.git(remote, 'symbolic-ref', 'HEAD')).trim()).toBe('refs/heads/main');

      const clone = join(sandbox.root, `clone-${defaultBranch}`);
      const cloned = await runGit(sandbox, ['clone', remote, clone]);
      expect(cloned.stderr).not.toMatch(/warning/i);
      expect(readFileSync(join(clone, 'entente.yml'), 'utf8')).toMatch(
        /environments:\n {2}- staging\n {2}- production/,
      );

      const undeclared = await runCli(
        ['record-deployment', '--service', 'castle-service', '--version', '1.0.0', '--environment', 'prod'],
        { cwd, env },
      );
      expect(undeclared.code).toBe(3);
      expect(undeclared.stderr).toMatch(/"prod" is not declared .* \(declared: staging, production\)/);

      const again = await init('--compatibility', 'verified');
      expect(again.code).toBe(3);
      expect(again.stderr).toMatch(/already has an entente\.yml; pass --force/);
      const forced = await init('--compatibility', 'verified', '--force');
      expect(forced.code, forced.stderr).toBe(0);
      expect(await sandbox.git(remote, 'show', 'main:entente.yml')).toMatch(/^compatibility: verified$/m);
    },
  );
});

async function runGit(sandbox: Sandbox, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) =>
    execFile('git', args, { env: sandbox.env, cwd: sandbox.root }, (error, stdout, stderr) =>
      error ? reject(error) : resolve({ stdout, stderr }),
    ),
  );
}

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
