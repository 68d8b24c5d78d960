import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
    // clipanion's ESM build imports a directory, which Node's loader refuses; let Vite resolve it.
    server: { deps: { inline: ['clipanion'] } },
  },
});
