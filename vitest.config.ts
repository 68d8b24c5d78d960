import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // clipanion's ESM build imports a directory, which Node's loader refuses; let Vite resolve it.
    server: { deps: { inline: ['clipanion'] } },
  },
});
