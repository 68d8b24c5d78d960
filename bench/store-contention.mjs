// Write throughput under contention: WRITERS concurrent `entente record-deployment`
// processes, each with its own cache (as separate CI runners have), against one
// local bare remote. Reports records landed per second, retries and latency
// percentiles, and checks that every record landed with one commit each.
//
//   npm run bench:contention      (WRITERS=50 by default; BIN=… another build)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WRITERS = Number(process.env.WRITERS ?? 50);
// BIN=<other checkout>/bin/entente runs another build (an older commit, built there) for comparison.
const bin = process.env.BIN ?? fileURLToPath(new URL('../bin/entente', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'entente-bench-contention-'));
const gitconfig = join(root, 'gitconfig');
writeFileSync(
  gitconfig,
  '[user]\n\tname = Bench\n\temail = bench@example.invalid\n[init]\n\tdefaultBranch = main\n',
);
const remote = join(root, 'contracts.git');
execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
const baseEnv = {
  PATH: process.env.PATH,
  HOME: join(root, 'home'),
  GIT_CONFIG_GLOBAL: gitconfig,
  GIT_CONFIG_NOSYSTEM: '1',
  ENTENTE_CONTRACTS: remote,
  NO_COLOR: '1',
};

function write(i) {
  const args = [
    'record-deployment',
    '--service',
    `svc-${String(i).padStart(3, '0')}`,
    '--version',
    '1.0.0',
    '--environment',
    'production',
    '--json',
    '--allow-unknown-version',
    '--new-environment',
  ];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...baseEnv, ENTENTE_CACHE_DIR: join(root, `cache-${i}`) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) reject(new Error(`writer ${i} exited ${code}: ${stderr}`));
      else resolve({ ms, attempts: JSON.parse(stdout).attempts ?? 1 });
    });
  });
}

// One write first, so the branch exists and every writer contends on the same ref.
await write(WRITERS);
const started = Date.now();
const results = await Promise.all(Array.from({ length: WRITERS }, (_, i) => write(i)));
const seconds = (Date.now() - started) / 1000;
const times = results.map((r) => r.ms).sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
const retries = results.reduce((n, r) => n + r.attempts - 1, 0);
const commits = Number(execFileSync('git', ['rev-list', '--count', 'main'], { cwd: remote }).toString());
const files = execFileSync('git', ['ls-tree', '-r', '--name-only', 'main'], { cwd: remote })
  .toString()
  .trim()
  .split('\n');
execFileSync('git', ['fsck', '--no-progress'], { cwd: remote });
if (commits !== WRITERS + 1 || files.length !== WRITERS + 1) {
  throw new Error(
    `expected ${WRITERS + 1} commits and files, got ${commits} commits and ${files.length} files`,
  );
}
console.log(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, ${new Date().toISOString().slice(0, 16)}Z, load average ${loadavg()[0].toFixed(1)}\n`,
);
console.log(
  '| writers | wall time, s | records/s | retries (total, max per writer) | p50, ms | p95, ms | max, ms | landed |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
console.log(
  `| ${WRITERS} | ${seconds.toFixed(1)} | ${(WRITERS / seconds).toFixed(1)} | ${retries}, ${Math.max(...results.map((r) => r.attempts)) - 1} | ${pct(50).toFixed(0)} | ${pct(95).toFixed(0)} | ${times.at(-1).toFixed(0)} | ${commits - 1} of ${WRITERS}, one commit each, fsck clean |`,
);
rmSync(root, { recursive: true, force: true });
