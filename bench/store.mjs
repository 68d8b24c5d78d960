// Measures the contracts store through the real CLI against a local bare remote:
// the cold start of `entente --version`, and publish-spec and record-deployment
// round trips (each a fetch, one commit and a push). Run: npm run build && node bench/store.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.RUNS ?? 20);
const bin = fileURLToPath(new URL('../bin/entente', import.meta.url));
const spec = fileURLToPath(new URL('../examples/castle-service/openapi.yaml', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'entente-bench-'));
const gitconfig = join(root, 'gitconfig');
writeFileSync(
  gitconfig,
  '[user]\n\tname = Bench\n\temail = bench@example.invalid\n[init]\n\tdefaultBranch = main\n',
);
const remote = join(root, 'contracts.git');
execFileSync('git', ['init', '--quiet', '--bare', remote]);
const cwd = join(root, 'project');
mkdirSync(cwd);
const env = {
  PATH: process.env.PATH,
  HOME: join(root, 'home'),
  GIT_CONFIG_GLOBAL: gitconfig,
  GIT_CONFIG_NOSYSTEM: '1',
  ENTENTE_CONTRACTS: remote,
  ENTENTE_CACHE_DIR: join(root, 'cache'),
  NO_COLOR: '1',
};

function time(args) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`entente ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

function summarize(name, samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    name,
    runs: samples.length,
    median: at(0.5).toFixed(0),
    p95: at(0.95).toFixed(0),
    min: sorted[0].toFixed(0),
  };
}

const results = [];
results.push(
  summarize(
    'entente --version (cold start)',
    Array.from({ length: RUNS }, () => time(['--version'])),
  ),
);
results.push(
  summarize(
    'publish-spec (new version, same document)',
    Array.from({ length: RUNS }, (_, i) =>
      time(['publish-spec', '--spec', spec, '--service', 'castle-service', '--version', `1.0.${i}`]),
    ),
  ),
);
results.push(
  summarize(
    'record-deployment',
    Array.from({ length: RUNS }, (_, i) =>
      time([
        'record-deployment',
        '--service',
        'castle-service',
        '--version',
        `1.0.${i}`,
        '--environment',
        'production',
        '--new-environment',
      ]),
    ),
  ),
);
results.push(
  summarize(
    'status',
    Array.from({ length: RUNS }, () => time(['status'])),
  ),
);
const node = Array.from({ length: RUNS }, () => {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  return Number(process.hrtime.bigint() - started) / 1e6;
});
results.push(summarize('node -e 0 (baseline)', node));

console.log(
  `# store round trips, ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, node ${process.version}`,
);
console.log('| what | runs | median ms | p95 ms | min ms |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of results) console.log(`| ${r.name} | ${r.runs} | ${r.median} | ${r.p95} | ${r.min} |`);
rmSync(root, { recursive: true, force: true });
