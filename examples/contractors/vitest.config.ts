import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Each consumer's tests run from its own folder (vitest run --config ../vitest.config.ts);
// in a real project `entente-contracts` is installed from npm, here it is this repository's source.
export default defineConfig({
  resolve: { alias: { 'entente-contracts': fileURLToPath(new URL('../../src/index.ts', import.meta.url)) } },
  test: { include: ['*.test.ts'] },
});
