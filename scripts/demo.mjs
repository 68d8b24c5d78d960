// The walkthrough demo. Until the whole flow exists it shows what the CLI can do.
import { spawnSync } from 'node:child_process';

const bin = new URL('../bin/entente', import.meta.url).pathname;
for (const args of [['--version'], ['--help']]) {
  console.log(`$ entente ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
