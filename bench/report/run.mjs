// entente report on the 300-service repository that bench/can-i-deploy
// generates: render time (the real CLI, warm cache; the cloning run apart) and
// the site's size. Prints a Markdown table.
//
//   npm run bench:report            (RUNS=5 SERVICES=300 VERSIONS=50 by default;
//                                    REPO=path reuses a repository generate.mjs made)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../can-i-deploy/generate.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const SERVICES = Number(process.env.SERVICES ?? 300);
const VERSIONS = Number(process.env.VERSIONS ?? 50);
const bin = fileURLToPath(new URL('../../bin/entente', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'entente-bench-report-'));
const gitconfig = join(root, 'gitconfig');
writeFileSync(
  gitconfig,
  '[user]\n\tname = Bench\n\temail = bench@example.invalid\n[init]\n\tdefaultBranch = main\n',
);

function report(repo, out) {
  const env = {
    PATH: process.env.PATH,
    HOME: join(root, 'home'),
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
    ENTENTE_CONTRACTS: repo,
    ENTENTE_CACHE_DIR: join(root, 'cache'),
    NO_COLOR: '1',
  };
  const started = process.hrtime.bigint();
  // GNU time gives the CPU time of entente and its git processes: on a shared machine, wall time mostly measures the queue.
  const run = spawnSync(
    '/usr/bin/time',
    ['-f', 'cpu %U %S', process.execPath, bin, 'report', '--out', out, '--json'],
    {
      cwd: root,
      env,
      encoding: 'utf8',
    },
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`entente report exited ${run.status}: ${run.stderr}`);
  const [, user, system] = /cpu ([\d.]+) ([\d.]+)/.exec(run.stderr) ?? [];
  return { ms, cpuMs: (Number(user) + Number(system)) * 1000, result: JSON.parse(run.stdout) };
}

function sizes(dir) {
  const out = {};
  for (const entry of readdirSync(dir, { recursive: true })) {
    const path = join(dir, entry);
    if (statSync(path).isFile()) out[entry] = statSync(path).size;
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kib = (n) => `${Math.round(n / 1024).toLocaleString('en')} KiB`;

try {
  // REPO: a repository generate.mjs made earlier with the same SERVICES and VERSIONS (generating takes minutes).
  const repo = process.env.REPO ?? join(root, 'contracts.git');
  if (!process.env.REPO) {
    const generatedAt = Date.now();
    await generate(repo, { services: SERVICES, versions: VERSIONS });
    console.error(`generated ${SERVICES} × ${VERSIONS} in ${Date.now() - generatedAt} ms`);
  }
  const out = join(root, 'site');
  const first = report(repo, out);
  const times = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const run = report(repo, out);
    times.push(run.ms);
    cpu.push(run.cpuMs);
  }
  const files = sizes(out);
  const total = Object.values(files).reduce((a, b) => a + b, 0);
  const largest = (prefix) =>
    Math.max(
      ...Object.entries(files)
        .filter(([p]) => p.startsWith(prefix))
        .map(([, n]) => n),
    );
  console.log(
    `Node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GB, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  console.log(
    `| repository | first run (clone), ms | median of ${RUNS}, wall ms | max, wall ms | median CPU ms (user + sys) | files | site | index.html | largest service page | largest matrix page |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  console.log(
    `| ${SERVICES} × ${VERSIONS} versions | ${Math.round(first.ms).toLocaleString('en')} | ${Math.round(median(times)).toLocaleString('en')} | ${Math.round(Math.max(...times)).toLocaleString('en')} | ${Math.round(median(cpu)).toLocaleString('en')} | ${first.result.files.toLocaleString('en')} | ${kib(total)} | ${kib(files['index.html'])} | ${kib(largest('services/'))} | ${kib(largest('matrix/'))} |`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
