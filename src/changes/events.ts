/**
 * What a range of contracts-repository commits did, pure: each commit's
 * changed records (before and after) in, events out, in commit order, each
 * fact once. The shell (read.ts) reads the records; render.ts prints them.
 */
import type { DeploymentRecord, FixtureRecord, VerificationRecord, VersionRecord } from '../model/records.js';
import { compareText } from '../util/compare-text.js';

export type ChangeEvent =
  | {
      kind: 'contract-published';
      consumer: string;
      consumerVersion: string;
      branch?: string;
      provider: string;
      contract: string;
      /** New content: no provider version has verified it yet, so the provider has something to verify. */
      needsVerification: boolean;
    }
  | { kind: 'spec-published'; provider: string; version: string; branch?: string; spec: string }
  | {
      kind: 'verification-failed' | 'verification-recovered' | 'verification-passed';
      provider: string;
      providerVersion: string;
      consumer: string;
      contract: string;
      /** The first mismatch of a failed verification, as a sentence. */
      firstProblem?: string;
    }
  | { kind: 'deployed' | 'undeployed'; service: string; version: string; environment: string; at: string }
  | { kind: 'fixtures-waiting'; service: string; testRun?: string; count: number; operations: string[] };

export type ChangeKind = ChangeEvent['kind'];

/** Every kind, named and explained (docs/changes.md lists the same). */
export const changeKinds: Record<ChangeKind, { title: string; docs: string }> = {
  'contract-published': {
    title: 'contract published',
    docs: 'A consumer version now has a contract with a provider; with new content, the provider has something to verify.',
  },
  'spec-published': { title: 'spec published', docs: 'A provider version published its spec.' },
  'verification-failed': {
    title: 'verification failed',
    docs: 'A provider version failed a contract that passed before, or that had no result.',
  },
  'verification-recovered': {
    title: 'verification recovered',
    docs: 'A contract that failed its last verification passed.',
  },
  'verification-passed': { title: 'verification passed', docs: 'A contract passed its first verification.' },
  deployed: { title: 'deployed', docs: 'A deployment was recorded.' },
  undeployed: { title: 'undeployed', docs: 'An undeployment was recorded.' },
  'fixtures-waiting': {
    title: 'fixtures waiting',
    docs: 'Draft fixtures were proposed: they wait for approval (entente fixtures approve).',
  },
};

/** One changed record, as it was before the commit and after it (undefined: absent). */
export interface Changed<T> {
  path: string;
  before?: T;
  after?: T;
}

export interface CommitRecords {
  commit: string;
  committedAt: string;
  subject: string;
  versions: Changed<VersionRecord>[];
  /** Contract files the commit added. */
  newContracts: string[];
  verifications: (Changed<VerificationRecord> & {
    /** The latest earlier verification of the same contract by another provider version. */
    previous?: VerificationRecord;
  })[];
  deployments: Changed<DeploymentRecord>[];
  fixtures: Changed<FixtureRecord>[];
}

export interface CommitEvents {
  commit: string;
  committedAt: string;
  subject: string;
  events: ChangeEvent[];
}

/** A provider pipeline to trigger: its consumers' new contracts, as `entente verify --consumer` selectors. */
export interface Trigger {
  provider: string;
  selectors: { consumer: string; version: string }[];
  command: string;
}

export function commitEvents(records: CommitRecords): CommitEvents {
  const events: ChangeEvent[] = [];
  const newContracts = new Set(records.newContracts);
  for (const { after, before } of records.versions) {
    if (!after) continue;
    if (after.spec && after.spec.hash !== before?.spec?.hash) {
      events.push({
        kind: 'spec-published',
        provider: after.service,
        version: after.version,
        ...(after.branch ? { branch: after.branch } : {}),
        spec: after.spec.hash,
      });
    }
    for (const [provider, { hash }] of Object.entries(after.contracts ?? {}).sort(([a], [b]) =>
      compareText(a, b),
    )) {
      if (before?.contracts?.[provider]?.hash === hash) continue;
      events.push({
        kind: 'contract-published',
        consumer: after.service,
        consumerVersion: after.version,
        ...(after.branch ? { branch: after.branch } : {}),
        provider,
        contract: hash,
        needsVerification: newContracts.has(`contracts/${provider}/${after.service}/${hash}.json`),
      });
    }
  }
  for (const { after, before, previous } of records.verifications) {
    if (!after) continue;
    const earlier = before ?? previous;
    if (before && before.success === after.success) continue;
    const kind = after.success
      ? earlier && !earlier.success
        ? 'verification-recovered'
        : 'verification-passed'
      : 'verification-failed';
    const failed = after.interactions.find((i) => !i.success);
    const mismatch = failed?.mismatches[0];
    events.push({
      kind,
      provider: after.provider,
      providerVersion: after.providerVersion,
      consumer: after.consumer,
      contract: after.contract,
      ...(failed
        ? { firstProblem: `${failed.operation}: ${mismatch ? mismatch.message : (failed.error ?? 'failed')}` }
        : {}),
    });
  }
  for (const { after, before } of records.deployments) {
    if (!after) continue;
    for (const event of after.history.slice(before?.history.length ?? 0)) {
      events.push({
        kind: event.action === 'deploy' ? 'deployed' : 'undeployed',
        service: after.service,
        version: event.version,
        environment: after.environment,
        at: event.at,
      });
    }
  }
  const waiting = new Map<string, FixtureRecord[]>();
  for (const { after, before, path } of records.fixtures) {
    if (after?.status !== 'draft' || before?.status === 'draft') continue;
    const service = after.service ?? path.split('/')[1]!;
    const key = `${service}\u0000${after.createdFrom?.testRun ?? ''}`;
    waiting.set(key, [...(waiting.get(key) ?? []), { ...after, service }]);
  }
  for (const group of waiting.values()) {
    const testRun = group[0]!.createdFrom?.testRun;
    events.push({
      kind: 'fixtures-waiting',
      service: group[0]!.service!,
      ...(testRun ? { testRun } : {}),
      count: group.length,
      operations: [...new Set(group.map((f) => f.operation))].sort(),
    });
  }
  return { commit: records.commit, committedAt: records.committedAt, subject: records.subject, events };
}

/** The provider pipelines the range calls for: one per provider with new contracts no verification in the range answered. */
export function triggersOf(commits: readonly CommitEvents[]): Trigger[] {
  const byProvider = new Map<string, { consumer: string; version: string }[]>();
  const events = commits.flatMap((c) => c.events);
  const verifiedLater = (provider: string, contract: string, index: number) =>
    events
      .slice(index + 1)
      .some(
        (e) =>
          e.kind.startsWith('verification-') &&
          'contract' in e &&
          e.provider === provider &&
          e.contract === contract,
      );
  for (const [index, event] of events.entries()) {
    {
      if (event.kind !== 'contract-published' || !event.needsVerification) continue;
      // A verification later in the range already answered it.
      if (verifiedLater(event.provider, event.contract, index)) continue;
      const selectors = byProvider.get(event.provider) ?? [];
      if (!selectors.some((s) => s.consumer === event.consumer && s.version === event.consumerVersion))
        selectors.push({ consumer: event.consumer, version: event.consumerVersion });
      byProvider.set(event.provider, selectors);
    }
  }
  return [...byProvider]
    .sort(([a], [b]) => compareText(a, b))
    .map(([provider, selectors]) => ({
      provider,
      selectors,
      command: `entente verify --provider ${provider} ${selectors.map((s) => `--consumer ${s.consumer}@${s.version}`).join(' ')} --base-url <provider URL>`,
    }));
}
