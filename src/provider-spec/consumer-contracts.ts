/**
 * The consumer contracts a provider change has to respect: the contract
 * against the provider of every consumer version deployed in any
 * environment, and of each consumer's latest version on a main branch.
 */
import { BranchRecord, ContractRecord, DeploymentRecord, VersionRecord } from '../model/records.js';
import type { ConsumerContract } from '../openapi/diff/consumer-impact.js';
import { layout } from '../store/layout.js';
import { mainBranchesOf, readPolicy } from '../store/policy.js';
import type { Snapshot } from '../store/snapshot.js';
import { compareText } from '../util/compare-text.js';

export type { ConsumerContract };

/** Every contract against `provider` that a deployed or latest main-branch consumer version uses, by consumer then hash. */
export async function readConsumerContracts(
  snapshot: Snapshot,
  provider: string,
): Promise<ConsumerContract[]> {
  const consumers = (await snapshot.list(layout.contractsOf(provider)))
    .filter((entry) => entry.type === 'tree')
    .map((entry) => entry.name);
  if (consumers.length === 0) return [];
  const mainBranches = mainBranchesOf(await readPolicy(snapshot));
  const environments = (await snapshot.list(layout.environmentsDir()))
    .filter((entry) => entry.type === 'tree')
    .map((entry) => entry.name);

  /** consumer → version → reasons. */
  const wanted = new Map<string, Map<string, string[]>>();
  const want = (consumer: string, version: string, why: string) => {
    const versions = wanted.get(consumer) ?? new Map<string, string[]>();
    versions.set(version, [...(versions.get(version) ?? []), why]);
    wanted.set(consumer, versions);
  };

  const deployments = await snapshot.readRecords(
    DeploymentRecord,
    environments.flatMap((environment) =>
      consumers.map((consumer) => layout.deployment(environment, consumer)),
    ),
  );
  for (const record of deployments.values()) {
    for (const deployed of record.deployed)
      want(record.service, deployed.version, `deployed in ${record.environment}`);
  }
  const branches = await snapshot.readRecords(
    BranchRecord,
    consumers.flatMap((consumer) => mainBranches.map((branch) => layout.branch(consumer, branch))),
  );
  for (const consumer of consumers) {
    const latest = mainBranches
      .map((branch) => branches.get(layout.branch(consumer, branch)))
      .find((record) => record !== undefined);
    if (latest) want(consumer, latest.latestVersion, `latest on ${latest.branch}`);
  }

  const versionPaths = [...wanted].flatMap(([consumer, versions]) =>
    [...versions.keys()].map((version) => layout.version(consumer, version)),
  );
  const versionRecords = await snapshot.readRecords(VersionRecord, versionPaths);
  const byHash = new Map<string, Omit<ConsumerContract, 'contract'>>();
  for (const [consumer, versions] of wanted) {
    for (const [version, why] of versions) {
      const hash = versionRecords.get(layout.version(consumer, version))?.contracts?.[provider]?.hash;
      if (!hash) continue;
      const key = layout.contract(provider, consumer, hash);
      const entry = byHash.get(key) ?? { consumer, hash, versions: [] };
      entry.versions.push({ version, why });
      byHash.set(key, entry);
    }
  }
  const contracts = await snapshot.readRecords(ContractRecord, [...byHash.keys()]);
  const out: ConsumerContract[] = [];
  for (const [path, entry] of byHash) {
    const contract = contracts.get(path);
    if (contract) out.push({ ...entry, contract });
  }
  return out.sort((a, b) => compareText(a.consumer, b.consumer) || compareText(a.hash, b.hash));
}
