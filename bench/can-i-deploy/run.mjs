// can-i-deploy latency on a synthetic contracts repository (generate.mjs), and
// again with twice the history: the real CLI against a bare repository, with a
// warm cache (the first run's clone is reported apart). Prints a Markdown table.
//
//   npm run bench:can-i-deploy            (RUNS=10 SERVICES=300 VERSIONS=50 by default)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEnvironment } from './environment.mjs';
import { generate } from './generate.mjs';

const RUNS = Number(process.env.RUNS ?? 10);
const SERVICES = Number(process.env.SERVICES ?? 300);
const VERSIONS = Number(process.env.VERSIONS ?? 50);
const bin = fileURLToPath(new URL('../../bin/entente', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'entente-bench-cid-'));
const env = benchEnvironment(root);

function entente(repo, cache, args) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [bin, ...args, '--json'], {
    cwd: root,
    env: env(repo, cache),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`entente ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return { ms, result: JSON.parse(run.stdout) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs) => Math.max(...xs);

function cases(versions) {
  const latest = `1.0.${versions - 1}`;
  const older = `1.0.${versions - 6}`;
  const deploy = (service, version) => [
    'can-i-deploy',
    '--service',
    service,
    '--version',
    version,
    '--environment',
    'production',
  ];
  return [
    ['popular provider, verified pairs', deploy('svc-000', latest)],
    ['popular provider, static checks', deploy('svc-000', older)],
    ['consumer of 3 providers', deploy(`svc-${String(SERVICES - 1).padStart(3, '0')}`, latest)],
    ['status --environment production', ['status', '--environment', 'production']],
  ];
}

// Both repositories first, then the runs interleaved (A, B, A, B…), so a change in
// the machine's load during the benchmark hits both sides alike.
const repos = [];
for (const versions of [VERSIONS, VERSIONS * 2]) {
  const repo = join(root, `contracts-${versions}.git`);
  const started = Date.now();
  const generated = await generate(repo, { services: SERVICES, versions });
  const generateSeconds = (Date.now() - started) / 1000;
  const files = execFileSync('git', ['ls-tree', '-r', '--name-only', 'main'], {
    cwd: repo,
    maxBuffer: 1 << 28,
  })
    .toString()
    .split('\n')
    .filter(Boolean).length;
  const size = execFileSync('du', ['-sh', repo]).toString().split('\t')[0];
  const label = `${SERVICES} services × ${versions} versions (${generated.commits} commits, ${files} files, ${size})`;
  console.error(`${label}: generated in ${generateSeconds.toFixed(1)} s`);
  repos.push({ repo, versions, label, cache: join(root, `cache-${versions}`) });
}

const rows = [];
for (let c = 0; c < cases(VERSIONS).length; c++) {
  const sides = repos.map((r) => {
    const [name, args] = cases(r.versions)[c];
    const first = entente(r.repo, r.cache, args);
    return { ...r, name, args, first, times: [] };
  });
  for (let run = 0; run < RUNS; run++)
    for (const side of sides) side.times.push(entente(side.repo, side.cache, side.args).ms);
  for (const { label, name, first, times } of sides) {
    const pairs = first.result.pairs?.length ?? first.result.matrix?.[0]?.cells.length;
    const verdict = first.result.verdict ?? '-';
    rows.push([
      label,
      name,
      String(pairs),
      verdict,
      first.ms.toFixed(0),
      median(times).toFixed(0),
      max(times).toFixed(0),
    ]);
    console.error(`  ${label}, ${name}: median ${median(times).toFixed(0)} ms`);
  }
}

const startup = Array.from({ length: RUNS }, () => {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, [bin, '--version']);
  return Number(process.hrtime.bigint() - started) / 1e6;
});
const version = execFileSync(process.execPath, [bin, '--version']).toString().trim();
console.log(
  `entente ${version}, Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, ${new Date().toISOString().slice(0, 10)}, ${RUNS} runs each\n`,
);
console.log('| repository | case | pairs | verdict | first run (clone), ms | median, ms | max, ms |');
console.log('| --- | --- | ---: | --- | ---: | ---: | ---: |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log(
  `\nFor scale: \`entente --version\` (process start, no repository) takes ${median(startup).toFixed(0)} ms (median).`,
);
rmSync(root, { recursive: true, force: true });
