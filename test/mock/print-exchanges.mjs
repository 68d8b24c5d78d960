// Starts the built mock on a free port, sends the requests given as JSON in argv[2]
// ({ path, init }[]), and prints status, mock-decided headers and exact body text.
// Spawned twice by determinism.test.ts: both runs must print the same bytes.
import { readFileSync } from 'node:fs';
import { createMockHandler, startMockServer } from '../../dist/index.js';
import { parseJsonOrYaml } from '../../dist/util/parse.js';

const file = new URL('../../examples/castle-service/openapi.yaml', import.meta.url);
const document = await parseJsonOrYaml(readFileSync(file, 'utf8'), 'openapi.yaml');
const requests = JSON.parse(process.argv[2]);
const server = await startMockServer(createMockHandler({ document }), { port: 0 });
try {
  const out = [];
  for (const { path, init } of requests) {
    const response = await fetch(`${server.url}${path}`, init);
    const headers = {};
    for (const name of ['content-type', 'allow', 'x-entente-problems']) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    out.push({ status: response.status, headers, body: await response.text() });
  }
  process.stdout.write(JSON.stringify(out));
} finally {
  await server.close();
}
