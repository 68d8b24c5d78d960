import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let remote: string;
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = createSandbox();
  remote = await sandbox.bareRemote();
  cwd = sandbox.dir('project');
  mkdirSync(cwd);
  env = { ...sandbox.env, ENTENTE_CONTRACTS: remote };
});
afterAll(() => sandbox.cleanup());

const deploy = (service: string, version: string, environment = 'production') => [
  'record-deployment',
  '--service',
  service,
  '--version',
  version,
  '--environment',
  environment,
];

async function expectNothingCommitted() {
  await expect(sandbox.git(remote, 'rev-parse', '--verify', '--quiet', 'main')).rejects.toThrow();
}

describe('bad input exits 3, names what was wrong, and commits nothing', () => {
  it.each([
    ['../evil', /--service: "\.\.\/evil" is not a valid service/],
    ['a b', /--service: "a b" is not a valid service/],
    ['UPPER', /--service: "UPPER" is not a valid service/],
  ])('service name %j', async (service, message) => {
    const result = await runCli(deploy(service, '1.0.0'), { cwd, env });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(message);
    await expectNothingCommitted();
  });

  it.each(['1.0/evil', '../1', '/abs'])('version %j', async (version) => {
    const result = await runCli(deploy('castle-service', version), { cwd, env });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/--version: .* is not a valid version/);
    await expectNothingCommitted();
  });

  it('an environment name that cannot be a file name', async () => {
    const result = await runCli(deploy('castle-service', '1.0.0', '../prod'), { cwd, env });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/--environment: "\.\.\/prod" is not a valid environment/);
    await expectNothingCommitted();
  });

  it('an unknown flag, and a missing required one', async () => {
    const unknown = await runCli([...deploy('castle-service', '1.0.0'), '--bogus'], { cwd, env });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/Unsupported option name \("--bogus"\)/);
    const missing = await runCli(['record-deployment', '--service', 'castle-service', '--version', '1'], {
      cwd,
      env,
    });
    expect(missing.code).toBe(3);
    await expectNothingCommitted();
  });

  it('a contracts location that is not a git repository', async () => {
    const folder = sandbox.dir('not-a-repo');
    mkdirSync(folder);
    const result = await runCli([...deploy('castle-service', '1.0.0'), '--contracts', folder], { cwd, env });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`contracts location ${folder} is not a git repository`);
    const missing = await runCli(
      [...deploy('castle-service', '1.0.0'), '--contracts', join(folder, 'nope')],
      { cwd, env },
    );
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('does not exist');
  });

  it('a malformed .entente.yml names the file and the field', async () => {
    const project = sandbox.dir('configured');
    mkdirSync(project);
    writeFileSync(join(project, '.entente.yml'), 'service: Castle Service\n');
    const result = await runCli(deploy('castle-service', '1.0.0'), { cwd: project, env });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/\.entente\.yml: \/service must match pattern/);
    writeFileSync(join(project, '.entente.yml'), 'servce: castle-service\n');
    const typo = await runCli(deploy('castle-service', '1.0.0'), { cwd: project, env });
    expect(typo.code).toBe(3);
    expect(typo.stderr).toMatch(/\.entente\.yml: \/servce is not an allowed field/);
    await expectNothingCommitted();
  });
});

describe('git failures exit 4', () => {
  it('an unreachable remote', async () => {
    const result = await runCli(
      [...deploy('castle-service', '1.0.0'), '--contracts', 'file:///nonexistent/contracts.git'],
      {
        cwd,
        env,
      },
    );
    expect(result.code).toBe(3);
    const url = await runCli(
      [...deploy('castle-service', '1.0.0'), '--contracts', 'http://127.0.0.1:9/contracts.git'],
      {
        cwd,
        env,
      },
    );
    expect(url.code).toBe(4);
    expect(url.stderr).toMatch(/could not fetch http:\/\/127\.0\.0\.1:9\/contracts\.git/);
  });

  it('a non-bare contracts repository whose files were edited by hand', async () => {
    const repo = sandbox.dir('hand-edited');
    await sandbox.git(sandbox.root, 'init', '--quiet', repo);
    const first = await runCli([...deploy('castle-service', '1.0.0'), '--contracts', repo], { cwd, env });
    expect(first.code).toBe(0);
    writeFileSync(join(repo, 'environments', 'production', 'castle-service.json'), '{}');
    const second = await runCli([...deploy('castle-service', '1.1.0'), '--contracts', repo], { cwd, env });
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(/could not push to .*hand-edited/);
    expect((await sandbox.git(repo, 'rev-list', '--count', 'HEAD')).trim()).toBe('1');
  });
});
