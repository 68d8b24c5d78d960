/**
 * Most of a warm command's own time is reading and compiling code
 * (bench/README.md, "CLI start-up and warm commands"), so the CLI loads what a
 * command needs when it needs it. A warm can-i-deploy whose pairs are all
 * decided by verifications loads neither the static check (the OpenAPI
 * validators, Ajv's compiler, re2js) nor the YAML parser (the record schemas
 * are JSON in the bundle, their validators precompiled: a schema whose
 * precompiled validator is not found would load Ajv's compiler); a mock
 * serving a stored spec loads no msw and no OpenAPI document schemas. A loader hook given
 * through NODE_OPTIONS lists every file the CLI loads; each marker is a string
 * only that code contains in the bundle. The same gate under a `static`
 * policy needs them all, which shows the check can fail.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate } from '../../bench/can-i-deploy/generate.mjs';
import { startCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

/** Each marker is found in the bundle's code (esbuild keeps a CommonJS module's path; an ES module is known by a string of its own) or in the path of a file loaded from node_modules. */
const MARKERS = {
  'the static check': 'function checkContractStatically(',
  "Ajv's compiler": 'node_modules/ajv/dist/compile/',
  'the YAML parser': 'node_modules/yaml/',
  msw: 'LIBRARY_PREFIX="[MSW]"',
  'the OpenAPI document schemas': '$id:"https://spec.openapis.org/oas/3.1/schema/',
} as const;

const bundle = fileURLToPath(new URL('../../dist/cli-bundle/', import.meta.url));

const HOOK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.ENTENTE_TEST_LOADED, url + '\\\\n');
  return next(url, context);
}\`));
`)}`;

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(() => sandbox.cleanup());

/**
 * What of MARKERS the files a CLI run loaded contain. With `untilListening`
 * the command is a server: it is stopped once it prints its URL.
 */
async function loadedBy(
  remote: string,
  args: string[],
  untilListening = false,
): Promise<{ loaded: string[]; stdout: string }> {
  const list = join(sandbox.root, 'loaded.txt');
  writeFileSync(list, '');
  const { child, done } = startCli([...args, '--json'], {
    cwd: sandbox.root,
    env: {
      ...sandbox.env,
      ENTENTE_CONTRACTS: remote,
      ENTENTE_CACHE_DIR: join(sandbox.root, 'cache'),
      ENTENTE_TEST_LOADED: list,
      NODE_OPTIONS: `--import=${HOOK}`,
    },
  });
  if (untilListening) {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      if (out.includes('"url"')) child.kill('SIGTERM');
    });
  }
  const run = await done;
  expect(run.stderr).toBe('');
  const files = readFileSync(list, 'utf8').split('\n').filter(Boolean);
  expect(files.some((url) => url.includes('/dist/cli-bundle/'))).toBe(true);
  const code = files.map((url) => `${url}\n${readFileSync(fileURLToPath(url), 'utf8')}`).join('\n');
  const loaded = Object.entries(MARKERS)
    .filter(([, marker]) => code.includes(marker))
    .map(([name]) => name);
  return { loaded, stdout: run.stdout };
}

it('every marker is in the CLI bundle (so its absence from what a command loaded means something)', () => {
  const all = readdirSync(bundle)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(bundle, file), 'utf8'))
    .join('\n');
  expect(Object.entries(MARKERS).filter(([, marker]) => !all.includes(marker))).toEqual([]);
  // TypeBox builds the schemas in the library only: the bundle carries them as JSON.
  expect(all).not.toContain('TypeBoxError');
});

describe('a warm can-i-deploy loads only what its verdict needs', () => {
  const canIDeploy = ['can-i-deploy', '--service', 'svc-001', '--version', '1.0.2', '--environment', 'test'];

  it('decided by verifications: no static check, no Ajv compiler, no YAML parser', async () => {
    const remote = join(sandbox.root, 'contracts.git');
    await generate(remote, { services: 6, versions: 3 });
    await loadedBy(remote, canIDeploy);

    const { loaded, stdout } = await loadedBy(remote, canIDeploy);
    const result = JSON.parse(stdout) as {
      verdict: string;
      pairs: { verification: string; static: string }[];
    };
    expect(result.verdict).toBe('yes');
    expect(result.pairs.length).toBeGreaterThan(0);
    expect(result.pairs.every((p) => p.verification === 'passed' && p.static === 'not-checked')).toBe(true);
    expect(loaded).toEqual([]);
  });

  it('under a static policy (entente.yml): all of them', async () => {
    const remote = join(sandbox.root, 'contracts.git');
    await generate(remote, { services: 6, versions: 3 });
    const clone = join(sandbox.root, 'clone');
    await sandbox.git(sandbox.root, 'clone', '--quiet', remote, clone);
    writeFileSync(join(clone, 'entente.yml'), 'compatibility: static\n');
    await sandbox.git(clone, 'add', 'entente.yml');
    await sandbox.git(clone, 'commit', '--quiet', '-m', 'static policy');
    await sandbox.git(clone, 'push', '--quiet', 'origin', 'HEAD:main');

    const { loaded, stdout } = await loadedBy(remote, canIDeploy);
    const result = JSON.parse(stdout) as { policy: string; pairs: { static: string }[] };
    expect(result.policy).toBe('static');
    expect(result.pairs.some((p) => p.static === 'passed' || p.static === 'failed')).toBe(true);
    expect(loaded).toEqual(['the static check', "Ajv's compiler", 'the YAML parser']);
  });
});

describe('a warm entente mock loads no msw and no OpenAPI document schemas', () => {
  it('serving a stored spec over HTTP', async () => {
    const remote = join(sandbox.root, 'contracts.git');
    await generate(remote, { services: 6, versions: 3 });
    await loadedBy(remote, ['mock', 'svc-000'], true);

    const { loaded, stdout } = await loadedBy(remote, ['mock', 'svc-000'], true);
    expect(stdout).toMatch(/"provider": "svc-000"/);
    // Its request validation needs Ajv's compiler; nothing else on the list.
    expect(loaded).toEqual(["Ajv's compiler"]);
  });
});
