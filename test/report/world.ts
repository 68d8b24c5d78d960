/**
 * A contracts repository with several services for the report's tests, built
 * the way teams build one: the reference scenario's contractors, odd-jobs and
 * materials (contracts recorded through the real recording core), a spec
 * published and a verification run through the real CLI against a real HTTP
 * provider on port 0, and deployments. A hostile service's spec carries
 * markup in its title, description and paths.
 */

import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createWorld, NOW, type World } from '../deploy/reference-scenario.js';
import type { Sandbox } from '../helpers/sandbox.js';

export { NOW };

export const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

export const HOSTILE_SPEC = `openapi: 3.0.3
info:
  title: '${HOSTILE.replace(/'/g, "''")}'
  description: '"><svg onload="window.__pwned=3">'
  version: '1'
paths:
  /gadgets:
    get:
      operationId: listGadgets
      summary: '</td></tr></table><script>window.__pwned=4</script>'
      responses:
        '200':
          description: gadgets
          content:
            application/json:
              schema: { type: array, items: { type: string } }
`;

/** contractors@2.0.0's implementation: `stock` became an integer. */
async function contractorsProvider(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/contractor') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ name: 'Ada', available: true, stock: 12 }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export interface ReportWorld extends World {}

export async function reportWorld(sandbox: Sandbox): Promise<ReportWorld> {
  const world = await createWorld(sandbox);
  await world.publishSpec('1.0.0', 'string');
  await world.recordContract('odd-jobs', '1.0.0', { available: true });
  await world.recordContract('materials', '1.0.0', { stock: '40' });
  await world.deploy('contractors', '1.0.0', 'production');
  await world.deploy('odd-jobs', '1.0.0', 'production');
  await world.deploy('materials', '1.0.0', 'production');
  await world.publishSpec('2.0.0', 'integer');

  const hostileSpec = join(world.cwd, 'gadgets.yaml');
  writeFileSync(hostileSpec, HOSTILE_SPEC);
  const published = await world.cli(
    'publish-spec',
    '--spec',
    hostileSpec,
    '--service',
    'gadgets',
    '--version',
    '0.1.0',
    '--branch',
    'main',
  );
  expect(published.stderr).toBe('');
  expect(published.code).toBe(0);

  const provider = await contractorsProvider();
  try {
    const verified = await world.cli(
      'verify',
      '--provider',
      'contractors',
      '--version',
      '2.0.0',
      '--branch',
      'main',
      '--base-url',
      provider.url,
      '--test-run',
      'build-77',
      '--fail-on-pending',
    );
    expect(verified.code, verified.stderr).toBe(1);
  } finally {
    provider.server.close();
  }
  await world.deploy('contractors', '2.0.0', 'staging');
  return world;
}
