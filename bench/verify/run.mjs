// Verification of 1,000 interactions against a trivial local provider, and
// what entente itself adds per interaction: the same 1,000 requests sent with
// plain fetch are the baseline. Run: npm run bench:verify
// (INTERACTIONS=… and RUNS=… change the size.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractRecord, VersionRecord } from '../../dist/model/records.js';
import { loadSpec } from '../../dist/openapi/load.js';
import { publishSpec } from '../../dist/provider-spec/publish.js';
import { contractHash } from '../../dist/record/publish.js';
import { layout } from '../../dist/store/layout.js';
import { ContractsStore } from '../../dist/store/store.js';
import { contentHash } from '../../dist/util/canonical-json.js';
import { replayRequest, wireRequest } from '../../dist/verify/replay.js';
import { verifyProvider } from '../../dist/verify/verify.js';

const INTERACTIONS = Number(process.env.INTERACTIONS ?? 1000);
const RUNS = Number(process.env.RUNS ?? 5);
const NOW = '2026-11-21T10:00:00.000Z';
const root = mkdtempSync(join(tmpdir(), 'entente-bench-verify-'));
const gitconfig = join(root, 'gitconfig');
writeFileSync(
  gitconfig,
  '[user]\n\tname = Bench\n\temail = bench@example.invalid\n[init]\n\tdefaultBranch = main\n',
);
const env = {
  PATH: process.env.PATH,
  HOME: join(root, 'home'),
  GIT_CONFIG_GLOBAL: gitconfig,
  GIT_CONFIG_NOSYSTEM: '1',
};
const remote = join(root, 'contracts.git');
execFileSync('git', ['init', '--quiet', '--bare', remote]);

// The trivial provider: every castle exists.
const provider = createServer((request, response) => {
  const id = request.url.split('/').pop();
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({ id, name: 'Château de Chambord', region: 'Centre-Val de Loire', yearBuilt: 1519 }),
  );
});
await new Promise((resolve) => provider.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${provider.address().port}`;

const store = await ContractsStore.open({
  location: { kind: 'path', path: remote },
  branch: 'main',
  cacheDir: join(root, 'cache'),
  env,
});
const spec = await loadSpec(
  fileURLToPath(new URL('../../examples/castle-service/openapi.yaml', import.meta.url)),
);
await publishSpec(store, spec, { service: 'castle-service', version: '1.0.0', branch: 'main' }, { now: NOW });

// One contract of INTERACTIONS getCastle interactions, each for another castle.
const interactions = Array.from({ length: INTERACTIONS }, (_, i) => {
  const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const content = {
    operation: 'getCastle',
    request: { method: 'GET', path: `/castles/${id}` },
    response: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { id, name: 'Château de Blois', region: 'Centre', yearBuilt: 1498 },
    },
  };
  return { id: contentHash(content), ...content };
}).sort((a, b) => a.id.localeCompare(b.id));
const contract = { consumer: 'castle-client', provider: 'castle-service', interactions };
const hash = contractHash(contract);
await store.transact('bench: castle-client contract', async ({ changes }) => {
  changes.writeRecord(ContractRecord, layout.contract('castle-service', 'castle-client', hash), contract);
  changes.writeRecord(VersionRecord, layout.version('castle-client', '1.0.0'), {
    service: 'castle-client',
    version: '1.0.0',
    branch: 'main',
    createdAt: NOW,
    contracts: { 'castle-service': { hash, publishedAt: NOW } },
  });
  changes.write(
    layout.branch('castle-client', 'main'),
    JSON.stringify({ service: 'castle-client', branch: 'main', latestVersion: '1.0.0', updatedAt: NOW }),
  );
});

async function plainFetch() {
  const started = performance.now();
  for (const interaction of interactions) {
    const request = replayRequest(interaction, baseUrl);
    const response = await fetch(request.url, wireRequest(request));
    JSON.parse(await response.text());
  }
  return performance.now() - started;
}

/** The whole run, and the replay loop alone (from the first state setup to the last outcome). */
async function entente(publish) {
  const started = performance.now();
  let first;
  let last;
  const result = await verifyProvider(store, {
    provider: 'castle-service',
    version: '1.0.0',
    baseUrl,
    stateHandlers: {
      getCastle: () => {
        first ??= performance.now();
      },
    },
    cleanup: () => undefined,
    onProgress: () => {
      last = performance.now();
    },
    publish,
    now: NOW,
  });
  if (!result.success || result.summary.interactions !== INTERACTIONS) throw new Error('verification failed');
  return { total: performance.now() - started, loop: last - first };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
await plainFetch(); // warm up: connections, JIT
await entente(false);
const baseline = [];
const runs = [];
for (let i = 0; i < RUNS; i++) {
  baseline.push(await plainFetch());
  runs.push(await entente(false));
}
const published = await entente(true);
provider.close();
rmSync(root, { recursive: true, force: true });

const base = median(baseline);
const loop = median(runs.map((r) => r.loop));
const total = median(runs.map((r) => r.total));
const ms = (value) => `${value.toFixed(0)} ms`;
const each = (value) => `${((value / INTERACTIONS) * 1000).toFixed(0)} µs`;
console.log(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString()}`,
);
console.log(`${INTERACTIONS} interactions, median of ${RUNS} runs`);
console.log(`plain fetch of the same requests        ${ms(base)}  (${each(base)} per request)`);
console.log(`entente verify --no-publish, whole run  ${ms(total)}`);
console.log(`  of which the replay loop              ${ms(loop)}  (${each(loop)} per interaction)`);
console.log(`  fixed cost (fetch, selection, spec)   ${ms(total - loop)}`);
console.log(`entente's own overhead per interaction  ${each(loop - base)}`);
console.log(
  `whole run with the results committed    ${ms(published.total)}  (one run, ${INTERACTIONS} fixture drafts)`,
);
