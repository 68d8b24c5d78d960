// The environment the benches in this folder run entente (and git) with: a
// scratch home and git identity under `root`, never the machine's, the
// contracts repository and cache given per run, no colour.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `root`/gitconfig and returns the environment for a run against `repo` with the cache in `cache`. */
export function benchEnvironment(root) {
  const gitconfig = join(root, 'gitconfig');
  writeFileSync(
    gitconfig,
    '[user]\n\tname = Bench\n\temail = bench@example.invalid\n[init]\n\tdefaultBranch = main\n',
  );
  return (repo, cache) => ({
    PATH: process.env.PATH,
    HOME: join(root, 'home'),
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
    ENTENTE_CONTRACTS: repo,
    ENTENTE_CACHE_DIR: cache,
    NO_COLOR: '1',
  });
}
