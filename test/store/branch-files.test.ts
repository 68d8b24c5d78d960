/**
 * Branch names of any accepted length and script become file names every
 * filesystem git supports, through the real CLI and a real repository.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let remote: string;
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = createSandbox();
  remote = await sandbox.bareRemote();
  cwd = sandbox.dir('project');
  mkdirSync(cwd);
  writeFileSync(
    join(cwd, 'openapi.yaml'),
    'openapi: 3.0.3\ninfo: {title: Castles, version: "1"}\npaths:\n  /castles:\n    get:\n      responses:\n        "200": {description: ok}\n',
  );
  env = { ...sandbox.env, ENTENTE_CONTRACTS: remote };
});
afterAll(() => sandbox.cleanup());

describe('branch files', () => {
  it('stores 255-character CJK branches and case variants as distinct, short file names', {
    timeout: 60_000,
  }, async () => {
    const branches = ['城'.repeat(255), 'Main', 'main'];
    for (const [i, branch] of branches.entries()) {
      const result = await runCli(
        [
          'publish-spec',
          '--spec',
          'openapi.yaml',
          '--service',
          'castle-service',
          '--version',
          `1.0.${i}`,
          '--branch',
          branch,
        ],
        { cwd, env },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    const files = (
      await sandbox.git(
        remote,
        'ls-tree',
        '-r',
        '--name-only',
        '-z',
        'main',
        'services/castle-service/branches/',
      )
    )
      .split('\0')
      .filter(Boolean)
      .map((path) => path.slice('services/castle-service/branches/'.length));
    expect(files).toHaveLength(3);
    for (const file of files) expect(Buffer.byteLength(file)).toBeLessThanOrEqual(255);
    expect(new Set(files.map((file) => file.toLowerCase())).size).toBe(3);
    const records = await Promise.all(
      files.map(async (file) =>
        JSON.parse(await sandbox.git(remote, 'show', `main:services/castle-service/branches/${file}`)),
      ),
    );
    expect(records.map((record) => record.branch).sort()).toEqual([...branches].sort());
  });
});
