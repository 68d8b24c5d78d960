/**
 * The compatibility matrix of `entente status`: per environment, consumer
 * versions × provider versions with their verification and static results
 * and the verdict can-i-deploy would give the pair (the same core). To stay
 * fast it considers only the versions in play: those deployed in the
 * environment and each service's latest version on a main branch.
 */
import { checkPairStatically, readContracts, readSpecs } from '../deploy/static-evidence.js';
import {
  assessFromEvidence,
  DEFAULT_COMPATIBILITY,
  type Evidence,
  judgePair,
  type Pair,
  type StaticOutcome,
  type Verdict,
  type VerificationOutcome,
  verificationKey,
} from '../deploy/verdict.js';
import { BranchRecord, DeploymentRecord, VerificationRecord, VersionRecord } from '../model/records.js';
import { layout } from '../store/layout.js';
import { readPolicy } from '../store/policy.js';
import type { Snapshot } from '../store/snapshot.js';
import { compareText } from '../util/compare-text.js';

export interface MatrixVersion {
  service: string;
  version: string;
  deployed: boolean;
  latestOnMain: boolean;
}

export interface MatrixCell {
  consumer: string;
  consumerVersion: string;
  provider: string;
  providerVersion: string;
  contract: string;
  verification: VerificationOutcome;
  static: StaticOutcome;
  /** What can-i-deploy would say about this pair under the repository's policy. */
  verdict: Verdict;
  reason: string;
}

export interface EnvironmentMatrix {
  environment: string;
  versions: MatrixVersion[];
  cells: MatrixCell[];
}

const DEFAULT_MAIN_BRANCHES = ['main', 'master'];

/** The matrix of every environment, or of one. */
export async function readMatrix(
  snapshot: Snapshot,
  options: { environment?: string } = {},
): Promise<EnvironmentMatrix[]> {
  const [policy, serviceEntries, environmentEntries] = await Promise.all([
    readPolicy(snapshot),
    snapshot.list(layout.servicesDir()),
    options.environment ? Promise.resolve([]) : snapshot.list(layout.environmentsDir()),
  ]);
  const environments = options.environment
    ? [options.environment]
    : environmentEntries.filter((e) => e.type === 'tree').map((e) => e.name);
  const services = serviceEntries.filter((e) => e.type === 'tree').map((e) => e.name);
  const mainBranches = policy.mainBranches ?? DEFAULT_MAIN_BRANCHES;

  const [branchRecords, deploymentLists] = await Promise.all([
    snapshot.readRecords(
      BranchRecord,
      services.flatMap((s) => mainBranches.map((b) => layout.branch(s, b))),
    ),
    Promise.all(environments.map((e) => snapshot.list(layout.environmentDir(e)))),
  ]);
  const latestOnMain = new Map<string, string>();
  for (const service of services) {
    const pointer = mainBranches
      .map((b) => branchRecords.get(layout.branch(service, b)))
      .find((r) => r !== undefined);
    if (pointer) latestOnMain.set(service, pointer.latestVersion);
  }
  const deployments = await snapshot.readRecords(
    DeploymentRecord,
    deploymentLists
      .flat()
      .filter((e) => e.type === 'blob' && e.name.endsWith('.json'))
      .map((e) => e.path),
  );

  const inPlay = new Map<string, MatrixVersion[]>();
  for (const environment of environments) {
    const versions = new Map<string, MatrixVersion>();
    const add = (service: string, version: string, flag: 'deployed' | 'latestOnMain') => {
      const key = `${service}@${version}`;
      const entry = versions.get(key) ?? { service, version, deployed: false, latestOnMain: false };
      entry[flag] = true;
      versions.set(key, entry);
    };
    for (const record of deployments.values()) {
      if (record.environment !== environment) continue;
      for (const d of record.deployed) add(record.service, d.version, 'deployed');
    }
    for (const [service, version] of latestOnMain) add(service, version, 'latestOnMain');
    inPlay.set(environment, [...versions.values()]);
  }

  const versionRecords = await snapshot.readRecords(VersionRecord, [
    ...new Set([...inPlay.values()].flat().map((v) => layout.version(v.service, v.version))),
  ]);
  const pairsByEnvironment = new Map<string, (Pair & { providerVersion: string })[]>();
  for (const [environment, versions] of inPlay) {
    const providerVersions = new Map<string, string[]>();
    for (const v of versions)
      providerVersions.set(v.service, [...(providerVersions.get(v.service) ?? []), v.version]);
    const pairs: (Pair & { providerVersion: string })[] = [];
    for (const consumer of versions) {
      const contracts =
        versionRecords.get(layout.version(consumer.service, consumer.version))?.contracts ?? {};
      for (const [provider, { hash }] of Object.entries(contracts)) {
        for (const providerVersion of providerVersions.get(provider) ?? []) {
          pairs.push({
            direction: 'as-consumer',
            consumer: consumer.service,
            consumerVersion: consumer.version,
            provider,
            providerVersion,
            contract: hash,
          });
        }
      }
    }
    pairsByEnvironment.set(environment, pairs);
  }

  const allPairs = [...pairsByEnvironment.values()].flat();
  const [verifications, contracts, specs] = await Promise.all([
    snapshot.readRecords(VerificationRecord, [
      ...new Set(allPairs.map((p) => layout.verification(p.provider, p.providerVersion, p.contract))),
    ]),
    readContracts(snapshot, allPairs),
    readSpecs(
      snapshot,
      allPairs.map((p) => ({ provider: p.provider, version: p.providerVersion })),
    ),
  ]);
  const evidence: Evidence = {
    verifications: new Map(
      [...verifications.values()].map((v) => [verificationKey(v.provider, v.providerVersion, v.contract), v]),
    ),
    contracts,
    specs,
  };
  const compatibility = policy.compatibility ?? DEFAULT_COMPATIBILITY;

  return environments.sort().map((environment) => ({
    environment,
    versions: inPlay
      .get(environment)!
      .sort((a, b) => compareText(a.service, b.service) || compareText(a.version, b.version)),
    cells: pairsByEnvironment
      .get(environment)!
      .map((pair): MatrixCell => {
        const assessment = assessFromEvidence(pair, evidence, () => true, checkPairStatically);
        return {
          consumer: pair.consumer,
          consumerVersion: pair.consumerVersion,
          provider: pair.provider,
          providerVersion: pair.providerVersion,
          contract: pair.contract,
          verification: assessment.verification,
          static: assessment.static,
          ...judgePair(pair, assessment, compatibility, environment),
        };
      })
      .sort(
        (a, b) =>
          compareText(a.consumer, b.consumer) ||
          compareText(a.consumerVersion, b.consumerVersion) ||
          compareText(a.provider, b.provider) ||
          compareText(a.providerVersion, b.providerVersion),
      ),
  }));
}
