// CLI start-up: how long the real CLI (bin/entente) takes for commands that do
// little (--version, --help) and for warm reads on a small synthetic contracts
// repository (generate.mjs, 20 services × 10 versions, cache already filled),
// beside `node -e 0` in the same run. The cases are interleaved (one run of
// each, then the next round) so that load from other work on the machine
// falls on all of them alike. Prints a Markdown table of medians and ratios.
//
//   npm run bench:startup      (RUNS=20 SERVICES=20 VERSIONS=10 by default)
//
// BEFORE=<other checkout>/bin/entente adds the same rows for another build (an
// older commit, built there), measured in the same interleaved rounds.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './can-i-deploy/generate.mjs';

const RUNS = Number(process.env.RUNS ?? 20);
const SERVICES = Number(process.env.SERVICES ?? 20);
const VERSIONS = Number(process.env.VERSIONS ?? 10);
const bin = fileURLToPath(new URL('../bin/entente', import.meta.url));
const latest = `1.0.${VERSIONS - 1}`;
const bins = process.env.BEFORE
  ? [
      ['before: ', process.env.BEFORE],
      ['', bin],
    ]
  : [['', bin]];
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

// With GNU time, each run's CPU time (user + system, its git processes
// included) is read too: steadier than wall time on a machine loaded by
// others, though counted in 10 ms steps (so averaged, not a median).
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const cpuFile = join(root, 'cpu');
const cpu = new Map();

function timed(args, name) {
  const [command, prefix] = gnuTime
    ? [gnuTime, ['-f', '%U %S', '-o', cpuFile, process.execPath]]
    : [process.execPath, []];
  const started = process.hrtime.bigint();
  const run = spawnSync(command, [...prefix, ...args], {
    encoding: 'utf8',
    cwd: root,
    env,
    maxBuffer: 1 << 26,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  if (gnuTime && name) {
    const [user, system] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
    cpu.set(name, [...(cpu.get(name) ?? []), (user + system) * 1000]);
  }
  return ms;
}

/** Time from spawning `entente mock` until it prints where it listens (stdout, --json); then stops it. */
function timedMock(bin) {
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

const cases = [['node -e 0', (name) => timed(['-e', '0'], name)]];
for (const [label, bin] of bins) {
  cases.push(
    [`${label}entente --version`, (name) => timed([bin, '--version'], name)],
    [`${label}entente --help`, (name) => timed([bin, '--help'], name)],
    [`${label}entente can-i-deploy --help`, (name) => timed([bin, 'can-i-deploy', '--help'], name)],
    [
      `${label}entente can-i-deploy (warm)`,
      (name) =>
        timed(
          [
            bin,
            'can-i-deploy',
            '--service',
            'svc-001',
            '--version',
            latest,
            '--environment',
            'production',
            '--json',
          ],
          name,
        ),
    ],
    [
      `${label}entente status (warm)`,
      (name) => timed([bin, 'status', '--environment', 'production', '--json'], name),
    ],
    [`${label}entente mock until listening (warm)`, () => timedMock(bin)],
  );
}

await generate(repo, { services: SERVICES, versions: VERSIONS });
// Fill the cache (the clone) and let each case run once before measuring.
for (const [, run] of cases) await run();

const samples = cases.map(() => []);
for (let i = 0; i < RUNS; i++) {
  for (const [index, [name, run]] of cases.entries()) samples[index].push(await run(name));
}
rmSync(root, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const node = median(samples[0]);
console.log(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, ${new Date().toISOString().slice(0, 16)}Z, load average ${loadavg()[0].toFixed(1)}, ${RUNS} interleaved runs each (medians), repository ${SERVICES} services × ${VERSIONS} versions\n`,
);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const nodeCpu = cpu.has('node -e 0') ? mean(cpu.get('node -e 0')) : undefined;
console.log('| command | wall, median ms | × node -e 0 | CPU, mean ms | × node -e 0 |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [index, [name]] of cases.entries()) {
  const ms = median(samples[index]);
  const used = cpu.has(name) ? mean(cpu.get(name)) : undefined;
  const cpuColumns =
    used === undefined || !nodeCpu ? '– | –' : `${used.toFixed(0)} | ${(used / nodeCpu).toFixed(2)}`;
  console.log(`| ${name} | ${ms.toFixed(0)} | ${(ms / node).toFixed(2)} | ${cpuColumns} |`);
}
