import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CastleService,
  type OutgoingResponse,
  startCastleService,
} from '../../examples/castle-service/service.js';
import { VerificationRecord } from '../../src/model/records.js';
import { layout } from '../../src/store/layout.js';
import type { ContractsStore } from '../../src/store/store.js';
import { readVerification } from '../../src/verify/results.js';
import type { StateFunction, StateHandlers } from '../../src/verify/states.js';
import { type VerifyRequest, verifyProvider } from '../../src/verify/verify.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import {
  CASTLE_123,
  CASTLE_CLIENT_RELIES_ON,
  NOW,
  openStore,
  publishCastleSpec,
  recordCastleClient,
} from './world.js';

let sandbox: Sandbox;
let store: ContractsStore;

beforeAll(async () => {
  sandbox = createSandbox();
  store = await openStore(sandbox, await sandbox.bareRemote());
  await publishCastleSpec(store);
  await recordCastleClient(store, {
    version: '1.0.0',
    pendingRoot: sandbox.root,
    reliesOn: CASTLE_CLIENT_RELIES_ON,
  });
});

afterAll(() => sandbox.cleanup());

function castleStates(service: CastleService): StateHandlers {
  return {
    listCastles: () => {
      service.store.put({
        id: CASTLE_123,
        name: 'Château de Chambord',
        region: 'Centre-Val de Loire',
        yearBuilt: 1519,
      });
    },
    'castle 123 exists': {
      setup: (params) => {
        service.store.put({
          id: String(params.id),
          name: 'Château de Chambord',
          region: 'Centre-Val de Loire',
          yearBuilt: 1519,
        });
      },
      teardown: (params) => {
        service.store.delete(String(params.id));
      },
    },
  };
}

async function verifyAgainst(
  present: ((response: OutgoingResponse) => OutgoingResponse) | undefined,
  extra: Partial<VerifyRequest> = {},
) {
  const service = await startCastleService(present ? { present } : {});
  try {
    return await verifyProvider(store, {
      provider: 'castle-service',
      version: '1.0.0',
      baseUrl: service.url,
      headers: { authorization: 'Bearer provider-test-token' },
      stateHandlers: castleStates(service),
      cleanup: () => service.store.clear(),
      publish: false,
      // Nothing is published, so the contract stays pending: hold it like a verified one here.
      failOnPending: true,
      now: NOW,
      ...extra,
    });
  } finally {
    await service.close();
  }
}

function failures(result: Awaited<ReturnType<typeof verifyAgainst>>) {
  return result.contracts
    .flatMap((c) => c.interactions)
    .filter((i) => !i.success)
    .map((i) => ({
      operation: i.operation,
      ...(i.error ? { error: i.error } : {}),
      mismatches: i.mismatches.map(({ kind, path, expected, actual, message }) => ({
        kind,
        path,
        expected,
        actual,
        message,
      })),
    }))
    .sort(byOperation);
}

describe('verifying castle-service against castle-client', () => {
  it('passes against the real service', async () => {
    const result = await verifyAgainst(undefined);
    expect(result.summary).toEqual({
      contracts: 1,
      interactions: 4,
      passed: 4,
      failed: 0,
      specDrift: 0,
      pending: 1,
      pendingFailed: 0,
    });
    expect(result.success).toBe(true);
    expect(result.spec?.version).toBe('1.0.0');
    expect(result.contracts[0]?.consumerVersions).toEqual([
      { version: '1.0.0', reasons: [{ kind: 'branch', branch: 'main' }] },
    ]);
  });

  it('fails when a relied-on field is renamed', async () => {
    const result = await verifyAgainst(renameField('name', 'title'));
    expect(result.success).toBe(false);
    const missing = (path: string) => ({
      kind: 'response.body.missing',
      path,
      expected: 'string',
      actual: undefined,
      message: `${path}: missing; the consumer relies on it (string)`,
    });
    expect(failures(result)).toEqual([
      { operation: 'createCastle', mismatches: [missing('$.name')] },
      { operation: 'getCastle', mismatches: [missing('$.name')] },
      { operation: 'listCastles', mismatches: [missing('$[0].name')] },
    ]);
  });

  it("fails when a relied-on field's type changes, only where the consumer relies on it", async () => {
    const result = await verifyAgainst(
      mapCastles((castle) => ({ ...castle, yearBuilt: String(castle.yearBuilt) })),
    );
    expect(failures(result)).toEqual([
      {
        operation: 'getCastle',
        mismatches: [
          {
            kind: 'response.body.type',
            path: '$.yearBuilt',
            expected: 'number',
            actual: 'string',
            message: '$.yearBuilt: expected number, got string ("1519")',
          },
        ],
      },
    ]);
    const drift = result.contracts[0]!.interactions.filter((i) => i.specDrift.length > 0);
    expect(drift.map((i) => i.operation).sort()).toEqual(['createCastle', 'getCastle', 'listCastles']);
    expect(drift.find((i) => i.operation === 'getCastle')?.specDrift).toEqual([
      { kind: 'spec.body', path: '$.yearBuilt', message: '$.yearBuilt: must be integer' },
    ]);
  });

  it('fails on a wrong status, and compares nothing else', async () => {
    const result = await verifyAgainst((response) =>
      response.operation === 'createCastle' ? { ...response, status: 200 } : response,
    );
    expect(failures(result)).toEqual([
      {
        operation: 'createCastle',
        mismatches: [
          {
            kind: 'response.status',
            path: 'status',
            expected: 201,
            actual: 200,
            message: 'status: expected 201, got 200',
          },
        ],
      },
    ]);
  });

  it('lets a field the consumer does not rely on change freely; the spec drift is reported, not failed', async () => {
    const result = await verifyAgainst(
      mapCastles((castle) => ({ ...castle, description: 42, region: 7 }), 'listCastles'),
    );
    expect(result.success).toBe(true);
    const list = result.contracts[0]!.interactions.find((i) => i.operation === 'listCastles')!;
    expect(list.specDrift.map((m) => m.message)).toEqual([
      '$[0].region: must be string',
      '$[0].description: must be string,null',
    ]);

    const strict = await verifyAgainst(
      mapCastles((castle) => ({ ...castle, region: 7 }), 'listCastles'),
      {
        failOnSpecDrift: true,
      },
    );
    expect(failures(strict)).toEqual([{ operation: 'listCastles', mismatches: [] }]);
  });
});

describe('provider states', () => {
  it('runs the operation handler, then state setups, the request, teardowns in reverse, then cleanup', async () => {
    const log: string[] = [];
    const service = await startCastleService({
      present: (response) => {
        log.push(`respond ${response.operation} ${response.status}`);
        return response;
      },
    });
    try {
      const states = castleStates(service);
      const traced = (name: string, handler: StateHandlers[string]): StateHandlers[string] => {
        const wrap =
          (action: 'setup' | 'teardown', fn: StateFunction | undefined): StateFunction =>
          async (params, context) => {
            log.push(`${action} ${name} ${JSON.stringify(params)}`);
            await fn?.(params, context);
          };
        return typeof handler === 'function'
          ? { setup: wrap('setup', handler) }
          : { setup: wrap('setup', handler.setup), teardown: wrap('teardown', handler.teardown) };
      };
      const result = await verifyProvider(store, {
        provider: 'castle-service',
        version: '1.0.0',
        baseUrl: service.url,
        headers: { authorization: 'Bearer provider-test-token' },
        stateHandlers: {
          ...Object.fromEntries(
            Object.entries(states).map(([name, handler]) => [name, traced(name, handler)]),
          ),
          getCastle: traced('getCastle', () => undefined),
        },
        cleanup: ({ operation }) => {
          log.push(`cleanup ${operation}`);
          service.store.clear();
        },
        publish: false,
        now: NOW,
      });
      expect(result.success).toBe(true);
      const byInteraction = splitAfter(log, (line) => line.startsWith('cleanup'));
      const getCastle = byInteraction.find((lines) => lines.at(-1) === 'cleanup getCastle');
      expect(getCastle).toEqual([
        'setup getCastle {}',
        `setup castle 123 exists {"id":"${CASTLE_123}"}`,
        'respond getCastle 200',
        `teardown castle 123 exists {"id":"${CASTLE_123}"}`,
        'cleanup getCastle',
      ]);
      expect(byInteraction.find((lines) => lines.at(-1) === 'cleanup listCastles')).toEqual([
        'setup listCastles {}',
        'respond listCastles 200',
        'cleanup listCastles',
      ]);
      expect(byInteraction.find((lines) => lines.at(-1) === 'cleanup createCastle')).toEqual([
        'respond createCastle 201',
        'cleanup createCastle',
      ]);
    } finally {
      await service.close();
    }
  });

  it('stops with exit 4 when a state handler throws, records nothing, and still tears down and cleans up', async () => {
    const cleaned: string[] = [];
    const tornDown: string[] = [];
    const service = await startCastleService();
    const before = (await store.snapshot()).commit;
    try {
      const run = verifyProvider(store, {
        provider: 'castle-service',
        version: '1.0.0',
        baseUrl: service.url,
        headers: { authorization: 'Bearer provider-test-token' },
        failOnPending: true,
        stateHandlers: {
          listCastles: { setup: () => undefined, teardown: () => void tornDown.push('listCastles') },
          'castle 123 exists': {
            setup: () => {
              throw new Error('the database is not running');
            },
          },
        },
        cleanup: ({ operation }) => {
          cleaned.push(operation);
        },
        publish: true,
        now: NOW,
      });
      await expect(run).rejects.toMatchObject({
        exitCode: 4,
        code: 'verify.state',
        message: expect.stringContaining(
          'state "castle 123 exists" setup failed: the database is not running (castle-client: ',
        ),
      });
      await expect(run).rejects.toThrow('the verification stopped and nothing was recorded');
      expect(cleaned.length).toBeGreaterThan(0);
      expect((await store.snapshot()).commit).toBe(before);
    } finally {
      await service.close();
    }
  });

  it('stops with exit 4 when a teardown fails, after the response was judged', async () => {
    const service = await startCastleService();
    try {
      await expect(
        verifyProvider(store, {
          provider: 'castle-service',
          version: '1.0.0',
          baseUrl: service.url,
          stateHandlers: {
            'castle 123 exists': () => undefined,
            listCastles: { teardown: () => Promise.reject(new Error('could not truncate castles')) },
          },
          publish: false,
          now: NOW,
        }),
      ).rejects.toMatchObject({
        exitCode: 4,
        message: expect.stringContaining(
          'operation "listCastles" teardown failed: could not truncate castles',
        ),
      });
    } finally {
      await service.close();
    }
  });
});

describe('results in the contracts repository', () => {
  it('stores a result per contract, inherited by a consumer version with identical content, with provider fixture drafts proposed once', async () => {
    const first = await verifyAgainst(undefined, {
      publish: true,
      testRun: 'run-1',
      branch: 'main',
      commit: 'abc123',
    });
    expect(first.published).toMatchObject({ committed: true, verifications: 1, fixtureDrafts: 3 });
    const hash = first.contracts[0]!.contract;
    const snapshot = await store.snapshot();
    const record = await snapshot.readRecord(
      VerificationRecord,
      layout.verification('castle-service', '1.0.0', hash),
    );
    expect(record).toMatchObject({
      consumer: 'castle-client',
      success: true,
      testRun: 'run-1',
      commit: 'abc123',
    });
    expect(record?.interactions).toHaveLength(4);

    const fixtures = await snapshot.listFiles(layout.fixturesOf('castle-service'));
    const provider = (
      await snapshot.readRecords((await import('../../src/model/records.js')).FixtureRecord, fixtures)
    ).values();
    const drafts = [...provider].filter((f) => f.source === 'provider');
    expect(drafts.map((f) => f.operation).sort()).toEqual(['createCastle', 'getCastle', 'listCastles']);
    expect(drafts.every((f) => f.status === 'draft' && f.priority === 2)).toBe(true);
    expect(drafts[0]?.createdFrom).toEqual({
      type: 'provider-verification',
      testRun: 'run-1',
      commit: 'abc123',
      timestamp: NOW,
    });
    const created = drafts.find((f) => f.operation === 'createCastle')!;
    expect(created.data.request.body).toEqual({
      name: 'Château de Blois',
      region: 'Centre-Val de Loire',
      yearBuilt: 1498,
    });

    const again = await verifyAgainst(undefined, {
      publish: true,
      testRun: 'run-1',
      branch: 'main',
      commit: 'abc123',
    });
    expect(again.published).toMatchObject({ committed: false, fixtureDrafts: 0 });

    const second = await recordCastleClient(store, {
      version: '1.1.0',
      pendingRoot: sandbox.root,
      reliesOn: CASTLE_CLIENT_RELIES_ON,
    });
    expect(second.contracts[0]).toMatchObject({ hash, newContent: false });
    const inherited = await readVerification(await store.snapshot(), {
      provider: 'castle-service',
      providerVersion: '1.0.0',
      consumer: 'castle-client',
      consumerVersion: '1.1.0',
    });
    expect(inherited).toMatchObject({ success: true, contract: hash });
  });
});

function byOperation(a: { operation: string }, b: { operation: string }) {
  return a.operation.localeCompare(b.operation);
}

function splitAfter(lines: string[], last: (line: string) => boolean): string[][] {
  const groups: string[][] = [[]];
  for (const line of lines) {
    groups.at(-1)!.push(line);
    if (last(line)) groups.push([]);
  }
  return groups.filter((g) => g.length > 0);
}

type CastleBody = { yearBuilt: number } & Record<string, unknown>;

/** Changes every castle the service sends (or only those of one operation). */
function mapCastles(change: (castle: CastleBody) => unknown, operation?: string) {
  const map = (body: unknown): unknown =>
    Array.isArray(body)
      ? body.map(map)
      : body && typeof body === 'object' && 'yearBuilt' in body
        ? change(body as CastleBody)
        : body;
  return (response: OutgoingResponse) =>
    operation && response.operation !== operation ? response : { ...response, body: map(response.body) };
}
function renameField(from: string, to: string) {
  const rename = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rename);
    if (value && typeof value === 'object' && from in value) {
      const { [from]: moved, ...rest } = value as Record<string, unknown>;
      return { ...rest, [to]: moved };
    }
    return value;
  };
  return (response: OutgoingResponse) => ({ ...response, body: rename(response.body) });
}

describe('secrets redacted when recorded', () => {
  it('fails an interaction whose redacted header nothing supplies, naming the header, and never sends it', async () => {
    const result = await verifyAgainst(undefined, { headers: {} });
    const create = result.contracts[0]!.interactions.find((i) => i.operation === 'createCastle')!;
    expect(create.success).toBe(false);
    expect(create.error).toBe(
      "not sent: the recorded request holds secrets that were redacted when it was recorded; supply header authorization (--header 'authorization: …')",
    );
    expect(create.response).toBeUndefined();
    expect(result.summary).toMatchObject({ interactions: 4, passed: 3, failed: 1 });
  });

  it('takes the secret from a state setup answering { secrets }, and keeps it out of the result', async () => {
    const service = await startCastleService();
    const sent: Record<string, string>[] = [];
    try {
      const result = await verifyProvider(store, {
        provider: 'castle-service',
        version: '1.0.0',
        baseUrl: service.url,
        stateHandlers: {
          ...castleStates(service),
          createCastle: () => ({ secrets: { headers: { Authorization: 'Bearer from-a-state-setup' } } }),
        },
        requestFilter: (request) => {
          sent.push(request.headers);
          return request;
        },
        cleanup: () => service.store.clear(),
        publish: false,
        now: NOW,
      });
      expect(result.success).toBe(true);
      expect(sent.map((headers) => headers.authorization)).toContain('Bearer from-a-state-setup');
      expect(JSON.stringify(result)).not.toContain('from-a-state-setup');
    } finally {
      await service.close();
    }
  });
});
