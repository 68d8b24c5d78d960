// One mock server per child process, so each gets its own event loop and the load generator
// (the parent) measures them the same way. Usage: node servers.mjs entente|pact <spec> <peers-dir>
// The child sends { url } over IPC once it listens, and stops on the message 'stop'.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CASTLE, CASTLE_ID, NEW_CASTLE } from './requests.mjs';

const [kind, specFile, peersDir] = process.argv.slice(2);
const stopped = new Promise((resolve) => process.on('message', (m) => m === 'stop' && resolve()));

if (kind === 'entente') {
  const { createMockHandler, startMockServer } = await import('../../dist/index.js');
  const document = parse(readFileSync(specFile, 'utf8'));
  const server = await startMockServer(createMockHandler({ document }));
  process.send({ url: server.url });
  await stopped;
  await server.close();
} else if (kind === 'pact') {
  const require = createRequire(join(peersDir, 'package.json'));
  const { PactV3, MatchersV3 } = require('@pact-foundation/pact');
  const json = { 'Content-Type': 'application/json' };
  const pact = new PactV3({
    consumer: 'bench',
    provider: 'castle-service',
    dir: mkdtempSync(join(tmpdir(), 'entente-bench-pact-')),
    logLevel: 'error',
    host: '127.0.0.1',
  });
  pact
    .addInteraction({
      uponReceiving: 'list castles',
      withRequest: { method: 'GET', path: '/castles' },
      willRespondWith: { status: 200, headers: json, body: [CASTLE] },
    })
    .addInteraction({
      uponReceiving: 'get a castle',
      withRequest: { method: 'GET', path: `/castles/${CASTLE_ID}` },
      willRespondWith: { status: 200, headers: json, body: CASTLE },
    })
    .addInteraction({
      uponReceiving: 'create a castle',
      // The body is checked by type, the nearest pact-js has to validating it against a schema.
      withRequest: { method: 'POST', path: '/castles', headers: json, body: MatchersV3.like(NEW_CASTLE) },
      willRespondWith: { status: 201, headers: json, body: CASTLE },
    });
  await pact.executeTest(async (mockServer) => {
    process.send({ url: mockServer.url });
    await stopped;
  });
} else {
  throw new Error(`unknown server kind ${kind}`);
}
process.exit(0);
