/**
 * A spec `pattern` that backtracks exponentially in JavaScript (`(a+)+$`)
 * cannot stall `entente mock`: the real CLI answers a request carrying a long
 * value at once. Without linear-time patterns this test times out.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

const SPEC = `openapi: 3.0.3
info: {title: Castles, version: "1"}
paths:
  /castles:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, pattern: '(a+)+$'}
                tag: {type: string, pattern: '^(?!aws:).+'}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
`;

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = createSandbox();
  cwd = sandbox.dir('project');
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'openapi.yaml'), SPEC);
  env = { ...sandbox.env, ENTENTE_CONTRACTS: await sandbox.bareRemote() };
});
afterAll(() => sandbox.cleanup());

describe('hostile spec patterns', () => {
  it('entente mock answers a long value against (a+)+$ at once', { timeout: 30_000 }, async () => {
    const { child, done } = startCli(['mock', 'castle-service', '--spec', 'openapi.yaml', '--port', '0'], {
      cwd,
      env,
    });
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
      const post = (name: string) =>
        fetch(`${url}/castles`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name }),
          signal: AbortSignal.timeout(10_000),
        });
      const refused = await post(`${'a'.repeat(5000)}!`);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('pattern');
      expect((await post('a'.repeat(5000))).status).toBe(201);
    } finally {
      child.kill('SIGTERM');
      await done;
    }
  });

  it('publish-spec warns about a pattern it cannot run in linear time', { timeout: 30_000 }, async () => {
    const result = await runCli(
      [
        'publish-spec',
        '--spec',
        'openapi.yaml',
        '--service',
        'castle-service',
        '--version',
        '1.0.0',
        '--branch',
        'main',
      ],
      { cwd, env },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'openapi.yaml#/paths/~1castles/post/requestBody/content/application~1json/schema/properties/tag/pattern: pattern "^(?!aws:).+" is not checked: it cannot run in linear time',
    );
  });
});
