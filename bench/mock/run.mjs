// Requests per second and latency of the entente mock server against Prism (`prism mock`) and the
// pact-js (V3, Rust core) mock server: same machine, same run, same spec, same three requests.
// The peers are installed on demand into the corpora cache (never dependencies). Every server runs
// in its own process; autocannon drives them from this one over loopback, bounded in time.
// Run: npm run bench:mock   (DURATION=seconds per request kind, CONNECTIONS=concurrent sockets)
import { fork, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { installedPackages } from '../../scripts/corpora.mjs';
import { REQUESTS } from './requests.mjs';

const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const WARMUP = 2;
const PRISM = '@stoplight/prism-cli@5.14.2';
const PACT = '@pact-foundation/pact@16.5.0';
const spec = fileURLToPath(new URL('../../examples/castle-service/openapi.yaml', import.meta.url));
const serversScript = fileURLToPath(new URL('./servers.mjs', import.meta.url));

const installStarted = performance.now();
const peers = await installedPackages({ label: 'bench-mock-peers', packages: [PRISM, PACT] });
console.error(`peers ready in ${((performance.now() - installStarted) / 1000).toFixed(1)} s (${peers})`);

async function startChild(kind) {
  const child = fork(serversScript, [kind, spec, peers], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const url = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.url));
    child.once('exit', (code) => reject(new Error(`${kind} mock exited ${code} before listening`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.send('stop');
      }),
  };
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startPrism() {
  const port = await freePort();
  const bin = join(peers, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
  const child = spawn(process.execPath, [bin, 'mock', '-h', '127.0.0.1', '-p', String(port), spec], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prism exited ${child.exitCode} before listening`);
    try {
      if ((await fetch(`${url}/castles`)).ok) break;
    } catch {
      if (Date.now() > deadline) throw new Error('prism did not start within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

function load(url, request, duration) {
  return autocannon({
    url: `${url}${request.path}`,
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections: CONNECTIONS,
    duration,
  });
}

async function measure(name, start) {
  const server = await start();
  const rows = [];
  try {
    for (const request of REQUESTS) {
      const check = await fetch(`${server.url}${request.path}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
      });
      await check.arrayBuffer();
      if (check.status !== request.expect) {
        throw new Error(`${name}: ${request.name} answered ${check.status}, expected ${request.expect}`);
      }
      await load(server.url, request, WARMUP);
      const result = await load(server.url, request, DURATION);
      rows.push({
        server: name,
        request: request.name,
        rps: result.requests.average,
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        wrong: result.non2xx + result.errors + result.timeouts,
        total: result.requests.total,
      });
      console.error(`${name} ${request.name}: ${result.requests.average.toFixed(0)} req/s`);
    }
  } finally {
    await server.stop();
  }
  return rows;
}

const rows = [
  ...(await measure('entente', () => startChild('entente'))),
  ...(await measure('prism 5.14.2', startPrism)),
  ...(await measure('pact-js 16.5.0 (V3 mock server)', () => startChild('pact'))),
];

const ms = (v) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
console.log(
  `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ` +
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${CONNECTIONS} connections, ${DURATION} s per row after ${WARMUP} s warm-up\n`,
);
console.log('| server | request | req/s | p50 | p90 | p99 | non-2xx/errors |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.server} | ${r.request} | ${r.rps.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p90)} | ${ms(r.p99)} | ${r.wrong}/${r.total} |`,
  );
}
console.log('\n| request | entente / prism | entente / pact-js |');
console.log('| --- | ---: | ---: |');
for (const request of REQUESTS) {
  const of = (server) => rows.find((r) => r.request === request.name && r.server.startsWith(server)).rps;
  const entente = of('entente');
  console.log(
    `| ${request.name} | ${(entente / of('prism')).toFixed(2)}× | ${(entente / of('pact')).toFixed(2)}× |`,
  );
}
