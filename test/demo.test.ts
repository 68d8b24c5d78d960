import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './helpers/sandbox.js';

const root = fileURLToPath(new URL('..', import.meta.url));

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = createSandbox();
});
afterAll(() => sandbox.cleanup());

/**
 * `npm run demo` is `npm run build && node scripts/demo.mjs`. The test runs the script on the dist
 * that `npm test` built before vitest: rebuilding here would cost a whole tsc run and rewrite dist/
 * under the other test files that spawn the CLI at the same time.
 */
function runDemo(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/demo.mjs'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run demo', () => {
  it('builds, then runs scripts/demo.mjs', () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.demo).toBe('npm run build && node scripts/demo.mjs');
  });

  it('walks the whole flow on a fresh local contracts repository and leaves it to look at', async () => {
    const demo = join(sandbox.root, 'demo');
    const { code, output } = await runDemo({ ...sandbox.env, ENTENTE_DEMO_DIR: demo });
    expect(code, output).toBe(0);

    const remote = join(demo, 'contracts.git');
    const show = async (path: string) => JSON.parse(await sandbox.git(remote, 'show', `main:${path}`));
    const files = (await sandbox.git(remote, 'ls-tree', '-r', '--name-only', 'main')).trim().split('\n');

    // The provider's spec, both versions.
    expect((await show('services/castle-service/versions/1.0.0.json')).spec.openapi).toBe('3.0.3');
    expect(files).toContain('services/castle-service/versions/2.0.0.json');
    // The consumer's contract, published by its recorded tests.
    const client = await show('services/castle-client/versions/0.3.0.json');
    expect(Object.keys(client.contracts)).toEqual(['castle-service']);
    // The provider verified it, successfully.
    const verification = await show(
      `verifications/castle-service/1.0.0/${client.contracts['castle-service'].hash}.json`,
    );
    expect(verification.success).toBe(true);
    // Fixtures approved through a merged branch.
    const fixtures = await Promise.all(files.filter((f) => f.startsWith('fixtures/')).map(show));
    expect(fixtures.some((f) => f.status === 'approved' && f.source === 'provider')).toBe(true);
    expect(await sandbox.git(remote, 'log', '--merges', '--format=%s', 'main')).toMatch(
      /Merge fixture approval/,
    );
    // Both deployed to production; the breaking version was refused, so it was not.
    expect(
      (await show('environments/production/castle-service.json')).deployed.map(
        (d: { version: string }) => d.version,
      ),
    ).toEqual(['1.0.0']);
    expect(
      (await show('environments/production/castle-client.json')).deployed.map(
        (d: { version: string }) => d.version,
      ),
    ).toEqual(['0.3.0']);
    // A checkout to browse is left beside the repository.
    expect(await sandbox.git(join(demo, 'contracts'), 'rev-parse', '--is-inside-work-tree')).toBe('true\n');
  });
});
