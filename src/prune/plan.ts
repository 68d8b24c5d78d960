/**
 * What `entente prune` removes, decided from data alone. A version goes when
 * it is deployed nowhere, is not the latest version of a main branch, and was
 * created before the cutoff; with it go what only it needed: its contracts,
 * its verifications (as a provider) and those of its contracts, its specs,
 * fixture drafts proposed from it, and branch records that point at it.
 * Everything a kept version's verdict reads stays (docs/contracts-repo.md).
 */
import type { BranchRecord, DeploymentRecord, FixtureRecord, VersionRecord } from '../model/records.js';
import { compareText } from '../util/compare-text.js';

export interface PruneInput {
  /** Versions created before this moment may be removed. */
  cutoff: Date;
  mainBranches: readonly string[];
  versions: { path: string; service: string; version: string; record: VersionRecord }[];
  branches: { path: string; record: BranchRecord }[];
  deployments: DeploymentRecord[];
  contracts: { path: string; provider: string; consumer: string; hash: string }[];
  verifications: { path: string; provider: string; version: string; contract: string }[];
  specs: { path: string; service: string; hash: string }[];
  fixtures: { path: string; record: FixtureRecord }[];
}

export type PrunedFileKind = 'version' | 'branch' | 'contract' | 'verification' | 'spec' | 'fixture-draft';

export interface PrunedVersion {
  service: string;
  version: string;
  createdAt: string;
}

export interface PrunePlan {
  cutoff: string;
  /** Versions removed, by service then version. */
  versions: PrunedVersion[];
  /** Every file removed, sorted by path. */
  files: { path: string; kind: PrunedFileKind }[];
  /** How many versions stay, and why (a version can have several reasons; the first one counts). */
  kept: { deployed: number; latestOnMainBranch: number; recent: number };
}

const key = (service: string, version: string) => `${service}@${version}`;

export function planPrune(input: PruneInput): PrunePlan {
  const deployed = new Set(
    input.deployments.flatMap((d) => d.deployed.map((entry) => key(d.service, entry.version))),
  );
  const latestOnMain = new Set(
    input.branches
      .filter((b) => input.mainBranches.includes(b.record.branch))
      .map((b) => key(b.record.service, b.record.latestVersion)),
  );
  const kept = { deployed: 0, latestOnMainBranch: 0, recent: 0 };
  const pruned = new Map<string, (typeof input.versions)[number]>();
  for (const entry of input.versions) {
    const id = key(entry.service, entry.version);
    if (deployed.has(id)) kept.deployed++;
    else if (latestOnMain.has(id)) kept.latestOnMainBranch++;
    else if (!(Date.parse(entry.record.createdAt) < input.cutoff.getTime())) kept.recent++;
    else pruned.set(id, entry);
  }

  const stays = input.versions.filter((v) => !pruned.has(key(v.service, v.version)));
  const keptContracts = new Set(
    stays.flatMap((v) => Object.entries(v.record.contracts ?? {}).map(([p, c]) => `${p}/${c.hash}`)),
  );
  const keptSpecs = new Set(
    stays.flatMap((v) => (v.record.spec ? [`${v.service}/${v.record.spec.hash}`] : [])),
  );
  const prunedContracts = new Set(
    [...pruned.values()].flatMap((v) =>
      Object.entries(v.record.contracts ?? {})
        .map(([provider, c]) => `${provider}/${c.hash}`)
        .filter((id) => !keptContracts.has(id)),
    ),
  );
  const prunedSpecs = new Set(
    [...pruned.values()].flatMap((v) =>
      v.record.spec && !keptSpecs.has(`${v.service}/${v.record.spec.hash}`)
        ? [`${v.service}/${v.record.spec.hash}`]
        : [],
    ),
  );

  const files: PrunePlan['files'] = [
    ...[...pruned.values()].map((v) => ({ path: v.path, kind: 'version' as const })),
    ...input.branches
      .filter((b) => pruned.has(key(b.record.service, b.record.latestVersion)))
      .map((b) => ({ path: b.path, kind: 'branch' as const })),
    ...input.contracts
      .filter((c) => prunedContracts.has(`${c.provider}/${c.hash}`))
      .map((c) => ({ path: c.path, kind: 'contract' as const })),
    ...input.verifications
      .filter(
        (v) => pruned.has(key(v.provider, v.version)) || prunedContracts.has(`${v.provider}/${v.contract}`),
      )
      .map((v) => ({ path: v.path, kind: 'verification' as const })),
    ...input.specs
      .filter((s) => prunedSpecs.has(`${s.service}/${s.hash}`))
      .map((s) => ({ path: s.path, kind: 'spec' as const })),
    ...input.fixtures
      .filter(
        ({ record }) =>
          record.status === 'draft' &&
          record.service !== undefined &&
          record.serviceVersion !== undefined &&
          pruned.has(key(record.service, record.serviceVersion)),
      )
      .map((f) => ({ path: f.path, kind: 'fixture-draft' as const })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  return {
    cutoff: input.cutoff.toISOString(),
    versions: [...pruned.values()]
      .map((v) => ({ service: v.service, version: v.version, createdAt: v.record.createdAt }))
      .sort((a, b) => compareText(key(a.service, a.version), key(b.service, b.version))),
    files,
    kept,
  };
}
