/**
 * examples/castle-client-python: a consumer in another language, recorded with
 * `entente record --mock`. Passing tests publish exactly what they exchanged;
 * failing tests keep their exit code and publish nothing.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

const example = fileURLToPath(new URL('../../examples/castle-client-python/', import.meta.url));
const castleSpec = fileURLToPath(new URL('../../examples/castle-service/openapi.yaml', import.meta.url));

function python(): string | undefined {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return 'python3';
  } catch {
    console.warn('castle-client-python skipped: no python3 on PATH');
    return undefined;
  }
}
const hasPython = python() !== undefined;

let sandbox: Sandbox;
let remote: string;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = createSandbox();
  remote = await sandbox.bareRemote();
  env = { ...sandbox.env, ENTENTE_CONTRACTS: remote, ENTENTE_PENDING_DIR: join(sandbox.root, 'pending') };
  const published = await runCli(
    ['publish-spec', '--spec', castleSpec, '--service', 'castle-service', '--version', '1.0.0'],
    { cwd: sandbox.root, env },
  );
  expect(published.code, published.stderr).toBe(0);
});
afterAll(() => sandbox.cleanup());

function copyOfExample(): string {
  const dir = sandbox.dir('castle-client-python');
  cpSync(example, dir, { recursive: true });
  return dir;
}

const contractFiles = async () =>
  (
    await sandbox.git(
      remote,
      'ls-tree',
      '-r',
      '--name-only',
      'main',
      '--',
      'contracts/castle-service/castle-client-py/',
    )
  )
    .split('\n')
    .filter(Boolean);

describe.skipIf(!hasPython)('examples/castle-client-python under entente record --mock', () => {
  it('passing tests publish what they exchanged, and nothing else', async () => {
    const cwd = copyOfExample();
    const result = await runCli(
      ['record', '--test-run', 'py-1', '--mock', 'castle-service', '--', 'python3', '-m', 'unittest', '-v'],
      { cwd, env: { ...env, ENTENTE_VERSION: '0.1.0' } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /Mock listening on http:\/\/127\.0\.0\.1:\d+ \(ENTENTE_MOCK_URL_CASTLE_SERVICE\)/,
    );
    expect(result.stderr).toMatch(/test_lists_castle_names .* ok/);
    expect(result.stdout).toMatch(/Published castle-client-py@0\.1\.0 → castle-service: 1 interaction/);

    const [file] = await contractFiles();
    const contract = JSON.parse(await sandbox.git(remote, 'show', `main:${file}`));
    // One GET /castles: no readiness probe, nothing but what the tests did.
    expect(contract.interactions.map((i: { operation: string }) => i.operation)).toEqual(['listCastles']);
  });

  it('failing tests keep their exit code, and nothing is published', async () => {
    const cwd = copyOfExample();
    appendFileSync(
      join(cwd, 'test_castles.py'),
      '\n\nclass BrokenTest(unittest.TestCase):\n    def test_fails(self):\n        self.assertEqual(1, 2)\n',
    );
    const before = await sandbox.git(remote, 'rev-parse', 'main');
    const result = await runCli(
      ['record', '--test-run', 'py-2', '--mock', 'castle-service:0', '--', 'python3', '-m', 'unittest'],
      { cwd, env: { ...env, ENTENTE_VERSION: '0.2.0' } },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/The command failed \(exit 1\): nothing published/);
    expect(await sandbox.git(remote, 'rev-parse', 'main')).toBe(before);
    // What it recorded waits in the pending folder, tagged with its run.
    expect(readdirSync(env.ENTENTE_PENDING_DIR!, { recursive: true }).join('\n')).toMatch(/\.json/);
  });

  it('the command exits with its own code even when it is not a test failure', async () => {
    const result = await runCli(['record', '--mock', 'castle-service', '--', 'sh', '-c', 'exit 42'], {
      cwd: copyOfExample(),
      env: { ...env, ENTENTE_VERSION: '0.3.0' },
    });
    expect(result.code).toBe(42);
  });

  it('a bad --mock is bad input, before anything runs', async () => {
    const marker = join(sandbox.root, 'ran');
    const result = await runCli(['record', '--mock', 'Castle_Service:99999', '--', 'touch', marker], {
      cwd: copyOfExample(),
      env: { ...env, ENTENTE_VERSION: '0.4.0' },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/--mock/);
    expect(() => execFileSync('test', ['-e', marker])).toThrow();
  });
});
