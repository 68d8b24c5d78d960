// Compares two builds of entente on `publish-spec`, alternating them run by run so that a
// shared machine's load falls on both alike. Each build has its own warm cache of one bare
// remote; every run publishes the castle spec under a new version on main.
// Run: node bench/ab-publish-spec.mjs OLD/bin/entente NEW/bin/entente  (RUNS=30 by default)
// A build elsewhere needs its dist/, bin/, package.json and a node_modules beside them.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [oldBin, newBin] = process.argv.slice(2);
if (!oldBin || !newBin)
  throw new Error('usage: node bench/ab-publish-spec.mjs OLD/bin/entente NEW/bin/entente');
const RUNS = Number(process.env.RUNS ?? 30);
const spec = fileURLToPath(new URL('../examples/castle-service/openapi.yaml', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'entente-ab-'));
const gitconfig = join(root, 'gitconfig');
writeFileSync(
  gitconfig,
  '[user]\n\tname = Bench\n\temail = bench@example.invalid\n[init]\n\tdefaultBranch = main\n',
);
const remote = join(root, 'contracts.git');
execFileSync('git', ['init', '--quiet', '--bare', remote]);
const cwd = join(root, 'project');
mkdirSync(cwd);
const builds = { old: oldBin, new: newBin };
const env = (build) => ({
  PATH: process.env.PATH,
  HOME: join(root, 'home'),
  GIT_CONFIG_GLOBAL: gitconfig,
  GIT_CONFIG_NOSYSTEM: '1',
  ENTENTE_CONTRACTS: remote,
  ENTENTE_CACHE_DIR: join(root, `cache-${build}`),
  NO_COLOR: '1',
});
const samples = { old: [], new: [] };
let version = 0;
for (let i = 0; i < RUNS; i++) {
  for (const build of i % 2 ? ['old', 'new'] : ['new', 'old']) {
    const started = process.hrtime.bigint();
    const run = spawnSync(
      process.execPath,
      [
        builds[build],
        'publish-spec',
        '--spec',
        spec,
        '--service',
        'castle-service',
        '--version',
        `1.0.${version++}`,
        '--branch',
        'main',
      ],
      { cwd, env: env(build), encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`${build}: exit ${run.status}: ${run.stderr}`);
    // The first run of each build fills its cache: left out.
    if (i > 0) samples[build].push(Number(process.hrtime.bigint() - started) / 1e6);
  }
}
console.log('| build | runs | median ms | min ms | p90 ms |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [build, s] of Object.entries(samples)) {
  s.sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(0);
  console.log(`| ${build} | ${s.length} | ${at(0.5)} | ${s[0].toFixed(0)} | ${at(0.9)} |`);
}
rmSync(root, { recursive: true, force: true });
