import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createMockHandler, startMockServer } from '../../src/index.js';
import { loadCastles } from './castles.js';
import { exchangeAll, REQUESTS } from './requests.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./print-exchanges.mjs', import.meta.url));

describe('mock determinism', () => {
  it('gives byte-identical responses in two separate node processes (and in this one)', async () => {
    // The spawned script runs the build output; `npm test` builds first.
    expect(existsSync(new URL('../../dist/index.js', import.meta.url))).toBe(true);
    const [first, second] = await Promise.all(
      [1, 2].map(async () => (await run(process.execPath, [script, JSON.stringify(REQUESTS)])).stdout),
    );
    expect(first).toBe(second);
    const server = await startMockServer(createMockHandler({ document: loadCastles() }));
    try {
      const here = await exchangeAll(server.url);
      expect(JSON.stringify(here)).toBe(first);
      expect(here.map((e) => e.status)).toEqual([200, 200, 200, 404, 204, 405, 404, 201, 400]);
      expect(here.every((e) => e.body.length > 0 || e.status === 204)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
