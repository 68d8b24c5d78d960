/**
 * `entente mock --spec FILE`: the spec's local `$ref`s stay inside its folder,
 * as for publish-spec and diff; `--ref-root DIR` widens it. A refused ref
 * never quotes the file it points at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

const SECRET = 'TOP-SECRET-SHARED-CONTENT';

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = createSandbox();
  cwd = sandbox.dir('project');
  mkdirSync(join(cwd, 'api'), { recursive: true });
  mkdirSync(join(cwd, 'shared'));
  writeFileSync(
    join(cwd, 'api', 'openapi.yaml'),
    `openapi: 3.0.3
info: {title: Castles, version: "1"}
paths:
  /castle:
    get:
      operationId: getCastle
      responses:
        "200":
          description: a castle
          content:
            application/json:
              schema: {$ref: '../shared/castle.yaml#/Castle'}
`,
  );
  writeFileSync(
    join(cwd, 'shared', 'castle.yaml'),
    `Castle:
  type: object
  required: [name]
  properties:
    name: {type: string, example: ${SECRET}}
`,
  );
  env = { ...sandbox.env, ENTENTE_CONTRACTS: await sandbox.bareRemote() };
});
afterAll(() => sandbox.cleanup());

describe('entente mock --spec with a $ref outside the spec folder', () => {
  it('is refused (exit 3) without quoting the referenced file', async () => {
    const run = await runCli(['mock', 'castle-service', '--spec', 'api/openapi.yaml', '--port', '0'], {
      cwd,
      env,
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('api/openapi.yaml#/paths/~1castle/get/responses/200');
    expect(run.stderr).toContain('../shared/castle.yaml#/Castle');
    expect(run.stderr).toContain('points outside the spec folder; refs must stay inside');
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('is served with --ref-root naming a folder that holds both', async () => {
    const { child, done } = startCli(
      [
        'mock',
        'castle-service',
        '--spec',
        'api/openapi.yaml',
        '--ref-root',
        '.',
        '--port',
        '0',
        '--no-record',
      ],
      { cwd, env },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout?.on('data', (chunk) => {
          stdout += chunk;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
          if (match) resolve(match[1]!);
        });
        done.then((result) => reject(new Error(`entente mock exited early: ${result.stderr}`)), reject);
      });
      const response = await fetch(`${url}/castle`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ name: SECRET });
    } finally {
      child.kill('SIGTERM');
      await done;
    }
  });

  it('--ref-root without --spec is bad input (exit 3)', async () => {
    const run = await runCli(['mock', 'castle-service', '--ref-root', '.', '--port', '0'], { cwd, env });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('--ref-root: only applies to a local spec (--spec)');
  });
});
