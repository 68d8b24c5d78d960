import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// In a real project `entente-contracts` is installed from npm; here it is this repository's source.
export default defineConfig({
  resolve: { alias: { 'entente-contracts': fileURLToPath(new URL('../../src/index.ts', import.meta.url)) } },
  test: { include: ['*.test.ts'], root: fileURLToPath(new URL('.', import.meta.url)) },
});
