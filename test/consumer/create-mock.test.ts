import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixtures } from '../../src/fixtures/load.js';
import {
  type ContractRecord,
  type CreateMockOptions,
  createClient,
  createMock,
  type Interaction,
} from '../../src/index.js';
import { ContractRecord as ContractSchema, VersionRecord } from '../../src/model/records.js';
import { publishPending } from '../../src/record/publish.js';
import { layout } from '../../src/store/layout.js';
import { CASTLE_ID, castle, SPEC_FILE } from '../mock/castles.js';
import { type ConsumerWorld, createConsumerWorld, pendingFiles, pendingText } from './world.js';

let world: ConsumerWorld;
beforeAll(async () => {
  world = await createConsumerWorld();
});
afterAll(() => world.cleanup());

const NOW = '2026-02-01T00:00:00.000Z';

function options(extra: CreateMockOptions = {}): CreateMockOptions {
  return { cwd: world.project, env: world.env, record: false, ...extra };
}

/** A project folder of its own, so each test's pending folder and local fixtures are its own. */
function project(name: string, files: Record<string, unknown> = {}): string {
  const dir = world.sandbox.dir(name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0' }));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), JSON.stringify(content));
  }
  return dir;
}

async function publish(dir: string) {
  return publishPending(await world.openStore(), join(dir, '.entente', 'pending'), { now: NOW });
}

async function storedContract(consumer: string, version = '1.0.0'): Promise<ContractRecord> {
  const snapshot = await (await world.openStore()).snapshot();
  const record = await snapshot.readRecord(VersionRecord, layout.version(consumer, version));
  const hash = record?.contracts?.['castle-service']?.hash;
  expect(hash, `${consumer}@${version} has a contract`).toBeDefined();
  const contract = await snapshot.readRecord(
    ContractSchema,
    layout.contract('castle-service', consumer, hash!),
  );
  return contract!;
}

const byOperation = (contract: ContractRecord, operation: string): Interaction[] =>
  contract.interactions.filter((i) => i.operation === operation);

describe('createMock: where the spec comes from', () => {
  it('serves an exact version, the latest, the version deployed in an environment, or a local file', async () => {
    const towers = `/castles/${CASTLE_ID}/towers`;
    const cases: [Parameters<typeof createMock>[1], CreateMockOptions, string, number][] = [
      ['1.0.0', {}, '1.0.0', 404],
      ['latest', {}, '2.0.0', 200],
      [{ environment: 'staging' }, {}, '1.0.0', 404],
      ['local', { spec: SPEC_FILE.pathname }, 'local', 404],
    ];
    for (const [selector, extra, version, towersStatus] of cases) {
      const mock = await createMock('castle-service', selector, options(extra));
      try {
        expect(mock.version).toBe(version);
        expect((await fetch(`${mock.url}${towers}`)).status).toBe(towersStatus);
        const list = await fetch(`${mock.url}/castles`);
        expect(list.status).toBe(200);
        expect(Array.isArray(await list.json())).toBe(true);
      } finally {
        await mock.close();
      }
    }
  });

  it('names what is missing: an unpublished version, an environment without the provider', async () => {
    await expect(createMock('castle-service', '9.9.9', options())).rejects.toThrow(
      /castle-service@9\.9\.9 has no published spec/,
    );
    await expect(createMock('castle-service', { environment: 'production' }, options())).rejects.toThrow(
      /not deployed in production/,
    );
    await expect(createMock('Castle Service', 'latest', options())).rejects.toMatchObject({
      code: 'input.service-name',
    });
  });

  it('createClient({ consumer, environment, recordingEnabled }) follows the environment and records as that consumer', async () => {
    const dir = project('odd-jobs');
    const client = createClient({
      consumer: 'odd-jobs',
      consumerVersion: '3.1.0',
      environment: 'staging',
      recordingEnabled: true,
      cwd: dir,
      env: world.env,
    });
    const mock = await client.createMock('castle-service');
    try {
      expect(mock.version).toBe('1.0.0');
      expect(mock.recording).toEqual({
        pendingDir: join(dir, '.entente', 'pending'),
        consumer: 'odd-jobs',
        consumerVersion: '3.1.0',
      });
    } finally {
      await mock.close();
    }
  });
});

describe('createMock: msw handlers', () => {
  it('answer requests in-process like the server, and record them the same way', async () => {
    const dir = project('msw-client');
    const mock = await createMock('castle-service', '1.0.0', {
      ...options({ record: true, cwd: dir }),
      baseUrl: 'https://castles.test',
    });
    const msw = setupServer(...mock.handlers);
    msw.listen({ onUnhandledRequest: 'error' });
    try {
      const viaMsw = await fetch(`https://castles.test/castles/${CASTLE_ID}`);
      msw.close();
      const viaServer = await fetch(`${mock.url}/castles/${CASTLE_ID}`);
      expect(viaMsw.status).toBe(200);
      expect(await viaMsw.json()).toEqual(await viaServer.json());
      expect(mock.interactions).toHaveLength(2);
    } finally {
      msw.close();
      await mock.close();
    }
    const published = await publish(dir);
    expect(published.contracts).toMatchObject([{ consumer: 'msw-client', interactions: 1 }]);
  });
});

describe('recording and publishing', () => {
  it('writes each exchange before the response arrives, publishes one contract with duplicates collapsed, and drafts fixtures only from generated responses', async () => {
    const dir = project('castle-client');
    const localFixtures = [
      {
        operation: 'getCastle',
        data: {
          request: { method: 'GET', path: '/castles/{id}' },
          response: { status: 200, body: castle('Chambord') },
        },
      },
    ];
    {
      await using mock = await createMock(
        'castle-service',
        '1.0.0',
        options({ cwd: dir, record: true, localFixtures }),
      );
      // The test reads the generated list: the sample is worth a fixture draft.
      expect(
        ((await (await fetch(`${mock.url}/castles`)).json()) as { name: string }[])[0]?.name,
      ).toBeTruthy();
      expect(pendingFiles(dir)).toHaveLength(1);
      expect(
        ((await (await fetch(`${mock.url}/castles`)).json()) as { name: string }[])[0]?.name,
      ).toBeTruthy();
      await fetch(`${mock.url}/castles/${CASTLE_ID}`);
      mock.given('castle exists', { id: CASTLE_ID });
      await fetch(`${mock.url}/castles/${CASTLE_ID}`, { method: 'DELETE' });
      const invalid = await fetch(`${mock.url}/castles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(invalid.status).toBe(400);
      expect(pendingFiles(dir)).toHaveLength(3);
    }

    const first = await publish(dir);
    expect(first).toMatchObject({ published: 3, committed: true, fixtureDrafts: 2 });
    expect(first.contracts).toMatchObject([
      { consumer: 'castle-client', consumerVersion: '1.0.0', provider: 'castle-service', interactions: 3 },
    ]);
    const contract = await storedContract('castle-client');
    expect(contract.interactions.map((i) => i.operation).sort()).toEqual([
      'deleteCastle',
      'getCastle',
      'listCastles',
    ]);
    expect(byOperation(contract, 'deleteCastle')[0]!.given).toEqual([
      { state: 'castle exists', params: { id: CASTLE_ID } },
    ]);
    expect(byOperation(contract, 'getCastle')[0]!.response.body).toEqual(castle('Chambord'));
    expect(pendingFiles(dir)).toEqual([]);

    const drafts = (await readFixtures(await (await world.openStore()).snapshot(), 'castle-service')).filter(
      (fixture) => fixture.createdFrom?.consumer === 'castle-client',
    );
    expect(
      drafts
        .map((fixture) => [
          fixture.operation,
          fixture.status,
          fixture.source,
          fixture.priority,
          fixture.serviceVersion,
        ])
        .sort(),
    ).toEqual([
      // serviceVersion: the provider version whose spec the mock served, so `fixtures deprecate --version` finds them.
      ['deleteCastle', 'draft', 'consumer', 1, '1.0.0'],
      ['listCastles', 'draft', 'consumer', 1, '1.0.0'],
    ]);

    {
      await using mock = await createMock(
        'castle-service',
        '1.0.0',
        options({ cwd: dir, record: true, localFixtures }),
      );
      expect(
        ((await (await fetch(`${mock.url}/castles`)).json()) as { name: string }[])[0]?.name,
      ).toBeTruthy();
    }
    const again = await publish(dir);
    expect(again).toMatchObject({ published: 1, committed: false, fixtureDrafts: 0 });
    expect(again.contracts[0]).toMatchObject({ hash: first.contracts[0]!.hash, newContent: false });
  });

  it('redacts secrets before anything touches disk: not in the pending folder, not in the repository history', async () => {
    const secret = 'Bearer sk_live_7f3a9c1e5b';
    const cookieSecret = 'sid=cookie-secret-42';
    const bodySecret = 'body-secret-password';
    const secrets = [
      'sk_live_7f3a9c1e5b',
      'cookie-secret-42',
      bodySecret,
      'query-secret-99',
      'header-secret-1',
    ];
    const dir = project('secretive-client', {
      'fixtures/castle-service.json': [
        {
          operation: 'listCastles',
          data: {
            request: { method: 'GET', path: '/castles' },
            response: {
              status: 200,
              headers: { 'set-cookie': `${cookieSecret}; HttpOnly` },
              body: [castle('Blois')],
            },
          },
        },
      ],
    });
    {
      await using mock = await createMock(
        'castle-service',
        '1.0.0',
        options({ cwd: dir, record: true, redact: { bodyPaths: ['description', '[].description'] } }),
      );
      const list = await fetch(`${mock.url}/castles?api_key=query-secret-99`, {
        headers: { authorization: secret, cookie: cookieSecret, 'x-api-key': 'header-secret-1' },
      });
      expect(list.headers.get('set-cookie')).toContain(cookieSecret);
      await fetch(`${mock.url}/castles`, {
        method: 'POST',
        headers: { authorization: secret, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Amboise', region: 'Centre', yearBuilt: 1490, description: bodySecret }),
      });
    }
    expect(pendingFiles(dir)).toHaveLength(2);
    const pending = pendingText(dir);
    for (const value of secrets) expect(pending).not.toContain(value);
    expect(pending).toContain('[redacted]');

    await publish(dir);
    const history = await world.history();
    expect(history).toContain('secretive-client');
    for (const value of secrets) expect(history).not.toContain(value);
    const contract = await storedContract('secretive-client');
    const post = byOperation(contract, 'createCastle')[0]!;
    expect(post.request.headers?.authorization).toBe('[redacted]');
    expect((post.request.body as { description: string }).description).toBe('[redacted]');
    const list = byOperation(contract, 'listCastles')[0]!;
    expect(list.request.query).toEqual({ api_key: '[redacted]' });
    expect(list.response.headers?.['set-cookie']).toBe('[redacted]');
  });
});

describe('what the consumer relies on', () => {
  it('narrows to a partial fixture’s fields, or to the reliesOn option, in the stored contract', async () => {
    const dir = project('materials', {
      'fixtures/castle-service.json': [
        {
          operation: 'getCastle',
          partial: true,
          data: {
            request: { method: 'GET', path: '/castles/{id}' },
            response: { status: 200, body: { yearBuilt: 1519 } },
          },
        },
      ],
    });
    {
      await using mock = await createMock(
        'castle-service',
        '1.0.0',
        options({ cwd: dir, record: true, reliesOn: { listCastles: ['[].name'] } }),
      );
      const one = (await (await fetch(`${mock.url}/castles/${CASTLE_ID}`)).json()) as Record<string, unknown>;
      expect(one).toMatchObject({ yearBuilt: 1519, name: expect.any(String), region: expect.any(String) });
      await fetch(`${mock.url}/castles`);
      await fetch(`${mock.url}/castles/${CASTLE_ID}`, { headers: { prefer: 'code=404' } });
    }
    await publish(dir);
    const contract = await storedContract('materials');
    expect(byOperation(contract, 'getCastle').map((i) => [i.response.status, i.response.reliesOn])).toEqual(
      expect.arrayContaining([
        [200, ['yearBuilt']],
        [404, undefined],
      ]),
    );
    expect(byOperation(contract, 'listCastles')[0]!.response.reliesOn).toEqual(['[].name']);
  });

  it('refuses a reliesOn path that names nothing the consumer received', async () => {
    const dir = project('typo-client');
    const mock = await createMock(
      'castle-service',
      '1.0.0',
      options({ cwd: dir, record: true, reliesOn: { getCastle: ['nmae'] } }),
    );
    const response = await fetch(`${mock.url}/castles/${CASTLE_ID}`);
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/"nmae".*names nothing in the recorded response body/);
    await expect(mock.close()).rejects.toMatchObject({ code: 'input.relies-on' });
  });
});
