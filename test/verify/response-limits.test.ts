/**
 * A hostile or broken provider cannot exhaust verify's memory: a response
 * body past the limit is abandoned at once (the connection closed), its
 * interaction fails naming the limit and how to raise it, and nothing of
 * the body reaches the contracts repository or the output.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CastleStore, createCastleHandler } from '../../examples/castle-service/service.js';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { providerJob } from './world.js';

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = createSandbox();
  ({ cwd, env } = await providerJob(sandbox));
}, 60_000);
afterAll(() => sandbox.cleanup());

const MARKER = 'ENDLESS-BODY-MARKER';

/** castle-service, except that GET /castles answers with a JSON array that never ends. */
async function endlessProvider(): Promise<{ url: string; server: Server; sent: () => number }> {
  const handle = createCastleHandler({ store: new CastleStore() });
  let sent = 0;
  const chunk = Buffer.from(`{"id":"${MARKER}","name":"${'x'.repeat(16_000)}"},`);
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/castles') return void handle(request, response);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('[');
    const pump = () => {
      while (!response.destroyed && response.write(chunk)) sent += chunk.length;
      if (!response.destroyed) response.once('drain', pump);
    };
    response.on('close', () => response.removeAllListeners('drain'));
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, sent: () => sent };
}

const verify = (baseUrl: string, ...more: string[]) =>
  runCli(
    [
      'verify',
      '--provider',
      'castle-service',
      '--version',
      '1.0.0',
      '--base-url',
      baseUrl,
      '--header',
      'Authorization: Bearer provider-test-token',
      '--fail-on-pending',
      // Far longer than the test: the body limit must end the read, not the timeout.
      '--timeout',
      '120000',
      ...more,
    ],
    { cwd, env },
  );

describe('verify against a provider streaming an endless body', () => {
  it('fails that interaction at the limit, closes the connection and records nothing of the body', async () => {
    const provider = await endlessProvider();
    try {
      const run = await verify(provider.url, '--max-response-bytes', '1048576', '--json');
      expect(run.code).toBe(1);
      const result = JSON.parse(run.stdout);
      const outcomes = result.contracts[0].interactions as {
        operation: string;
        success: boolean;
        error?: string;
        response?: unknown;
      }[];
      const list = outcomes.find((o) => o.operation === 'listCastles')!;
      expect(list.success).toBe(false);
      expect(list.error).toBe(
        "the provider's response to listCastles (GET /castles) is larger than 1048576 bytes, the most verify reads: it was abandoned unread and nothing of it is recorded; raise the limit with --max-response-bytes (maxResponseBytes in .entente.yml's verify section, or the library's maxResponseBytes option)",
      );
      expect(list.response).toBeUndefined();
      // The other interactions were still replayed, and answered.
      const others = outcomes.filter((o) => o.operation !== 'listCastles');
      expect(others.length).toBeGreaterThan(0);
      expect(others.every((o) => o.response !== undefined)).toBe(true);
      expect(result.published.committed).toBe(true);
      // The connection was given up: the provider could not go on pushing bytes into it.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(provider.sent()).toBeLessThan(64 * 1024 * 1024);
      expect(run.stdout + run.stderr).not.toContain(MARKER);
      const history = await sandbox.git(cwd, '--git-dir', env.ENTENTE_CONTRACTS!, 'log', '-p', '--all');
      expect(history).toContain('is larger than 1048576 bytes');
      expect(history).not.toContain(MARKER);
    } finally {
      provider.server.closeAllConnections();
      provider.server.close();
    }
  }, 120_000);

  it("takes the limit from .entente.yml's verify.maxResponseBytes", async () => {
    const provider = await endlessProvider();
    const project = join(cwd, '.entente.yml');
    writeFileSync(project, 'verify:\n  maxResponseBytes: 65536\n');
    try {
      const run = await verify(provider.url, '--no-publish');
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        "error: the provider's response to listCastles (GET /castles) is larger than 65536 bytes",
      );
      expect(run.stdout).not.toContain(MARKER);
    } finally {
      rmSync(project);
      provider.server.closeAllConnections();
      provider.server.close();
    }
  }, 120_000);

  it('fails, without a stack overflow, the interaction whose JSON nests 100,000 levels deep', async () => {
    const handle = createCastleHandler({ store: new CastleStore() });
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url !== '/castles') return void handle(request, response);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(deep);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const run = await verify(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, '--no-publish');
      expect(run.stderr).not.toContain('Maximum call stack');
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        "error: the provider's response to listCastles (GET /castles) nests JSON deeper than 128 levels, the most verify walks: nothing of it is recorded",
      );
    } finally {
      server.close();
    }
  }, 120_000);

  it('refuses a limit that is not a positive whole number of bytes (exit 3)', async () => {
    const run = await verify('http://127.0.0.1:9', '--max-response-bytes', '0', '--no-publish');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('--max-response-bytes');
  });
});
