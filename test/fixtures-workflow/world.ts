/**
 * A contracts repository shared by teams: a bare remote, the castle spec
 * published by the provider team, consumer test runs recorded through the
 * recording core, the real CLI, and clones acting as the hosting service.
 */
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readApprovedFixtures } from '../../src/fixtures/load.js';
import { type FixtureFilter, listFixtures } from '../../src/fixtures/select.js';
import { createMockHandler, type MockInteraction } from '../../src/mock/handler.js';
import type { FixtureRecord } from '../../src/model/records.js';
import { loadSpec } from '../../src/openapi/load.js';
import { publishSpec } from '../../src/provider-spec/publish.js';
import { publishPending } from '../../src/record/publish.js';
import { createRecorder } from '../../src/record/recorder.js';
import { ContractsStore } from '../../src/store/store.js';
import { runCli } from '../helpers/cli.js';
import type { Sandbox } from '../helpers/sandbox.js';

export const CASTLE_SPEC = fileURLToPath(
  new URL('../../examples/castle-service/openapi.yaml', import.meta.url),
);
export const NOW = '2026-03-10T12:00:00.000Z';

let castleSpec: ReturnType<typeof loadSpec> | undefined;
function castle() {
  castleSpec ??= loadSpec(CASTLE_SPEC);
  return castleSpec;
}

/** The fixtures on main now, read by the library from a fresh snapshot. */
export async function fixturesOnMain(store: ContractsStore, filter: FixtureFilter): Promise<FixtureRecord[]> {
  return (await listFixtures(await store.snapshot(), filter)).map((s) => s.fixture);
}

export async function openStore(
  sandbox: Sandbox,
  remote: string,
  cache = 'lib-cache',
): Promise<ContractsStore> {
  return ContractsStore.open({
    location: { kind: 'path', path: remote },
    branch: 'main',
    cacheDir: join(sandbox.root, cache),
    env: sandbox.env,
  });
}

export async function publishCastleSpec(store: ContractsStore): Promise<void> {
  const spec = await castle();
  await publishSpec(
    store,
    spec,
    { service: 'castle-service', version: '1.0.0', branch: 'main' },
    { now: NOW },
  );
}

/** A consumer test run against the mock with recording on: what it exchanged is published with its drafts. */
export async function recordRun(
  sandbox: Sandbox,
  store: ContractsStore,
  testRun: string,
  paths: string[],
  consumerVersion = '0.3.0',
): Promise<void> {
  const { document } = await castle();
  const pending = mkdtempSync(join(sandbox.root, 'pending-'));
  const recorder = createRecorder({
    pendingDir: pending,
    consumer: 'castle-client',
    consumerVersion,
    provider: 'castle-service',
    testRun,
    trackReads: true,
    now: () => NOW,
  });
  const mock = createMockHandler({ document, onInteraction: recorder.record, jsonText: recorder.jsonText });
  for (const path of paths) {
    // The test uses every value it gets, so its generated samples are worth proposing as fixtures.
    const text = await (await mock.handle(new Request(`http://castle.test${path}`))).text();
    if (text !== '') JSON.stringify(JSON.parse(text));
  }
  await recorder.close();
  await publishPending(store, pending, { now: NOW });
}

/** What the mock answers to GET `path` with the fixtures approved on main now, from a fresh snapshot. */
export async function serve(
  store: ContractsStore,
  path: string,
  localFixtures: FixtureRecord[] = [],
): Promise<{ servedFrom: MockInteraction['servedFrom']; body: unknown }> {
  const { document } = await castle();
  const fixtures = await readApprovedFixtures(await store.snapshot(), 'castle-service');
  const seen: MockInteraction[] = [];
  const mock = createMockHandler({ document, fixtures, localFixtures, onInteraction: (i) => seen.push(i) });
  const response = await mock.handle(new Request(`http://castle.test${path}`));
  return { servedFrom: seen[0]!.servedFrom, body: await response.json() };
}

/** A PATH with git only: no `gh`, whatever the machine has. */
export async function pathWithGitOnly(sandbox: Sandbox): Promise<string> {
  const bin = join(sandbox.root, 'bin-git-only');
  mkdirSync(bin, { recursive: true });
  const git = (await import('node:child_process')).execFileSync('sh', ['-c', 'command -v git'], {
    encoding: 'utf8',
  });
  symlinkSync(git.trim(), join(bin, 'git'));
  return bin;
}

export function cli(sandbox: Sandbox, cwd: string, env: Record<string, string>, args: string[]) {
  return runCli(args, { cwd, env: { ...sandbox.env, ENTENTE_NOW: NOW, ...env } });
}
