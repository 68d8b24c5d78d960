import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CastleStore,
  createCastleHandler,
  startCastleService,
} from '../../examples/castle-service/service.js';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { CASTLE_123, providerJob } from './world.js';

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = createSandbox();
  ({ cwd, env } = await providerJob(sandbox));
});

afterAll(() => sandbox.cleanup());

const verifyArgs = (baseUrl: string, ...more: string[]) => [
  'verify',
  '--provider',
  'castle-service',
  '--version',
  '1.0.0',
  '--base-url',
  baseUrl,
  '--header',
  'Authorization: Bearer provider-test-token',
  // castle-client's contract has never been verified successfully: hold it all the same.
  '--fail-on-pending',
  ...more,
];

/** castle-service as a provider in another process sees it: its API and its state endpoint, every request logged. */
async function serveWithStateEndpoint(): Promise<{ url: string; log: string[]; server: Server }> {
  const log: string[] = [];
  const handle = createCastleHandler({ store: new CastleStore(), stateEndpoint: '/_entente/state' });
  const server = createServer((request, response) => {
    if (request.url === '/_entente/state') {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const { action, state, operation } = JSON.parse(body) as Record<string, unknown>;
        log.push(`${action} ${state} (${operation})`);
      });
    } else log.push(`${request.method} ${request.url}`);
    void handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log, server };
}

describe('entente verify', () => {
  it('verifies a provider in another process through --state-url, without recording', async () => {
    const provider = await serveWithStateEndpoint();
    try {
      const result = await runCli(
        verifyArgs(provider.url, '--state-url', `${provider.url}/_entente/state`, '--no-publish'),
        { cwd, env },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('✔ castle-client contract');
      expect(result.stdout).toContain('✔ All 4 interactions passed.');
      expect(result.stdout).toContain('Results not recorded (--no-publish).');
      const get = provider.log.indexOf(`GET /castles/${CASTLE_123}`);
      expect(provider.log.slice(get - 1, get + 2)).toEqual([
        'setup castle 123 exists (getCastle)',
        `GET /castles/${CASTLE_123}`,
        'teardown castle 123 exists (getCastle)',
      ]);
      const list = provider.log.indexOf('GET /castles');
      expect(provider.log.slice(list - 1, list + 2)).toEqual([
        'setup null (listCastles)',
        'GET /castles',
        'teardown null (listCastles)',
      ]);
    } finally {
      provider.server.closeAllConnections();
      provider.server.close();
    }
  });

  it('prints every failure with its interaction, path, expected and actual, and exits 1', async () => {
    const service = await startCastleService({
      stateEndpoint: '/_entente/state',
      present: (response) =>
        response.operation === 'getCastle' && response.status === 200
          ? { ...response, body: { ...(response.body as object), yearBuilt: 'early 16th century' } }
          : response,
    });
    try {
      const states = ['--state-url', `${service.url}/_entente/state`];
      const text = await runCli(verifyArgs(service.url, ...states, '--no-publish'), { cwd, env });
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(`✘ getCastle GET /castles/${CASTLE_123} given "castle 123 exists"`);
      expect(text.stdout).toContain(
        [
          '      $.yearBuilt: expected number, got string ("early 16th century")',
          '        expected: "number"',
          '        actual:   "string"',
        ].join('\n'),
      );
      expect(text.stdout).toContain('✘ 1 of 4 interactions failed.');
    } finally {
      await service.close();
    }
  });

  it('a state endpoint that refuses, or a dead state URL, stops the verification with exit 4 and records nothing', async () => {
    const service = await startCastleService();
    const head = async () => (await sandbox.git(env.ENTENTE_CONTRACTS!, 'rev-parse', 'main')).trim();
    try {
      const before = await head();
      const refused = await runCli(
        verifyArgs(service.url, '--state-url', `${service.url}/_entente/state`, '--json'),
        { cwd, env },
      );
      expect(refused.code).toBe(4);
      expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'verify.state', exitCode: 4 });
      expect(refused.stderr).toContain(
        `setup failed: ${service.url}/_entente/state answered 404: {"error":"not_found","message":"POST /_entente/state"}`,
      );
      const dead = await runCli(verifyArgs(service.url, '--state-url', 'http://127.0.0.1:9/_states'), {
        cwd,
        env,
      });
      expect(dead.code).toBe(4);
      expect(dead.stderr).toMatch(/setup failed: .*fetch failed/);
      expect(dead.stderr).toContain('the verification stopped and nothing was recorded');
      expect(await head()).toBe(before);
    } finally {
      await service.close();
    }
  });

  it('exits 0 with a message when there is nothing to verify, 4 when the provider is not running, 3 on a bad header', async () => {
    const nothing = await runCli(
      ['verify', '--provider', 'moat-service', '--version', '1.0.0', '--base-url', 'http://127.0.0.1:9'],
      { cwd, env },
    );
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toContain('Nothing to verify: no consumer contract of moat-service matches');

    const closed = await startCastleService();
    await closed.close();
    const down = await runCli(verifyArgs(closed.url, '--no-publish'), { cwd, env });
    expect(down.code).toBe(4);
    expect(down.stderr).toContain(`could not reach the provider at ${closed.url}/castles`);

    const header = await runCli(verifyArgs('http://127.0.0.1:9', '--header', 'Authorization Bearer x'), {
      cwd,
      env,
    });
    expect(header.code).toBe(3);
    expect(header.stderr).toContain(`--header: expected 'Name: value', got no ":" after a header name`);
    expect(header.stderr).not.toContain('Bearer x');
  });
});

describe('entente pending', () => {
  it("lists contracts the provider's main branch has not verified (exit 2), and nothing once verified (exit 0)", async () => {
    const before = await runCli(['pending', '--provider', 'castle-service'], { cwd, env });
    expect(before.code).toBe(2);
    expect(before.stdout).toContain('1 contract not verified yet by castle-service@1.0.0 (latest on main):');
    expect(before.stdout).toMatch(/castle-client\s+1\.0\.0 on main\s+[0-9a-f]{12}\s+4/);

    const service = await startCastleService({ stateEndpoint: '/_entente/state' });
    try {
      const states = ['--state-url', `${service.url}/_entente/state`];
      const verified = await runCli(
        verifyArgs(service.url, ...states, '--branch', 'main', '--test-run', 'ci-1'),
        {
          cwd,
          env,
        },
      );
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(
        /Recorded 1 verification result and 3 provider fixture drafts in .* \([0-9a-f]{12}\)\./,
      );
    } finally {
      await service.close();
    }

    const after = await runCli(['pending', '--provider', 'castle-service', '--json'], { cwd, env });
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual({
      provider: 'castle-service',
      providerVersion: '1.0.0',
      branch: 'main',
      pending: [],
      verified: 1,
      source: {
        offline: false,
        commit: (await sandbox.git(env.ENTENTE_CONTRACTS!, 'rev-parse', 'main')).trim(),
      },
    });
  });
});
