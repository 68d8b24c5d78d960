/**
 * A write transaction costs a handful of git processes, each 20–40 ms on a
 * busy CI machine: at most five for a whole `entente record-deployment` or
 * `entente publish-spec` (its check for breaking changes included) with a
 * warm cache (see docs/contracts-repo.md, "Git processes per write"); a
 * warm read such as `can-i-deploy` two: the fetch and
 * one `cat-file --batch` for every listing and file ("Git processes per
 * read"). A
 * `git` first on PATH notes every git process entente starts (not the ones
 * git starts itself: upload-pack, index-pack…), and the real git does the
 * work, so the write is checked for real as well.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate } from '../../bench/can-i-deploy/generate.mjs';
import { writePending } from '../../src/record/pending.js';
import { publishPending } from '../../src/record/publish.js';
import { ContractsStore } from '../../src/store/store.js';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let log: string;
let trace: string;
let countingEnv: Record<string, string>;

beforeEach(() => {
  sandbox = createSandbox();
  log = join(sandbox.root, 'git-processes.log');
  trace = join(sandbox.root, 'git-trace.log');
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { env: sandbox.env }).toString().trim();
  const bin = sandbox.dir('counting-bin');
  execFileSync('mkdir', ['-p', bin]);
  writeFileSync(
    join(bin, 'git'),
    `#!/bin/sh\nif [ -z "$ENTENTE_TEST_GIT_NESTED" ]; then printf '%s\\n' "$*" >> '${log}'; fi\nENTENTE_TEST_GIT_NESTED=1 exec '${realGit}' "$@"\n`,
  );
  chmodSync(join(bin, 'git'), 0o755);
  // git's trace sees every git process, also those git starts itself (from its own folder, not through PATH).
  countingEnv = { ...sandbox.env, PATH: `${bin}:${sandbox.env.PATH}`, GIT_TRACE: trace };
});
afterEach(() => sandbox.cleanup());

/** Runs the CLI and returns the git processes it started, one line of arguments each. */
async function gitProcessesOf(
  remote: string,
  args: string[],
  cache = 'cache',
  /** Exit codes the command may end with (a verdict's "no" or "unknown" is an answer too). */
  codes = [0],
): Promise<string[]> {
  writeFileSync(log, '');
  writeFileSync(trace, '');
  const run = await runCli([...args, '--json'], {
    cwd: sandbox.root,
    env: { ...countingEnv, ENTENTE_CONTRACTS: remote, ENTENTE_CACHE_DIR: join(sandbox.root, cache) },
  });
  expect(run.stderr.replace(/^entente: warning: .*\n/gm, '')).toBe('');
  expect(codes).toContain(run.code);
  const processes = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  // A fetch entente did not start is git fetching a missing object by itself, one process per object.
  const fetches = readFileSync(trace, 'utf8').match(/ trace: built-in: git fetch /g) ?? [];
  expect(fetches.length, 'fetches, counting those git started by itself').toBe(
    processes.filter((p) => /(^| )fetch /.test(p)).length,
  );
  return processes;
}

const deploy = (service: string) => [
  'record-deployment',
  '--service',
  service,
  '--version',
  '1.0.0',
  '--environment',
  'production',
  '--new-environment',
  '--allow-unknown-version',
];

/** `GET /contractor` with `available` and `stock`; stock's type changes between versions (the reference scenario). */
const spec = (stock: 'string' | 'integer') => `openapi: 3.0.3
info: { title: Contractors, version: '1' }
paths:
  /contractor:
    get:
      operationId: getContractor
      responses:
        '200':
          description: the contractor
          content:
            application/json:
              schema:
                type: object
                required: [available, stock]
                properties:
                  available: { type: boolean }
                  stock: { type: ${stock} }
`;
const publishSpec = (file: string, version: string) => [
  'publish-spec',
  '--spec',
  file,
  '--service',
  'contractors',
  '--version',
  version,
  '--branch',
  'main',
];

describe('git processes per write', () => {
  it('record-deployment with a warm cache: at most five, and the record lands in one commit', async () => {
    const remote = await sandbox.bareRemote();
    await gitProcessesOf(remote, deploy('first'));

    const processes = await gitProcessesOf(remote, deploy('second'));
    expect(processes.length, processes.join('\n')).toBeLessThanOrEqual(5);
    expect(processes.some((p) => /(^| )push /.test(p))).toBe(true);
    expect((await sandbox.git(remote, 'rev-list', '--count', 'main')).trim()).toBe('2');
    expect(await sandbox.git(remote, 'ls-tree', '-r', '--name-only', 'main')).toBe(
      'environments/production/first.json\nenvironments/production/second.json\n',
    );
    expect(await sandbox.git(remote, 'fsck', '--no-progress')).toBe('');
  }, 60_000);

  it('a write that changes nothing: no commit, no push, at most three', async () => {
    const remote = await sandbox.bareRemote();
    await gitProcessesOf(remote, deploy('same'));
    const head = await sandbox.git(remote, 'rev-parse', 'main');

    const processes = await gitProcessesOf(remote, deploy('same'));
    expect(processes.length, processes.join('\n')).toBeLessThanOrEqual(3);
    expect(processes.some((p) => /(^| )push /.test(p))).toBe(false);
    expect(await sandbox.git(remote, 'rev-parse', 'main')).toBe(head);
  }, 60_000);

  it('through a partial clone: at most five when the cache has what the write reads, one fetch more when not', async () => {
    const remote = await sandbox.bareRemote();
    await sandbox.git(remote, 'config', 'uploadpack.allowFilter', 'true');
    await gitProcessesOf(remote, deploy('shared'), 'cache-other');
    await gitProcessesOf(remote, deploy('mine'));

    // Its own record, written by this cache: nothing to fetch.
    const own = await gitProcessesOf(remote, [
      ...deploy('mine').slice(0, 3),
      '--version',
      '1.0.1',
      ...deploy('mine').slice(5),
    ]);
    expect(own.length, own.join('\n')).toBeLessThanOrEqual(5);

    // A record another cache wrote and this one never read: its content is fetched in one request.
    const shared = await gitProcessesOf(remote, [
      ...deploy('shared').slice(0, 3),
      '--version',
      '1.0.1',
      ...deploy('shared').slice(5),
    ]);
    expect(shared.length, shared.join('\n')).toBeLessThanOrEqual(6);
    expect(shared.filter((p) => /(^| )fetch /.test(p))).toHaveLength(2);
    expect(shared.some((p) => p.includes('rev-list'))).toBe(false);

    const recorded = JSON.parse(
      await sandbox.git(remote, 'show', 'main:environments/production/shared.json'),
    ) as {
      deployed: { version: string }[];
    };
    expect(recorded.deployed.map((d) => d.version)).toEqual(['1.0.1']);
    expect(await sandbox.git(remote, 'fsck', '--no-progress')).toBe('');
  }, 60_000);

  it('another process holding the lock of refs/entente/last costs no second fetch', async () => {
    const remote = await sandbox.bareRemote();
    await gitProcessesOf(remote, deploy('first'));
    const [repo] = readdirSync(join(sandbox.root, 'cache', 'repos'));
    const lock = join(sandbox.root, 'cache', 'repos', repo!, 'refs', 'entente', 'last.lock');
    writeFileSync(lock, '');

    const processes = await gitProcessesOf(remote, deploy('second'));
    expect(
      processes.filter((p) => /(^| )fetch /.test(p)),
      processes.join('\n'),
    ).toHaveLength(1);
    expect(processes.length, processes.join('\n')).toBeLessThanOrEqual(5);
    expect(await sandbox.git(remote, 'ls-tree', '-r', '--name-only', 'main')).toBe(
      'environments/production/first.json\nenvironments/production/second.json\n',
    );
  }, 60_000);
  it('prune and fixtures approve --direct, which list folders: at most five, no cat-file beside fast-import', async () => {
    writeFileSync(join(sandbox.root, 'v1.yaml'), spec('string'));
    writeFileSync(
      join(sandbox.root, 'fixtures.json'),
      JSON.stringify([
        {
          operation: 'getContractor',
          source: 'provider',
          data: {
            request: { method: 'GET', path: '/contractor' },
            response: { status: 200, body: { available: true, stock: '3' } },
          },
        },
      ]),
    );
    const remote = await sandbox.bareRemote();
    await gitProcessesOf(remote, publishSpec('v1.yaml', '1.0.0'));
    await gitProcessesOf(remote, publishSpec('v1.yaml', '2.0.0'));
    await gitProcessesOf(remote, [
      'fixtures',
      'propose',
      '--service',
      'contractors',
      '--file',
      'fixtures.json',
    ]);

    const approve = await gitProcessesOf(remote, [
      'fixtures',
      'approve',
      '--service',
      'contractors',
      '--direct',
      '--approved-by',
      'reviewer',
    ]);
    expect(approve.length, approve.join('\n')).toBeLessThanOrEqual(5);
    expect(approve.some((p) => p.startsWith('cat-file '))).toBe(false);
    expect(approve.some((p) => /(^| )push /.test(p))).toBe(true);

    // 1.0.0 is neither deployed nor the latest on main: it goes.
    const prune = await gitProcessesOf(remote, ['prune', '--older-than', '2999-01-01']);
    expect(prune.length, prune.join('\n')).toBeLessThanOrEqual(5);
    expect(prune.some((p) => p.startsWith('cat-file '))).toBe(false);
    expect(
      await sandbox.git(remote, 'ls-tree', '-r', '--name-only', 'main', 'services/contractors/versions'),
    ).toBe('services/contractors/versions/2.0.0.json\n');
    expect(await sandbox.git(remote, 'fsck', '--no-progress')).toBe('');
  }, 60_000);

  it('a cache whose objects entente does not read itself (alternates): listings ask cat-file, with the same answer', async () => {
    writeFileSync(join(sandbox.root, 'v1.yaml'), spec('string'));
    const remote = await sandbox.bareRemote();
    await gitProcessesOf(remote, publishSpec('v1.yaml', '1.0.0'));
    await gitProcessesOf(remote, publishSpec('v1.yaml', '2.0.0'));
    const [repo] = readdirSync(join(sandbox.root, 'cache', 'repos'));
    const elsewhere = await sandbox.bareRemote('elsewhere');
    writeFileSync(
      join(sandbox.root, 'cache', 'repos', repo!, 'objects', 'info', 'alternates'),
      `${join(elsewhere, 'objects')}\n`,
    );

    const prune = await gitProcessesOf(remote, ['prune', '--older-than', '2999-01-01']);
    expect(prune.filter((p) => p.startsWith('cat-file ')).length, prune.join('\n')).toBe(1);
    expect(
      await sandbox.git(remote, 'ls-tree', '-r', '--name-only', 'main', 'services/contractors/versions'),
    ).toBe('services/contractors/versions/2.0.0.json\n');
  }, 60_000);
});

describe('git processes per publish-spec', () => {
  /** A consumer contract against contractors, published from a pending recording as `entente publish` does. */
  async function publishContract(remote: string, consumer: string, reliesOn: string[]): Promise<void> {
    const pending = join(sandbox.root, `${consumer}-pending`);
    await writePending(pending, {
      consumer,
      consumerVersion: '1.0.0',
      provider: 'contractors',
      branch: 'main',
      recordedAt: '2026-03-01T12:00:00.000Z',
      responseSource: 'fixture',
      interaction: {
        id: createHash('sha256').update(consumer).digest('hex'),
        operation: 'getContractor',
        request: { method: 'GET', path: '/contractor' },
        response: {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { available: true, stock: '12' },
          reliesOn,
        },
      },
    });
    const store = await ContractsStore.open({
      location: { kind: 'path', path: remote },
      branch: 'main',
      cacheDir: join(sandbox.root, `${consumer}-cache`),
      env: sandbox.env,
    });
    await publishPending(store, pending, { now: '2026-03-01T12:00:00.000Z' });
  }

  it('the first spec of a service: at most five, and the spec lands in one commit', async () => {
    writeFileSync(join(sandbox.root, 'v1.yaml'), spec('string'));
    const remote = await sandbox.bareRemote();
    await gitProcessesOf(remote, deploy('first'));

    const processes = await gitProcessesOf(remote, publishSpec('v1.yaml', '1.0.0'));
    expect(processes.length, processes.join('\n')).toBeLessThanOrEqual(5);
    // One fetch, and fast-import answers every read and listing: no cat-file beside it.
    expect(processes.filter((p) => /(^| )fetch /.test(p))).toHaveLength(1);
    expect(processes.some((p) => p.startsWith('cat-file '))).toBe(false);
    expect((await sandbox.git(remote, 'rev-list', '--count', 'main')).trim()).toBe('2');
    expect(await sandbox.git(remote, 'fsck', '--no-progress')).toBe('');
  }, 60_000);

  it('a breaking second version, with the consumers it hurts: at most five, and the warning still names them', async () => {
    writeFileSync(join(sandbox.root, 'v1.yaml'), spec('string'));
    writeFileSync(join(sandbox.root, 'v2.yaml'), spec('integer'));
    const remote = await sandbox.bareRemote();
    await gitProcessesOf(remote, publishSpec('v1.yaml', '1.0.0'));
    await publishContract(remote, 'materials', ['stock']);
    await publishContract(remote, 'odd-jobs', ['available']);
    await gitProcessesOf(remote, deploy('odd-jobs'));

    writeFileSync(log, '');
    const run = await runCli([...publishSpec('v2.yaml', '2.0.0'), '--json'], {
      cwd: sandbox.root,
      env: { ...countingEnv, ENTENTE_CONTRACTS: remote, ENTENTE_CACHE_DIR: join(sandbox.root, 'cache') },
    });
    const processes = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'entente: warning: contractors@2.0.0 breaks contractors@1.0.0: 1 breaking change, hurting materials',
    );
    expect(JSON.parse(run.stdout)).toMatchObject({
      outcome: 'published',
      breakingChanges: {
        against: 'contractors@1.0.0',
        impact: { hurt: ['materials'], untouched: ['odd-jobs'] },
      },
    });
    expect(processes.length, processes.join('\n')).toBeLessThanOrEqual(5);
    // One fetch, and fast-import answers every read and listing: no cat-file beside it.
    expect(processes.filter((p) => /(^| )fetch /.test(p))).toHaveLength(1);
    expect(processes.some((p) => p.startsWith('cat-file '))).toBe(false);
    expect(await sandbox.git(remote, 'fsck', '--no-progress')).toBe('');
  }, 60_000);
});

describe('git processes per read', () => {
  const canIDeploy = ['can-i-deploy', '--service', 'svc-001', '--version', '1.0.2', '--environment', 'test'];

  /** A generated contracts repository (services that consume each other, deployments in four environments). */
  async function generated(filters: boolean, versions = 3): Promise<string> {
    const remote = join(sandbox.root, `contracts-${versions}.git`);
    await generate(remote, { services: 6, versions });
    if (filters) await sandbox.git(remote, 'config', 'uploadpack.allowFilter', 'true');
    return remote;
  }

  it('a warm can-i-deploy through a partial clone: the fetch and one cat-file, whatever it reads', async () => {
    const remote = await generated(true);
    await gitProcessesOf(remote, canIDeploy);

    const unchanged = await gitProcessesOf(remote, canIDeploy);
    // The project's branch and commit come from files (here: no repository at all), not `git rev-parse`.
    expect(unchanged.filter((p) => p.startsWith('rev-parse'))).toEqual([]);
    expect(unchanged.length, unchanged.join('\n')).toBeLessThanOrEqual(2);
    expect(
      unchanged.filter((p) => /(^| )fetch /.test(p)),
      unchanged.join('\n'),
    ).toHaveLength(1);
    expect(unchanged.filter((p) => p.startsWith('cat-file '))).toHaveLength(1);

    // The remote moved on (another cache recorded a deployment): still one fetch for the head, one for the contents.
    await gitProcessesOf(remote, deploy('svc-004'), 'cache-other');
    const changed = await gitProcessesOf(remote, canIDeploy);
    expect(changed.length, changed.join('\n')).toBeLessThanOrEqual(3);
    expect(changed.filter((p) => /(^| )fetch /.test(p)).length, changed.join('\n')).toBeLessThanOrEqual(2);
    expect(changed.some((p) => p.includes('rev-list') || p.includes('ls-tree'))).toBe(false);
    // git starts `git maintenance run --auto` after a fetch (unseen here: git starts it itself) unless told not to.
    expect(
      changed.filter((p) => /(^| )fetch /.test(p)).every((p) => p.includes('-c maintenance.auto=false ')),
    ).toBe(true);
  }, 60_000);

  /**
   * An empty cache fetches the head commit with its root folder; each round
   * of a command's reads then fetches the folders it walks that the cache
   * lacks, one request per depth for all of them, and the files in one
   * request. So the count follows the command's rounds of reads and the
   * layout's depth (at most four), not the size of the tree or its history.
   */
  it('cold reads through a partial clone: a fetch per depth of folders walked, whatever the history, none by git itself', async () => {
    const coldFetches = async (remote: string, args: string[], cache: string) => {
      const processes = await gitProcessesOf(remote, args, cache, [0, 1, 2]);
      expect(
        processes.filter((p) => p.startsWith('cat-file ')),
        processes.join('\n'),
      ).toHaveLength(1);
      return processes.filter((p) => /(^| )fetch /.test(p));
    };
    const small = await generated(true, 3);
    const long = await generated(true, 12);
    const latest = (versions: number) => [
      'can-i-deploy',
      '--service',
      'svc-001',
      '--version',
      `1.0.${versions - 1}`,
      '--environment',
      'test',
    ];
    // Reads asked for in the same turn of the event loop share a fetch; concurrent reads that reach a depth a
    // moment apart do not, so each bound is the count measured plus two. One request per folder or per
    // consumer would exceed them (the generated repository has 6 services, 36 folders at the third depth).
    for (const [name, [smallArgs, longArgs], most] of [
      // The head; eight depths of folders over its rounds of reads (version, partners, verifications); four batches of files.
      ['can-i-deploy', [latest(3), latest(12)], 13 + 2],
      // The head; the services folder with everything under it in one request; the other folders a depth at a time; the files.
      ['status', [['status'], ['status']], 12 + 2],
      [
        'pending',
        [
          ['pending', '--provider', 'svc-000'],
          ['pending', '--provider', 'svc-000'],
        ],
        21,
      ],
    ] as const) {
      const few = await coldFetches(small, [...smallArgs], `cache-${name}-small`);
      const more = await coldFetches(long, [...longArgs], `cache-${name}-long`);
      expect(few.length, `${name}\n${few.join('\n')}`).toBeLessThanOrEqual(most);
      expect(more.length, `${name}, four times the history\n${more.join('\n')}`).toBeLessThanOrEqual(most);
      expect(few[0], name).toContain('--depth=1 --filter=tree:1 ');
      expect(
        few.slice(1).every((p) => p.includes('--stdin')),
        few.join('\n'),
      ).toBe(true);
    }
  }, 120_000);

  it('a write through a cold partial clone, then a warm read of trees another writer replaced, then changes: none fetched by git itself', async () => {
    const remote = await generated(true);
    // A user's configuration must not make the push compare whole trees (the cache lacks most folders).
    await sandbox.git(sandbox.root, 'config', '--global', 'pack.useSparse', 'false');
    const write = await gitProcessesOf(remote, deploy('svc-003'), 'cache-cold-write');
    expect(write.some((p) => /(^| )push /.test(p))).toBe(true);
    expect(await sandbox.git(remote, 'fsck', '--no-progress')).toBe('');
    await gitProcessesOf(remote, canIDeploy);
    await gitProcessesOf(remote, ['changes', 'HEAD~1..HEAD'], 'cache-cold-write');
    await gitProcessesOf(remote, deploy('svc-005'), 'cache-other');
    await gitProcessesOf(remote, canIDeploy);
    await gitProcessesOf(remote, ['changes', 'HEAD~1..HEAD']);
    await gitProcessesOf(remote, ['status']);
  }, 120_000);

  it("a mock handed a head the cache lacks (entente record's ENTENTE_CONTRACTS_COMMIT) fetches it with entente's own fetch", async () => {
    const remote = await generated(true);
    await gitProcessesOf(remote, canIDeploy);
    await gitProcessesOf(remote, deploy('svc-005'), 'cache-other');
    const head = (await sandbox.git(remote, 'rev-parse', 'main')).trim();
    writeFileSync(trace, '');
    const library = new URL('../../dist/index.js', import.meta.url).href;
    const mock = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { createMock } = await import(${JSON.stringify(library)}); const mock = await createMock('svc-000', 'latest'); await mock.close();`,
      ],
      {
        cwd: sandbox.root,
        encoding: 'utf8',
        env: {
          ...countingEnv,
          ENTENTE_CONTRACTS: remote,
          ENTENTE_CACHE_DIR: join(sandbox.root, 'cache'),
          ENTENTE_CONTRACTS_COMMIT: head,
        },
      },
    );
    expect(mock.stderr).toBe('');
    expect(mock.status).toBe(0);
    // Asked whether the cache holds a commit it lacks, git would fetch it by itself, with every folder of it.
    expect(readFileSync(trace, 'utf8')).not.toMatch(/ trace: built-in: git fetch origin /);
    expect(readFileSync(trace, 'utf8')).toMatch(/ trace: built-in: git fetch --quiet /);
  }, 60_000);

  it('a warm status and a warm can-i-deploy from a remote without filters: two each', async () => {
    const remote = await generated(false);
    await gitProcessesOf(remote, canIDeploy);

    const read = await gitProcessesOf(remote, canIDeploy);
    expect(read.length, read.join('\n')).toBeLessThanOrEqual(2);
    const status = await gitProcessesOf(remote, ['status', '--environment', 'test']);
    expect(status.length, status.join('\n')).toBeLessThanOrEqual(2);
  }, 60_000);
});
