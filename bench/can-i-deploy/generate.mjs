// Generates a synthetic contracts repository with `git fast-import` (one stream,
// no CLI calls): SERVICES services, VERSIONS versions each, 4 environments, a
// dependency graph where a few popular providers have many consumers. One commit
// per service version (its version record, branch pointer, new contracts, the
// verifications its pipeline ran, and its deployments), as pipelines would make.
//
//   node bench/can-i-deploy/generate.mjs <bare repo path> [--services 300] [--versions 50]
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { contentHash, prettyJson } from '../../dist/util/canonical-json.js';

export const ENVIRONMENTS = [
  // environment, deploy every Nth version
  ['development', 1],
  ['test', 2],
  ['staging', 5],
  ['production', 10],
];
const PROVIDERS_PER_SERVICE = 3;
/** A consumer's contract with a provider changes every this many consumer versions. */
const CONTRACT_EVERY = 5;
const FIELDS = ['id', 'name', 'status', 'stock', 'price', 'createdAt', 'owner', 'tags'];

const serviceName = (i) => `svc-${String(i).padStart(3, '0')}`;
const versionName = (v) => `1.0.${v}`;

/** A deterministic pseudo-random generator, so every run builds the same repository. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Providers of each service: earlier services, skewed to the first ones (a few popular platform services). */
export function dependencyGraph(services) {
  const next = random(42);
  const providers = [];
  for (let i = 0; i < services; i++) {
    const chosen = new Set();
    for (
      let attempt = 0;
      i > 0 && chosen.size < Math.min(PROVIDERS_PER_SERVICE, i) && attempt < 50;
      attempt++
    ) {
      chosen.add(Math.floor(i * next() ** 2.5));
    }
    providers.push([...chosen].sort((a, b) => a - b));
  }
  return providers;
}

function spec(i) {
  const properties = Object.fromEntries(
    FIELDS.map((f) => [
      f,
      f === 'stock' || f === 'price'
        ? { type: 'integer' }
        : f === 'tags'
          ? { type: 'array', items: { type: 'string' } }
          : { type: 'string' },
    ]),
  );
  return {
    openapi: '3.0.3',
    info: { title: serviceName(i), version: '1' },
    paths: {
      '/things/{id}': {
        get: {
          operationId: 'getThing',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: {
              description: 'A thing',
              content: { 'application/json': { schema: { type: 'object', required: ['id'], properties } } },
            },
            404: { description: 'Not found' },
          },
        },
      },
    },
  };
}

function contract(consumer, provider, variant) {
  const body = {
    id: `t-${variant}`,
    name: `thing ${variant}`,
    status: 'ok',
    stock: variant,
    price: 100 + variant,
  };
  const reliesOn = FIELDS.filter((f, k) => f in body && (k + variant + consumer) % 2 === 0);
  const content = {
    operation: 'getThing',
    request: { method: 'GET', path: `/things/t-${variant}` },
    response: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body,
      reliesOn: reliesOn.length ? reliesOn : ['id'],
    },
  };
  return {
    consumer: serviceName(consumer),
    provider: serviceName(provider),
    interactions: [{ id: contentHash(content), ...content }],
  };
}

export async function generate(repo, { services = 300, versions = 50 } = {}) {
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', repo]);
  const child = spawn('git', ['fast-import', '--quiet', '--done'], {
    cwd: repo,
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`)),
    ),
  );
  let buffered = [];
  let size = 0;
  const write = async (text) => {
    buffered.push(text);
    size += text.length;
    if (size > 1 << 20) await flush();
  };
  const flush = async () => {
    const chunk = buffered.join('');
    buffered = [];
    size = 0;
    if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once('drain', resolve));
  };
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;

  const providers = dependencyGraph(services);
  const consumersOf = Array.from({ length: services }, () => []);
  providers.forEach((list, consumer) => {
    for (const p of list) consumersOf[p].push(consumer);
  });
  const specs = Array.from({ length: services }, (_, i) => {
    const document = spec(i);
    return { document, hash: contentHash(document) };
  });
  const deployments = new Map();
  const start = Date.UTC(2024, 0, 1) / 1000;
  let mark = 0;
  let files = 0;

  for (let v = 0; v < versions; v++) {
    for (let i = 0; i < services; i++) {
      const service = serviceName(i);
      const version = versionName(v);
      const time = start + (v * services + i) * 60;
      const at = new Date(time * 1000).toISOString();
      const changes = [];
      const put = (path, value) => changes.push(`M 100644 inline ${path}\n${data(prettyJson(value))}`);
      const variant = Math.floor(v / CONTRACT_EVERY);
      const contracts = {};
      for (const p of providers[i]) {
        const record = contract(i, p, variant);
        const hash = contentHash(record);
        contracts[serviceName(p)] = { hash, publishedAt: at };
        if (v % CONTRACT_EVERY === 0) put(`contracts/${serviceName(p)}/${service}/${hash}.json`, record);
      }
      if (v === 0) put(`services/${service}/specs/${specs[i].hash}.json`, specs[i].document);
      put(`services/${service}/versions/${version}.json`, {
        service,
        version,
        branch: 'main',
        commit: contentHash([service, version]).slice(0, 40),
        createdAt: at,
        spec: { hash: specs[i].hash, openapi: '3.0.3', title: service, publishedAt: at },
        ...(providers[i].length ? { contracts } : {}),
      });
      put(`services/${service}/branches/main.json`, {
        service,
        branch: 'main',
        latestVersion: version,
        updatedAt: at,
      });
      // The provider's pipeline verifies its consumers' contracts of the day.
      for (const c of consumersOf[i]) {
        const hash = contentHash(contract(c, i, variant));
        put(`verifications/${service}/${version}/${hash}.json`, {
          provider: service,
          providerVersion: version,
          contract: hash,
          consumer: serviceName(c),
          verifiedAt: at,
          success: true,
          interactions: [
            {
              id: contract(c, i, variant).interactions[0].id,
              operation: 'getThing',
              success: true,
              mismatches: [],
            },
          ],
        });
      }
      for (const [environment, every] of ENVIRONMENTS) {
        if (v % every !== every - 1) continue;
        const key = `${environment}/${service}`;
        const record = deployments.get(key) ?? { service, environment, deployed: [], history: [] };
        const replaced = record.deployed.map((d) => d.version);
        record.deployed = [{ version, deployedAt: at }];
        record.history.push({ action: 'deploy', version, at, ...(replaced.length ? { replaced } : {}) });
        deployments.set(key, record);
        put(`environments/${environment}/${service}.json`, record);
      }
      files += changes.length;
      mark++;
      await write(
        `commit refs/heads/main\nmark :${mark}\ncommitter Bench <bench@example.invalid> ${time} +0000\n${data(`${service}@${version}`)}${mark > 1 ? `from :${mark - 1}\n` : ''}${changes.join('')}\n`,
      );
    }
  }
  await write('done\n');
  await flush();
  child.stdin.end();
  await exited;
  return { commits: mark, fileWrites: files, providers, consumersOf };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { services: { type: 'string', default: '300' }, versions: { type: 'string', default: '50' } },
  });
  if (!positionals[0]) throw new Error('usage: generate.mjs <bare repo path> [--services N] [--versions N]');
  const started = Date.now();
  const result = await generate(positionals[0], {
    services: Number(values.services),
    versions: Number(values.versions),
  });
  console.log(
    `${result.commits} commits, ${result.fileWrites} file writes in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
