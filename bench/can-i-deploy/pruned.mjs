// Cold can-i-deploy as history doubles, with the growth managed: copies of the
// 300 × 50 and 300 × 100 repositories (generate.mjs; 15,000 and 30,000
// commits), each pruned by `entente prune --older-than 1d` (every generated
// version is from 2024: what is neither deployed nor the latest on main goes),
// served as hosted remotes serve them: filters allowed and a reverse index
// beside each pack (`git index-pack --rev-index`; git writes one by default
// since 2.41). Cold can-i-deploy for the popular provider, the two sizes
// alternating, beside the same on the unpruned repositories. Prints a
// Markdown table of medians.
//
//   node bench/can-i-deploy/pruned.mjs      (after npm run build; RUNS=5; REPOS=dir reuses generated repositories)

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEnvironment } from './environment.mjs';
import { generate } from './generate.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const bin = fileURLToPath(new URL('../../bin/entente', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'entente-bench-pruned-'));
const repos = process.env.REPOS ?? root;
const env = benchEnvironment(root);
const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });

function entente(repo, cache, args) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [bin, ...args, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    cwd: root,
    env: env(repo, cache),
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`entente ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return { ms, json: JSON.parse(run.stdout) };
}

const sizes = [];
for (const versions of [50, 100]) {
  const generated = join(repos, `contracts-300x${versions}.git`);
  if (!existsSync(generated)) await generate(generated, { services: 300, versions });
  git(generated, 'config', 'uploadpack.allowFilter', 'true');
  const pruned = join(root, `pruned-300x${versions}.git`);
  cpSync(generated, pruned, { recursive: true });
  const prune = entente(pruned, join(root, `prune-cache-${versions}`), ['prune', '--older-than', '1d']);
  const packs = join(pruned, 'objects', 'pack');
  for (const pack of readdirSync(packs).filter((name) => name.endsWith('.pack')))
    git(pruned, 'index-pack', '--rev-index', join(packs, pack));
  const files = git(pruned, 'ls-tree', '-r', '--name-only', 'main').split('\n').filter(Boolean).length;
  const commits = Number(git(pruned, 'rev-list', '--count', 'main').trim());
  sizes.push({
    versions,
    generated,
    pruned,
    removed: prune.json.versions.length,
    pruneMs: prune.ms,
    files,
    commits,
  });
}

const times = new Map();
let caches = 0;
for (let run = 0; run < RUNS; run++) {
  for (const kind of ['pruned', 'generated']) {
    for (const { versions, ...size } of sizes) {
      const cache = join(root, `cache-${++caches}`);
      const { ms, json } = entente(size[kind], cache, [
        'can-i-deploy',
        '--service',
        'svc-000',
        '--version',
        `1.0.${versions - 1}`,
        '--environment',
        'production',
      ]);
      if (json.verdict !== 'yes') throw new Error(`can-i-deploy on ${size[kind]}: ${json.verdict}`);
      rmSync(cache, { recursive: true, force: true });
      const key = `${kind} ${versions}`;
      times.set(key, [...(times.get(key) ?? []), ms]);
    }
  }
}
rmSync(root, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, ${new Date().toISOString().slice(0, 16)}Z, load average ${loadavg()[0].toFixed(1)}, ${RUNS} alternating runs (medians)\n`,
);
for (const s of sizes)
  console.log(
    `300 × ${s.versions}: prune removed ${s.removed} versions in ${(s.pruneMs / 1000).toFixed(1)} s; ${s.commits} commits, ${s.files} files at the head after it`,
  );
console.log('\n| repository | cold can-i-deploy, 300 × 50, ms | 300 × 100, ms | as history doubles |');
console.log('| --- | ---: | ---: | ---: |');
for (const kind of ['pruned', 'generated']) {
  const [a, b] = [median(times.get(`${kind} 50`)), median(times.get(`${kind} 100`))];
  const label =
    kind === 'pruned' ? 'pruned, with reverse indexes' : 'as generated (no prune, no reverse index)';
  console.log(
    `| ${label} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(0)} % |`,
  );
}
