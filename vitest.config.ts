import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Vitest runs the files it has timed before longest first. On a clean clone (CI) it has timed
 * none and runs the largest first: the unit tests under src/ are large and quick, the
 * end-to-end files under test/ and the examples' tests small and slow, and one of those left
 * for last keeps one worker busy alone. Untimed, the end-to-end files go first.
 */
class EndToEndFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const timed = sorted.some((file) =>
      this.ctx.cache.getFileTestResults(`${file.project.name}:${relative(root, file.moduleId)}`),
    );
    if (timed) return sorted;
    const unit = (file: TestSpecification) => relative(root, file.moduleId).startsWith('src/');
    return [...sorted.filter((file) => !unit(file)), ...sorted.filter(unit)];
  }
}

export default defineConfig({
  // The examples import entente by its package name, as a user's project would.
  resolve: { alias: { 'entente-contracts': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    // The consumer examples' tests run under `entente record` (test/examples, the demo), against a contracts repository.
    exclude: ['examples/castle-client/**', 'examples/contractors/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core CI machine, which
    // then sits mostly idle while a test waits on the CLI, git or a server it spawned. Most files
    // spend their time in such child processes, so one worker per core keeps both cores busy.
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: EndToEndFirst },
    // clipanion's ESM build imports a directory, which Node's loader refuses; let Vite resolve it.
    server: { deps: { inline: ['clipanion'] } },
  },
});
