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
    expect(unknown.stderr).toMatch(/entente record-deployment has no option --bogus/);
    const missing = await runCli(['record-deployment', '--service', 'castle-service', '--version', '1'], {
      cwd,
      env,
    });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/entente record-deployment needs --environment/);
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

describe('bad specs exit 3, name the file and where, and commit nothing', () => {
  const publish = (file: string) => [
    'publish-spec',
    '--spec',
    file,
    '--service',
    'castle-service',
    '--version',
    '1.0.0',
  ];
  const write = (name: string, text: string) => {
    const path = join(cwd, name);
    writeFileSync(path, text);
    return path;
  };

  it('malformed YAML', async () => {
    const file = write('broken.yaml', 'openapi: 3.0.3\ninfo:\n  title: [unclosed\n');
    const result = await runCli(publish(file), { cwd, env });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/broken\.yaml:\d+:\d+: not valid YAML or JSON/);
    await expectNothingCommitted();
  });

  it('invalid OpenAPI, pointing at the JSON pointer', async () => {
    const file = write(
      'invalid.yaml',
      'openapi: 3.0.3\ninfo:\n  title: x\n  version: "1"\npaths:\n  /castles:\n    get:\n      responses:\n        "200":\n          content: {}\n',
    );
    const result = await runCli(publish(file), { cwd, env });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('invalid.yaml');
    expect(result.stderr).toMatch(/#\/paths\/~1castles\/get\/responses\/200/);
    expect(result.stderr).toMatch(/description/);
    await expectNothingCommitted();
  });

  it('a YAML alias bomb (src/util/parse.test.ts shows it is refused in well under a second)', async () => {
    const lines = ['openapi: 3.0.3', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 0; i < 9; i++) {
      const [prev, next] = [String.fromCharCode(97 + i), String.fromCharCode(98 + i)];
      lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const file = write('bomb.yaml', lines.join('\n'));
    const result = await runCli(publish(file), { cwd, env });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/bomb\.yaml: refused: .*alias/i);
    await expectNothingCommitted();
  });

  it('a missing spec file', async () => {
    const result = await runCli(publish(join(cwd, 'nope.yaml')), { cwd, env });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${join(cwd, 'nope.yaml')}`);
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
    const unknown = ['--new-environment', '--allow-unknown-version'];
    const first = await runCli([...deploy('castle-service', '1.0.0'), ...unknown, '--contracts', repo], {
      cwd,
      env,
    });
    expect(first.code).toBe(0);
    writeFileSync(join(repo, 'environments', 'production', 'castle-service.json'), '{}');
    const second = await runCli([...deploy('castle-service', '1.1.0'), ...unknown, '--contracts', repo], {
      cwd,
      env,
    });
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(/could not push to .*hand-edited/);
    expect((await sandbox.git(repo, 'rev-list', '--count', 'HEAD')).trim()).toBe('1');
  });
});
