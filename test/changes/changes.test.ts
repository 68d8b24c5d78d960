/**
 * `entente changes` on a scripted history, every step made as teams make it:
 * a spec published, a consumer's contract recorded and published, the
 * provider's verification through the real CLI against a real HTTP provider
 * (failing, then passing once fixed), a deployment.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../deploy/reference-scenario.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let world: World;
/** The contracts branch's head after each step. */
const after: Record<'spec' | 'contract' | 'failed' | 'passed' | 'deployed', string> = {
  spec: '',
  contract: '',
  failed: '',
  passed: '',
  deployed: '',
};

async function verifyAgainst(stock: unknown, version: string): Promise<number | null> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ name: 'Ada', available: true, stock }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // --fail-on-pending: the first verification of a contract must count, as it would once the contract was verified.
    const args = [
      'verify',
      '--provider',
      'contractors',
      '--version',
      version,
      '--branch',
      'main',
      '--fail-on-pending',
    ];
    return (await world.cli(...args, '--base-url', url, '--test-run', `run-${version}`)).code;
  } finally {
    server.close();
  }
}

beforeAll(async () => {
  sandbox = createSandbox();
  world = await createWorld(sandbox);
  const head = async () => (await sandbox.git(world.remote, 'rev-parse', 'main')).trim();
  await world.publishSpec('1.0.0', 'string');
  after.spec = await head();
  await world.recordContract('materials', '1.0.0', { stock: '40' });
  after.contract = await head();
  expect(await verifyAgainst(40, '1.0.0')).toBe(1);
  after.failed = await head();
  expect(await verifyAgainst('40', '1.0.1')).toBe(0);
  after.passed = await head();
  await world.deploy('materials', '1.0.0', 'production');
  after.deployed = await head();
}, 120_000);
afterAll(() => sandbox.cleanup());

describe('entente changes', () => {
  it('reports each event of the range once, in order, and no trigger once the provider has verified', async () => {
    // All zeros: a CI's "no previous commit", from the beginning.
    const result = await world.cli('changes', `${'0'.repeat(40)}..HEAD`, '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.from).toBeNull();
    expect(report.to).toBe(after.deployed);
    const events = report.commits.flatMap((c: { commit: string; events: unknown[] }) =>
      c.events.map((e) => ({ commit: c.commit, ...(e as object) })),
    );
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'spec-published',
        provider: 'contractors',
        version: '1.0.0',
        branch: 'main',
      }),
      expect.objectContaining({
        kind: 'contract-published',
        commit: after.contract,
        consumer: 'materials',
        consumerVersion: '1.0.0',
        provider: 'contractors',
        needsVerification: true,
      }),
      expect.objectContaining({
        kind: 'verification-failed',
        commit: after.failed,
        provider: 'contractors',
        providerVersion: '1.0.0',
        consumer: 'materials',
        firstProblem: expect.stringContaining('$.stock'),
      }),
      expect.objectContaining({
        kind: 'verification-recovered',
        commit: after.passed,
        providerVersion: '1.0.1',
        consumer: 'materials',
      }),
      expect.objectContaining({
        kind: 'fixtures-waiting',
        service: 'contractors',
        testRun: 'run-1.0.1',
        count: 1,
      }),
      expect.objectContaining({
        kind: 'deployed',
        commit: after.deployed,
        service: 'materials',
        version: '1.0.0',
        environment: 'production',
      }),
    ]);
    expect(report.triggers).toEqual([]);
  });

  it('names the provider to trigger, with its selectors, for a push that published a contract', async () => {
    const json = await world.cli('changes', `${after.spec}..${after.contract}`, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).triggers).toEqual([
      {
        provider: 'contractors',
        selectors: [{ consumer: 'materials', version: '1.0.0' }],
        command: 'entente verify --provider contractors --consumer materials@1.0.0 --base-url <provider URL>',
      },
    ]);
    const text = await world.cli('changes', `${after.spec}..${after.contract}`);
    expect(text.stdout).toContain('materials@1.0.0 (main) published a contract with contractors (');
    expect(text.stdout).toMatch(
      /Providers to trigger:\n {2}contractors: entente verify --provider contractors --consumer materials@1\.0\.0/,
    );
  });

  it('writes markdown for chat, reads HEAD~N, and refuses what is not a range', async () => {
    const markdown = await world.cli('changes', 'HEAD~2..HEAD', '--markdown');
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain(
      ":white_check_mark: `contractors@1.0.1` now passes `materials`'s contract",
    );
    expect(markdown.stdout).toContain('- `materials@1.0.0` deployed to `production`');
    expect(markdown.stdout).not.toContain('FAILED');

    for (const bad of ['HEAD', 'HEAD^{tree}..HEAD', 'main..HEAD', 'abcdef12..HEAD']) {
      const result = await world.cli('changes', bad);
      expect(result.code, bad).toBe(3);
      expect(result.stderr, bad).toMatch(/entente: .*(range|commit id|not a commit)/);
    }
  });
});
