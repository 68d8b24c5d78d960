import { describe, expect, it } from 'vitest';
import type { FixtureRecord, VersionRecord } from '../model/records.js';
import { type PruneInput, planPrune } from './plan.js';

const OLD = '2026-01-01T00:00:00.000Z';
const NEW = '2026-06-01T00:00:00.000Z';
const h = (c: string) => c.repeat(64);

function version(service: string, v: string, createdAt: string, extra: Partial<VersionRecord> = {}) {
  return {
    path: `services/${service}/versions/${v}.json`,
    service,
    version: v,
    record: { service, version: v, createdAt, ...extra },
  };
}

function draft(
  id: string,
  service: string,
  serviceVersion: string,
  status: FixtureRecord['status'] = 'draft',
) {
  const record: FixtureRecord = {
    id,
    service,
    serviceVersion,
    operation: 'getThing',
    status,
    priority: 2,
    source: 'provider',
    data: { request: { method: 'GET', path: '/thing' }, response: { status: 200 } },
  };
  return { path: `fixtures/${service}/getThing/${id}.json`, record };
}

function input(overrides: Partial<PruneInput> = {}): PruneInput {
  return {
    cutoff: new Date('2026-03-01T00:00:00.000Z'),
    mainBranches: ['main'],
    versions: [],
    branches: [],
    deployments: [],
    contracts: [],
    verifications: [],
    specs: [],
    fixtures: [],
    ...overrides,
  };
}

describe('planPrune', () => {
  it('removes only versions that are old, undeployed and not the latest of a main branch', () => {
    const plan = planPrune(
      input({
        versions: [
          version('api', '1', OLD),
          version('api', '2', OLD),
          version('api', '3', OLD),
          version('api', '4', NEW),
          version('api', '5', OLD),
        ],
        deployments: [
          {
            service: 'api',
            environment: 'prod',
            deployed: [{ version: '2', deployedAt: OLD }],
            history: [{ action: 'deploy', version: '1', at: OLD }],
          },
        ],
        branches: [
          {
            path: 'services/api/branches/main.json',
            record: { service: 'api', branch: 'main', latestVersion: '3', updatedAt: OLD },
          },
          {
            path: 'services/api/branches/feature.json',
            record: { service: 'api', branch: 'feature', latestVersion: '5', updatedAt: OLD },
          },
        ],
      }),
    );
    expect(plan.versions.map((v) => v.version)).toEqual(['1', '5']);
    expect(plan.kept).toEqual({ deployed: 1, latestOnMainBranch: 1, recent: 1 });
    expect(plan.files).toEqual([
      { path: 'services/api/branches/feature.json', kind: 'branch' },
      { path: 'services/api/versions/1.json', kind: 'version' },
      { path: 'services/api/versions/5.json', kind: 'version' },
    ]);
  });

  it('keeps contracts and specs that a kept version shares; removes verifications by or of what goes', () => {
    const shared = { hash: h('a'), publishedAt: OLD };
    const spec = { hash: h('s'), openapi: '3.0.3', publishedAt: OLD };
    const plan = planPrune(
      input({
        versions: [
          version('web', '1', OLD, { contracts: { api: shared } }),
          version('web', '2', OLD, { contracts: { api: { hash: h('b'), publishedAt: OLD } } }),
          version('web', '3', NEW, { contracts: { api: shared } }),
          version('api', '1', OLD, { spec }),
          version('api', '2', NEW, { spec }),
          version('api', '0', OLD, { spec: { ...spec, hash: h('0') } }),
        ],
        contracts: [
          { path: `contracts/api/web/${h('a')}.json`, provider: 'api', consumer: 'web', hash: h('a') },
          { path: `contracts/api/web/${h('b')}.json`, provider: 'api', consumer: 'web', hash: h('b') },
        ],
        verifications: [
          { path: `verifications/api/2/${h('a')}.json`, provider: 'api', version: '2', contract: h('a') },
          { path: `verifications/api/2/${h('b')}.json`, provider: 'api', version: '2', contract: h('b') },
          { path: `verifications/api/1/${h('a')}.json`, provider: 'api', version: '1', contract: h('a') },
        ],
        specs: [
          { path: `services/api/specs/${h('s')}.json`, service: 'api', hash: h('s') },
          { path: `services/api/specs/${h('0')}.json`, service: 'api', hash: h('0') },
        ],
      }),
    );
    expect(plan.files.filter((f) => f.kind !== 'version')).toEqual([
      { path: `contracts/api/web/${h('b')}.json`, kind: 'contract' },
      { path: `services/api/specs/${h('0')}.json`, kind: 'spec' },
      { path: `verifications/api/1/${h('a')}.json`, kind: 'verification' },
      { path: `verifications/api/2/${h('b')}.json`, kind: 'verification' },
    ]);
  });

  it('removes drafts proposed from a removed version, never approved fixtures', () => {
    const plan = planPrune(
      input({
        versions: [version('api', '1', OLD), version('api', '2', NEW)],
        fixtures: [
          draft('d1', 'api', '1'),
          draft('d2', 'api', '2'),
          draft('a1', 'api', '1', 'approved'),
          draft('r1', 'api', '1', 'rejected'),
        ],
      }),
    );
    expect(plan.files.filter((f) => f.kind === 'fixture-draft').map((f) => f.path)).toEqual([
      'fixtures/api/getThing/d1.json',
    ]);
  });
});
