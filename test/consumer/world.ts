/**
 * A consumer's world for integration tests: a sandbox, a bare contracts
 * remote with castle-service's spec published (1.0.0 deployed to staging,
 * 2.0.0 the latest, with one more operation), and a consumer project folder.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { recordDeployment } from '../../src/deploy/record-deployment.js';
import { loadSpec } from '../../src/openapi/load.js';
import { publishSpec } from '../../src/provider-spec/publish.js';
import { ContractsStore } from '../../src/store/store.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { SPEC_FILE } from '../mock/castles.js';

const exec = promisify(execFile);

export interface ConsumerWorld {
  sandbox: Sandbox;
  remote: string;
  project: string;
  /** The sandbox environment pointed at the remote, recording off. */
  env: Record<string, string>;
  openStore(): Promise<ContractsStore>;
  /** Every file of every commit of the remote, as `git log -p --all` prints it. */
  history(): Promise<string>;
  cleanup(): void;
}

export const TOWERS_PATH = '/castles/{id}/towers';

export async function createConsumerWorld(): Promise<ConsumerWorld> {
  const sandbox = createSandbox();
  const remote = await sandbox.bareRemote();
  const project = sandbox.dir('castle-client');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'castle-client', version: '0.1.0' }));
  const env = { ...sandbox.env, ENTENTE_CONTRACTS: remote };
  const openStore = () =>
    ContractsStore.open({
      location: { kind: 'path', path: remote },
      branch: 'main',
      cacheDir: join(sandbox.root, 'test-cache'),
      env,
    });

  const store = await openStore();
  const v1 = await loadSpec(SPEC_FILE.pathname);
  await publishSpec(
    store,
    v1,
    { service: 'castle-service', version: '1.0.0', branch: 'main' },
    {
      now: '2026-01-01T00:00:00.000Z',
    },
  );
  const v2Document = structuredClone(v1.document) as { paths: Record<string, unknown> };
  v2Document.paths[TOWERS_PATH] = {
    get: {
      operationId: 'listTowers',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': {
          description: 'towers',
          content: { 'application/json': { schema: { type: 'array', items: { type: 'string' } } } },
        },
      },
    },
  };
  const v2File = join(sandbox.root, 'castle-v2.json');
  writeFileSync(v2File, JSON.stringify(v2Document));
  await publishSpec(
    store,
    await loadSpec(v2File),
    { service: 'castle-service', version: '2.0.0', branch: 'main' },
    { now: '2026-01-02T00:00:00.000Z' },
  );
  await recordDeployment(
    store,
    {
      service: 'castle-service',
      version: '1.0.0',
      environment: 'staging',
      at: '2026-01-03T00:00:00.000Z',
    },
    { newEnvironment: true },
  );

  return {
    sandbox,
    remote,
    project,
    env,
    openStore,
    async history() {
      return (await exec('git', ['log', '-p', '--all'], { cwd: remote, env, maxBuffer: 64 * 1024 * 1024 }))
        .stdout;
    },
    cleanup: () => sandbox.cleanup(),
  };
}

/** Every file in a project's pending folder. */
export function pendingFiles(project: string): string[] {
  try {
    return readdirSync(join(project, '.entente', 'pending'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

/** The text of every file in a project's pending folder. */
export function pendingText(project: string): string {
  return pendingFiles(project)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
}
