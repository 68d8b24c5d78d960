// Cold and warm reads on the synthetic contracts repositories (generate.mjs),
// served as GitHub and GitLab serve them (the bare remote allows filters):
// can-i-deploy, status and createMock, each from an empty cache (a fresh CI
// runner) and from a warm one, beside `git clone` of the same repository and
// `node -e 0`, with ratios from the same run. Prints a Markdown table.
//
//   npm run bench:cold      (RUNS=5 SERVICES=300 VERSIONS=50 by default; REPOS=dir keeps generated repositories)
//
// BASELINE=dir times another built checkout of entente (`npm run build` in it) in the same run,
// each run of a case alternating between the two builds, so both see the same load.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchEnvironment } from './environment.mjs';
import { generate } from './generate.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const SERVICES = Number(process.env.SERVICES ?? 300);
const VERSIONS = Number(process.env.VERSIONS ?? 50);
const builds = [
  {
    name: 'this build',
    bin: fileURLToPath(new URL('../../bin/entente', import.meta.url)),
    library: new URL('../../dist/index.js', import.meta.url).href,
  },
  ...(process.env.BASELINE
    ? [
        {
          name: 'baseline',
          bin: join(resolve(process.env.BASELINE), 'bin', 'entente'),
          library: pathToFileURL(join(resolve(process.env.BASELINE), 'dist', 'index.js')).href,
        },
      ]
    : []),
];
const root = mkdtempSync(join(tmpdir(), 'entente-bench-cold-'));
const repos = process.env.REPOS ?? root;
const env = benchEnvironment(root);

function timed(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28, cwd: root, ...options });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let cacheCount = 0;
const freshCache = () => join(root, `cache-${++cacheCount}`);

function cases(versions, { bin, library }) {
  const latest = `1.0.${versions - 1}`;
  return [
    [
      'can-i-deploy (popular provider)',
      (repo, cache) =>
        timed(
          process.execPath,
          [
            bin,
            'can-i-deploy',
            '--service',
            'svc-000',
            '--version',
            latest,
            '--environment',
            'production',
            '--json',
          ],
          { env: env(repo, cache) },
        ),
    ],
    [
      'status --environment production',
      (repo, cache) =>
        timed(process.execPath, [bin, 'status', '--environment', 'production', '--json'], {
          env: env(repo, cache),
        }),
    ],
    [
      'createMock (library, in a new process)',
      (repo, cache) =>
        timed(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const { createMock } = await import(${JSON.stringify(library)}); const mock = await createMock('svc-000', 'latest'); await mock.close();`,
          ],
          { env: env(repo, cache) },
        ),
    ],
  ];
}

const sides = [];
for (const versions of [VERSIONS, VERSIONS * 2]) {
  const repo = join(repos, `contracts-${SERVICES}x${versions}.git`);
  if (!existsSync(repo)) {
    mkdirSync(repos, { recursive: true });
    await generate(repo, { services: SERVICES, versions });
  }
  execFileSync('git', ['config', 'uploadpack.allowFilter', 'true'], { cwd: repo });
  const commits = execFileSync('git', ['rev-list', '--count', 'main'], { cwd: repo }).toString().trim();
  const size = execFileSync('du', ['-sh', repo]).toString().split('\t')[0];
  sides.push({ repo, versions, label: `${SERVICES} × ${versions} (${commits} commits, ${size})` });
}

const node = median(Array.from({ length: RUNS }, () => timed(process.execPath, ['-e', '0'])));
const rows = [];
for (const side of sides) {
  const clone = (args) =>
    median(
      Array.from({ length: RUNS }, () => {
        const target = join(root, `clone-${++cacheCount}`);
        const ms = timed('git', ['clone', '--quiet', '--bare', '--no-local', ...args, side.repo, target], {
          env: env(side.repo, ''),
        });
        rmSync(target, { recursive: true, force: true });
        return ms;
      }),
    );
  rows.push([side.label, 'git clone --bare (full)', clone([]), null]);
  rows.push([
    side.label,
    'git clone --depth 1 --filter=blob:none',
    clone(['--depth', '1', '--filter=blob:none']),
    null,
  ]);
  rows.push([
    side.label,
    'git clone --depth 1 --filter=tree:1',
    clone(['--depth', '1', '--filter=tree:1']),
    null,
  ]);
  const perBuild = builds.map((build) => cases(side.versions, build));
  for (const [index, [name]] of perBuild[0].entries()) {
    const times = builds.map(() => ({ cold: [], warm: [] }));
    for (let i = 0; i < RUNS; i++) {
      builds.forEach((_, b) => {
        const run = perBuild[b][index][1];
        const cache = freshCache();
        times[b].cold.push(run(side.repo, cache));
        times[b].warm.push(run(side.repo, cache));
        rmSync(cache, { recursive: true, force: true });
      });
    }
    builds.forEach((build, b) => {
      const what = builds.length > 1 ? `${name}, ${build.name}` : name;
      const [cold, warm] = [median(times[b].cold), median(times[b].warm)];
      rows.push([side.label, what, cold, warm]);
      console.error(`  ${side.label}, ${what}: cold ${cold.toFixed(0)} ms, warm ${warm.toFixed(0)} ms`);
    });
  }
}

console.log(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, ${new Date().toISOString().slice(0, 16)}Z, load average ${loadavg()[0].toFixed(1)}, ${RUNS} runs each (medians)\n`,
);
console.log('| repository | what | cold, ms | × node -e 0 | warm, ms | × node -e 0 |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
const ratio = (ms) => (ms === null ? '' : (ms / node).toFixed(1));
for (const [label, what, cold, warm] of rows)
  console.log(
    `| ${label} | ${what} | ${cold.toFixed(0)} | ${ratio(cold)} | ${warm === null ? '' : warm.toFixed(0)} | ${ratio(warm)} |`,
  );
console.log(`\n\`node -e 0\`: ${node.toFixed(0)} ms (median).`);
rmSync(root, { recursive: true, force: true });
