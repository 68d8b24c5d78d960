/**
 * A hostile spec cannot make `publish-spec` read (and store) files outside its
 * own folder, hang on a device or pipe, or eat memory on a huge file. Every
 * case runs the real CLI against a real contracts repository, with a timeout
 * that kills it: a regression fails instead of hanging.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, startCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

const SECRET = 'TOP-SECRET-VALUE-d41d8cd9';
const TIMEOUT_MS = 15_000;

let sandbox: Sandbox;
let remote: string;
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = createSandbox();
  remote = await sandbox.bareRemote();
  cwd = sandbox.dir('project');
  mkdirSync(cwd);
  env = { ...sandbox.env, ENTENTE_CONTRACTS: remote };
  // A file outside the project that must never be read: a hostile ref aims at it.
  writeFileSync(join(sandbox.root, 'secret.json'), JSON.stringify({ type: 'string', example: SECRET }));
});
afterAll(() => sandbox.cleanup());

const spec = (ref: string) =>
  [
    'openapi: 3.0.3',
    'info: {title: Castles, version: "1"}',
    'paths:',
    '  /castles:',
    '    get:',
    '      responses:',
    '        "200":',
    '          description: ok',
    '          content:',
    '            application/json:',
    `              schema: {$ref: '${ref}'}`,
    '',
  ].join('\n');

/** Writes files under a new folder of the project and returns the folder. */
function project(files: Record<string, string>): string {
  const base = join(cwd, `spec-${Math.random().toString(36).slice(2, 8)}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(base, name)), { recursive: true });
    writeFileSync(join(base, name), text);
  }
  return base;
}

/** Runs the CLI and kills it after TIMEOUT_MS, so a hang is a failure with a clear result. */
async function publish(specFile: string, ...extra: string[]): Promise<CliResult> {
  const { child, done } = startCli(
    [
      'publish-spec',
      '--spec',
      specFile,
      '--service',
      'castle-service',
      '--version',
      '1.0.0',
      '--branch',
      'main',
      ...extra,
    ],
    { cwd, env },
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

async function expectRefused(result: CliResult, message: RegExp) {
  expect(result.signal).toBeNull();
  expect(result.code).toBe(3);
  expect(result.stderr).toMatch(message);
  expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET);
  expect(`${result.stdout}${result.stderr}`).not.toContain('root:x:0');
  await expect(sandbox.git(remote, 'rev-parse', '--verify', '--quiet', 'main')).rejects.toThrow();
}

describe('publish-spec: $ref stays inside the spec folder', () => {
  it('refuses a relative ref that climbs out', { timeout: TIMEOUT_MS + 5000 }, async () => {
    const base = project({ 'api.yaml': spec('../../../secret.json') });
    const result = await publish(join(base, 'api.yaml'));
    await expectRefused(result, /\$ref "\.\.\/\.\.\/\.\.\/secret\.json" points outside the spec folder/);
    expect(result.stderr).toContain('api.yaml#/paths/~1castles/get/responses/200');
  });

  it('refuses percent-encoded dots that climb out', { timeout: TIMEOUT_MS + 5000 }, async () => {
    const base = project({ 'api.yaml': spec('%2e%2e/%2e%2e/%2e%2e/secret.json') });
    await expectRefused(await publish(join(base, 'api.yaml')), /points outside the spec folder/);
  });

  it.each([
    ['file:///etc/passwd', /is a file: URL/],
    ['/etc/passwd', /is an absolute path/],
    ['/dev/zero', /is an absolute path/],
    ['/dev/stdin', /is an absolute path/],
    ['//localhost/etc/passwd', /is an absolute path/],
  ])('refuses %s', { timeout: TIMEOUT_MS + 5000 }, async (ref, message) => {
    const base = project({ 'api.yaml': spec(ref) });
    await expectRefused(await publish(join(base, 'api.yaml')), message);
  });

  it('refuses a link that points out of the folder', { timeout: TIMEOUT_MS + 5000 }, async () => {
    const base = project({ 'api.yaml': spec('schemas/castle.json') });
    mkdirSync(join(base, 'schemas'));
    symlinkSync(join(sandbox.root, 'secret.json'), join(base, 'schemas/castle.json'));
    await expectRefused(
      await publish(join(base, 'api.yaml')),
      /schemas\/castle\.json: is a link to a file outside/,
    );
  });

  it('refuses a link to a device without reading it', { timeout: TIMEOUT_MS + 5000 }, async () => {
    const base = project({ 'api.yaml': spec('zero.json') });
    symlinkSync('/dev/zero', join(base, 'zero.json'));
    await expectRefused(await publish(join(base, 'api.yaml'), '--ref-root', '/'), /is not a regular file/);
  });

  it('refuses a named pipe inside the folder without waiting for it', {
    timeout: TIMEOUT_MS + 5000,
  }, async () => {
    const base = project({ 'api.yaml': spec('pipe.json') });
    execFileSync('mkfifo', [join(base, 'pipe.json')]);
    await expectRefused(await publish(join(base, 'api.yaml')), /pipe\.json: is not a regular file/);
  });

  it('refuses an oversized file before reading it', { timeout: TIMEOUT_MS + 5000 }, async () => {
    const base = project({ 'api.yaml': spec('huge.json'), 'huge.json': '' });
    truncateSync(join(base, 'huge.json'), 40 * 1024 * 1024);
    await expectRefused(await publish(join(base, 'api.yaml')), /huge\.json: is larger than 33554432 bytes/);
  });

  it('refuses a spec that is not UTF-8, naming the line', { timeout: TIMEOUT_MS + 5000 }, async () => {
    const base = project({ 'api.yaml': spec('#/components/schemas/A') });
    writeFileSync(
      join(base, 'api.yaml'),
      Buffer.concat([Buffer.from(`${spec('#/x')}# caf`), Buffer.from([0xe9]), Buffer.from('\n')]),
    );
    await expectRefused(await publish(join(base, 'api.yaml')), /api\.yaml:12: not UTF-8 text/);
  });

  it('follows refs into a wider folder named by --ref-root', { timeout: TIMEOUT_MS + 5000 }, async () => {
    const base = project({
      'service/api.yaml': spec('../shared/castle.yaml'),
      'shared/castle.yaml': 'type: object\nproperties:\n  name: {type: string}\n',
    });
    const refused = await publish(join(base, 'service/api.yaml'));
    await expectRefused(refused, /points outside the spec folder/);
    const result = await publish(join(base, 'service/api.yaml'), '--ref-root', base);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const stored = await sandbox.git(remote, 'ls-tree', '-r', '--name-only', 'main');
    expect(stored).toContain('castle-service');
  });
});
