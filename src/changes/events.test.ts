import { describe, expect, it } from 'vitest';
import type { DeploymentRecord, VerificationRecord } from '../model/records.js';
import { type CommitRecords, commitEvents, triggersOf } from './events.js';

const H = 'a'.repeat(64);
const at = '2026-01-01T00:00:00.000Z';
const empty: CommitRecords = {
  commit: 'c1',
  committedAt: at,
  subject: 's',
  versions: [],
  newContracts: [],
  verifications: [],
  deployments: [],
  fixtures: [],
};
const verification = (success: boolean, providerVersion = '2.0.0'): VerificationRecord => ({
  provider: 'p',
  providerVersion,
  contract: H,
  consumer: 'c',
  verifiedAt: at,
  success,
  interactions: [{ id: H, operation: 'getThing', success, mismatches: [] }],
});

describe('commitEvents', () => {
  it('reports a re-run with the same result not at all, and a flip as failed or recovered', () => {
    const path = `verifications/p/2.0.0/${H}.json`;
    const same = commitEvents({
      ...empty,
      verifications: [{ path, before: verification(true), after: verification(true) }],
    });
    expect(same.events).toEqual([]);
    const broke = commitEvents({
      ...empty,
      verifications: [{ path, before: verification(true), after: verification(false) }],
    });
    expect(broke.events.map((e) => e.kind)).toEqual(['verification-failed']);
    const recovered = commitEvents({
      ...empty,
      verifications: [{ path, after: verification(true), previous: verification(false, '1.9.0') }],
    });
    expect(recovered.events.map((e) => e.kind)).toEqual(['verification-recovered']);
  });

  it('reports only the deployment history a commit added', () => {
    const before: DeploymentRecord = {
      service: 's',
      environment: 'production',
      deployed: [{ version: '1', deployedAt: at }],
      history: [{ action: 'deploy', version: '1', at }],
    };
    const after: DeploymentRecord = {
      ...before,
      deployed: [{ version: '2', deployedAt: at }],
      history: [
        ...before.history,
        { action: 'undeploy', version: '1', at },
        { action: 'deploy', version: '2', at },
      ],
    };
    const { events } = commitEvents({
      ...empty,
      deployments: [{ path: 'environments/production/s.json', before, after }],
    });
    expect(events).toEqual([
      { kind: 'undeployed', service: 's', version: '1', environment: 'production', at },
      { kind: 'deployed', service: 's', version: '2', environment: 'production', at },
    ]);
  });

  it('triggers a provider once per consumer version, and not when the range already verified the contract', () => {
    const published = commitEvents({
      ...empty,
      newContracts: [`contracts/p/c/${H}.json`],
      versions: [
        {
          path: 'services/c/versions/1.json',
          after: {
            service: 'c',
            version: '1',
            createdAt: at,
            contracts: { p: { hash: H, publishedAt: at } },
          },
        },
      ],
    });
    expect(triggersOf([published, published])).toEqual([
      {
        provider: 'p',
        selectors: [{ consumer: 'c', version: '1' }],
        command: 'entente verify --provider p --consumer c@1 --base-url <provider URL>',
      },
    ]);
    const verified = commitEvents({
      ...empty,
      verifications: [{ path: `verifications/p/2.0.0/${H}.json`, after: verification(false) }],
    });
    expect(triggersOf([published, verified])).toEqual([]);
  });
});
