// Soak: the memory of a real `entente mock --record` process under rounds of many small
// requests, 100 MB requests (with and without content-length) and 1 MB requests.
// Usage: npm run build && node bench/mock/soak.mjs   (ROUNDS, SMALL, HUGE_MB change the load)
// Prints the process's resident memory (VmRSS, /proc) after each round, and its peak (VmHWM).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROUNDS = Number(process.env.ROUNDS ?? 6);
const SMALL = Number(process.env.SMALL ?? 3000);
const HUGE_MB = Number(process.env.HUGE_MB ?? 100);
const HUGE_PER_ROUND = 4;
const MEDIUM_PER_ROUND = 10;
const CONCURRENCY = 10;

const repo = fileURLToPath(new URL('../..', import.meta.url));
const spec = join(repo, 'examples/castle-service/openapi.yaml');
const work = mkdtempSync(join(tmpdir(), 'entente-soak-'));
const pendingDir = join(work, 'pending');
const env = {
  PATH: process.env.PATH,
  HOME: join(work, 'home'),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  ENTENTE_HOME: join(work, 'entente-home'),
  ENTENTE_CACHE_DIR: join(work, 'cache'),
  ENTENTE_SERVICE: 'castle-client',
  ENTENTE_VERSION: '0.1.0',
  ENTENTE_PENDING_DIR: pendingDir,
  NO_COLOR: '1',
};

const child = spawn(
  process.execPath,
  [join(repo, 'bin/entente'), 'mock', 'castle-service', '--spec', spec, '--port', '0', '--record'],
  { cwd: work, env, stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
    const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (match) resolve(match[1]);
  });
  child.once('exit', (code) => reject(new Error(`entente mock exited (${code}): ${out}`)));
});

const memory = () => {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
};

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const statuses = new Map();

/** Sends a body (a Buffer, or { chunk, times } streamed without content-length) and counts the status. */
function post(body) {
  return new Promise((resolve) => {
    const streamed = !Buffer.isBuffer(body);
    const req = request(`${url}/castles`, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        ...(streamed ? { 'transfer-encoding': 'chunked' } : { 'content-length': body.length }),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        resolve();
      });
    });
    req.on('error', (error) => {
      statuses.set(error.code ?? 'error', (statuses.get(error.code ?? 'error') ?? 0) + 1);
      resolve();
    });
    if (!streamed) return void req.end(body);
    let sent = 0;
    const pump = () => {
      while (sent < body.times) {
        sent++;
        if (!req.write(body.chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

const castle = (description) =>
  Buffer.from(JSON.stringify({ name: 'Chambord', region: 'Loire', yearBuilt: 1519, description }));
const small = castle('A castle');
const medium = castle('x'.repeat(1024 * 1024));
const huge = Buffer.alloc(HUGE_MB * 1024 * 1024, 0x20);
const hugeStream = { chunk: Buffer.alloc(1024 * 1024, 0x20), times: HUGE_MB };

async function pool(count, make) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next++;
        await make();
      }
    }),
  );
}

const rows = [];
const start = memory();
rows.push(['start', start.rss, start.peak, 0]);
const began = Date.now();
for (let round = 1; round <= ROUNDS; round++) {
  await pool(SMALL, () => post(small));
  for (let i = 0; i < HUGE_PER_ROUND / 2; i++) await post(huge);
  for (let i = 0; i < HUGE_PER_ROUND / 2; i++) await post(hugeStream);
  await pool(MEDIUM_PER_ROUND, () => post(medium));
  await new Promise((r) => setTimeout(r, 500));
  const { rss, peak } = memory();
  rows.push([`after round ${round}`, rss, peak, (Date.now() - began) / 1000]);
}
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
agent.destroy();
const recorded = readdirSync(pendingDir, { recursive: true }).filter((f) =>
  String(f).endsWith('.json'),
).length;
const pendingBytes = Number(execFileSync('du', ['-sb', pendingDir]).toString().split('\t')[0]);
rmSync(work, { recursive: true, force: true });

const perRound = `${SMALL} small POSTs, ${HUGE_PER_ROUND} × ${HUGE_MB} MB POSTs (half with content-length, half chunked), ${MEDIUM_PER_ROUND} × 1 MB POSTs`;
console.log(`entente mock --record soak: ${ROUNDS} rounds of ${perRound}; ${CONCURRENCY} connections`);
console.log('| moment | RSS | peak RSS (VmHWM) | elapsed |');
console.log('| --- | ---: | ---: | ---: |');
for (const [moment, rss, peak, seconds] of rows) {
  console.log(`| ${moment} | ${rss.toFixed(0)} MB | ${peak.toFixed(0)} MB | ${seconds.toFixed(1)} s |`);
}
console.log(
  `statuses: ${[...statuses].map(([status, n]) => `${status}×${n}`).join(', ')}; recorded ${recorded} interactions, ${(pendingBytes / 1024 / 1024).toFixed(1)} MB in the pending folder`,
);
