// CLI start-up: how long the real CLI (bin/entente) takes for commands that do
// little (--version, --help) and for warm reads on a small synthetic contracts
// repository (generate.mjs, 20 services × 10 versions, cache already filled),
// beside `node -e 0` in the same run. The cases are interleaved (one run of
// each, then the next round) so that load from other work on the machine
// falls on all of them alike. Prints a Markdown table of medians and ratios.
//
//   npm run bench:startup      (RUNS=20 SERVICES=20 VERSIONS=10 by default)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './can-i-deploy/generate.mjs';

const RUNS = Number(process.env.RUNS ?? 20);
const SERVICES = Number(process.env.SERVICES ?? 20);
const VERSIONS = Number(process.env.VERSIONS ?? 10);
const bin = fileURLToPath(new URL('../bin/entente', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'entente-bench-startup-'));
const repo = join(root, 'contracts.git');
const cache = join(root, 'cache');
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
  ENTENTE_CONTRACTS: repo,
  ENTENTE_CACHE_DIR: cache,
  NO_COLOR: '1',
};

function timed(args) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: root, env, maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

/** Time from spawning `entente mock` until it prints where it listens (stdout, --json); then stops it. */
function timedMock() {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, 'mock', 'svc-000', '--json'], { cwd: root, env });
    let out = '';
    let err = '';
    let ms;
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (ms === undefined && out.includes('"url"')) {
        ms = Number(process.hrtime.bigint() - started) / 1e6;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.on('close', (code) =>
      ms === undefined ? reject(new Error(`mock exited ${code}: ${err}`)) : resolve(ms),
    );
  });
}

const latest = `1.0.${VERSIONS - 1}`;
const cases = [
  ['node -e 0', () => timed(['-e', '0'])],
  ['entente --version', () => timed([bin, '--version'])],
  ['entente --help', () => timed([bin, '--help'])],
  ['entente can-i-deploy --help', () => timed([bin, 'can-i-deploy', '--help'])],
  [
    'entente can-i-deploy (warm)',
    () =>
      timed([
        bin,
        'can-i-deploy',
        '--service',
        'svc-001',
        '--version',
        latest,
        '--environment',
        'production',
        '--json',
      ]),
  ],
  ['entente status (warm)', () => timed([bin, 'status', '--environment', 'production', '--json'])],
  ['entente mock until listening (warm)', timedMock],
];

await generate(repo, { services: SERVICES, versions: VERSIONS });
// Fill the cache (the clone) and let each case run once before measuring.
for (const [, run] of cases) await run();

const samples = cases.map(() => []);
for (let i = 0; i < RUNS; i++) {
  for (const [index, [, run]] of cases.entries()) samples[index].push(await run());
}
rmSync(root, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const node = median(samples[0]);
console.log(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, ${new Date().toISOString().slice(0, 16)}Z, load average ${loadavg()[0].toFixed(1)}, ${RUNS} interleaved runs each (medians), repository ${SERVICES} services × ${VERSIONS} versions\n`,
);
console.log('| command | median, ms | × node -e 0 |');
console.log('| --- | ---: | ---: |');
for (const [index, [name]] of cases.entries()) {
  const ms = median(samples[index]);
  console.log(`| ${name} | ${ms.toFixed(0)} | ${(ms / node).toFixed(2)} |`);
}
