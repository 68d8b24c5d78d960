import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The examples import entente by its package name, as a user's project would.
  resolve: { alias: { 'entente-contracts': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    // The consumer examples' tests run under `entente record` (test/examples, the demo), against a contracts repository.
    exclude: ['examples/castle-client/**', 'examples/contractors/**', '**/node_modules/**'],
    projects: [
      // Vitest queues the projects' files by project name: the end-to-end files first (longest
      // first once timed, largest first on a clean clone), then the quick unit tests, which fill
      // the end of the run instead of leaving a slow end-to-end file running alone.
      // The unit tests under src/ are pure in-process code (no vi.mock, no process.env or cwd
      // changes): they share workers instead of each file paying for a fresh process and a fresh
      // module graph, which halves their time.
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], isolate: false } },
      {
        extends: true,
        test: { name: 'end-to-end', include: ['test/**/*.test.ts', 'examples/**/*.test.ts'] },
      },
    ],
    // A guard against hangs, not a performance limit: with two files running side by side on a
    // machine shared with other work, the longest end-to-end tests (the secrets corpus, the
    // examples) came close to one minute.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core CI machine, which
    // then sits mostly idle while a test waits on the CLI, git or a server it spawned. Most files
    // spend their time in such child processes, so one worker per core keeps both cores busy.
    maxWorkers: Math.max(2, availableParallelism()),
    // clipanion's ESM build imports a directory, which Node's loader refuses; let Vite resolve it.
    server: { deps: { inline: ['clipanion'] } },
  },
});
