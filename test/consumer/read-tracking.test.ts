/**
 * Read tracking: a contract recorded in the test's own process relies on the
 * response fields the test's code read, through `mock.url` and through msw
 * handlers, with plain fetch, ky, ofetch, openapi-fetch and axios. Reading a
 * whole value relies on all of it; a consumer in another process, or one
 * that never parses the body where entente can see it, falls back to the
 * spec-aware default; declared reliance wins, and a declared path never read
 * is warned about. The recordings are published to a real bare remote.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import axios from 'axios';
import ky from 'ky';
import { setupServer } from 'msw/node';
import { ofetch } from 'ofetch';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFixtures } from '../../src/fixtures/load.js';
import { type CreateMockOptions, createMock, type Mock } from '../../src/index.js';
import { ContractRecord, VersionRecord } from '../../src/model/records.js';
import { layout } from '../../src/store/layout.js';
import { runCli } from '../helpers/cli.js';
import { CASTLE_ID } from '../mock/castles.js';
import { type ConsumerWorld, createConsumerWorld, pendingFiles } from './world.js';

const exec = promisify(execFile);

let world: ConsumerWorld;
beforeAll(async () => {
  world = await createConsumerWorld();
});
afterAll(() => world.cleanup());
beforeEach(() => {
  rmSync(join(world.project, '.entente'), { recursive: true, force: true });
});

type Castle = { id: string; name: string; region: string; yearBuilt: number; description?: string | null };

/** A recording mock of castle-service@1.0.0 for the consumer project. */
function recordingMock(options: CreateMockOptions = {}): Promise<Mock> {
  return createMock('castle-service', '1.0.0', {
    record: true,
    cwd: world.project,
    env: world.env,
    ...options,
  });
}

/** Per operation, how the recorded interaction's reliance was decided and on what. */
function recorded() {
  return Object.fromEntries(
    pendingFiles(world.project).map((file) => {
      const { interaction } = JSON.parse(readFileSync(file, 'utf8'));
      return [
        interaction.operation,
        { reliance: interaction.response.reliance, reliesOn: interaction.response.reliesOn },
      ];
    }),
  );
}

describe('read tracking, through mock.url', () => {
  it('plain fetch: the fields the code read, every element of an array alike', async () => {
    const mock = await recordingMock();
    const castle = (await (await fetch(`${mock.url}/castles/${CASTLE_ID}`)).json()) as Castle;
    expect(castle.name).toBe('Château de Versailles');
    const list = (await (await fetch(`${mock.url}/castles`)).json()) as Castle[];
    expect(list.map((c) => c.region).length).toBeGreaterThan(0);
    await mock.close();
    expect(recorded()).toEqual({
      getCastle: { reliance: 'tracked', reliesOn: ['name'] },
      listCastles: { reliance: 'tracked', reliesOn: ['[].region'] },
    });
  });

  it('ky, ofetch and openapi-fetch (Response.json underneath), and axios', async () => {
    const clients: Record<string, (url: string) => Promise<Castle>> = {
      ky: (url) => ky.get(url).json<Castle>(),
      ofetch: (url) => ofetch<Castle>(url),
      'openapi-fetch': async (url) => {
        const client = createClient<{
          '/castles/{id}': {
            get: {
              parameters: { path: { id: string } };
              responses: { 200: { content: { 'application/json': Castle } } };
            };
          };
        }>({ baseUrl: url.slice(0, url.indexOf('/castles')) });
        const { data } = await client.GET('/castles/{id}', { params: { path: { id: CASTLE_ID } } });
        return data!;
      },
      axios: async (url) => (await axios.get<Castle>(url)).data,
    };
    for (const [name, get] of Object.entries(clients)) {
      rmSync(join(world.project, '.entente'), { recursive: true, force: true });
      const mock = await recordingMock();
      const castle = await get(`${mock.url}/castles/${CASTLE_ID}`);
      expect(castle.yearBuilt, name).toBe(1623);
      await mock.close();
      expect(recorded(), name).toEqual({ getCastle: { reliance: 'tracked', reliesOn: ['yearBuilt'] } });
    }
  });

  it('reading a whole value relies on all of it: JSON.stringify, spread, structuredClone, deep equality', async () => {
    const wholeReads: Record<string, (castle: Castle) => void> = {
      stringify: (castle) => expect(JSON.stringify(castle)).toContain('Versailles'),
      spread: (castle) => expect({ ...castle }.id).toBe(CASTLE_ID),
      structuredClone: (castle) => expect(structuredClone(castle).region).toBe('Île-de-France'),
      toEqual: (castle) =>
        expect(castle).toEqual({
          id: CASTLE_ID,
          name: 'Château de Versailles',
          region: 'Île-de-France',
          yearBuilt: 1623,
        }),
    };
    for (const [name, read] of Object.entries(wholeReads)) {
      rmSync(join(world.project, '.entente'), { recursive: true, force: true });
      const mock = await recordingMock();
      read((await (await fetch(`${mock.url}/castles/${CASTLE_ID}`)).json()) as Castle);
      await mock.close();
      expect(recorded(), name).toEqual({ getCastle: { reliance: 'tracked', reliesOn: [''] } });
    }
  });

  it('a body never parsed where entente can see it, or trackReads: false, falls back to what was received', async () => {
    const mock = await recordingMock();
    expect(JSON.parse(await (await fetch(`${mock.url}/castles/${CASTLE_ID}`)).text()).name).toBeTruthy();
    await fetch(`${mock.url}/castles`); // never read at all
    await mock.close();
    // JSON.parse of the text is a read like Response.json(); the list was not parsed.
    expect(recorded()).toEqual({
      getCastle: { reliance: 'tracked', reliesOn: ['name'] },
      listCastles: { reliance: 'received' },
    });

    rmSync(join(world.project, '.entente'), { recursive: true, force: true });
    const untracked = await recordingMock({ trackReads: false });
    expect(
      ((await (await fetch(`${untracked.url}/castles/${CASTLE_ID}`)).json()) as Castle).name,
    ).toBeTruthy();
    await untracked.close();
    expect(recorded()).toEqual({ getCastle: { reliance: 'received' } });
  });

  it('a consumer in another process falls back to the spec-aware default', async () => {
    const mock = await recordingMock();
    const script = `fetch(process.argv[1] + '/castles/${CASTLE_ID}').then((r) => r.json()).then((c) => console.log(c.name))`;
    const { stdout } = await exec(process.execPath, ['-e', script, mock.url]);
    expect(stdout.trim()).toBe('Château de Versailles');
    await mock.close();
    expect(recorded()).toEqual({ getCastle: { reliance: 'received' } });
  });

  it('declared reliance wins over what was read, and a declared path never read is warned about', async () => {
    const warnings: string[] = [];
    const mock = await recordingMock({
      reliesOn: { getCastle: ['name', 'region'] },
      logger: { warn: (message) => warnings.push(message) },
    });
    expect(((await (await fetch(`${mock.url}/castles/${CASTLE_ID}`)).json()) as Castle).name).toBeTruthy();
    await mock.close();
    expect(recorded()).toEqual({ getCastle: { reliance: 'declared', reliesOn: ['name', 'region'] } });
    expect(warnings).toEqual([
      `entente: getCastle (GET /castles/${CASTLE_ID}) declares it relies on region, and the test never read it`,
    ]);
  });
});

describe('read tracking, through msw handlers', () => {
  it('tracks reads of responses msw intercepted in-process, and publishes them', async () => {
    const mock = await recordingMock({ baseUrl: 'https://castles.test' });
    const msw = setupServer(...mock.handlers);
    msw.listen({ onUnhandledRequest: 'error' });
    try {
      const list = (await (await fetch('https://castles.test/castles')).json()) as Castle[];
      expect(list.every((c) => typeof c.name === 'string')).toBe(true);
      const castle = await ky.get(`https://castles.test/castles/${CASTLE_ID}`).json<Castle>();
      expect(castle.description ?? null).toBeNull();
    } finally {
      msw.close();
      await mock.close();
    }
    expect(recorded()).toEqual({
      listCastles: { reliance: 'tracked', reliesOn: ['[].name'] },
      getCastle: { reliance: 'tracked', reliesOn: [] },
    });

    const published = await runCli(['publish'], {
      cwd: world.project,
      env: { ...world.env, ENTENTE_BRANCH: 'main' },
    });
    expect(published.stderr).toBe('');
    expect(published.code).toBe(0);
    const snapshot = await (await world.openStore()).snapshot();
    const version = await snapshot.readRecord(VersionRecord, layout.version('castle-client', '0.1.0'));
    const hash = version?.contracts?.['castle-service']?.hash ?? '';
    const contract = await snapshot.readRecord(
      ContractRecord,
      layout.contract('castle-service', 'castle-client', hash),
    );
    expect(
      contract?.interactions.map((i) => [i.operation, i.response.reliance, i.response.reliesOn]).sort(),
    ).toEqual([
      ['getCastle', 'tracked', []],
      ['listCastles', 'tracked', ['[].name']],
    ]);
  });
});

describe('consumer fixture drafts', () => {
  it('are proposed from spec examples and from samples the tests used, never from placeholder samples', async () => {
    // A world of its own: no drafts from the tests above.
    const own = await createConsumerWorld();
    const mock = await createMock('castle-service', '1.0.0', {
      record: true,
      cwd: own.project,
      env: own.env,
    });
    await fetch(`${mock.url}/castles/${CASTLE_ID}`); // the spec's example, not even read
    await fetch(`${mock.url}/castles`); // a generated sample nobody looked at
    const used = (await (await fetch(`${mock.url}/castles?region=Centre`)).json()) as Castle[];
    expect(used[0]?.name).toBeTruthy(); // a generated sample the test read
    await mock.close();
    const published = await runCli(['publish', '--json'], {
      cwd: own.project,
      env: { ...own.env, ENTENTE_BRANCH: 'main' },
    });
    expect(published.code, published.stderr).toBe(0);
    expect(JSON.parse(published.stdout)).toMatchObject({ fixtureDrafts: 2 });
    const drafts = (await readFixtures(await (await own.openStore()).snapshot(), 'castle-service')).filter(
      (fixture) => fixture.createdFrom?.consumer === 'castle-client',
    );
    expect(drafts.map((d) => [d.operation, d.data.request.path, d.data.request.query]).sort()).toEqual([
      ['getCastle', `/castles/${CASTLE_ID}`, undefined],
      ['listCastles', '/castles', { region: 'Centre' }],
    ]);
    own.cleanup();
  });
});
