/**
 * Which consumer contracts a provider verifies: by default the latest contract
 * of each consumer's main branches plus every consumer version deployed in
 * any environment; an environment narrows to what is deployed there; a
 * consumer (or consumer@version) narrows further. Contracts are
 * content-addressed, so consumer versions with identical contracts share one
 * target and are verified once.
 */
import { InputError } from '../errors.js';
import { BranchRecord, ContractRecord, DeploymentRecord, VersionRecord } from '../model/records.js';
import { layout } from '../store/layout.js';
import type { Snapshot } from '../store/snapshot.js';
import { compareText } from '../util/compare-text.js';

export interface ConsumerSelector {
  consumer: string;
  /** Exactly this consumer version, whether it is on a main branch or deployed or not. */
  version?: string;
}

export interface SelectOptions {
  provider: string;
  /** Only consumer versions deployed in this environment. */
  environment?: string;
  /** Only these consumers (all of them when empty or absent). */
  consumers?: ConsumerSelector[];
  /** Branches whose latest contracts are verified (the repository policy's mainBranches). */
  mainBranches: string[];
  /**
   * Also the latest contract of every other consumer branch updated at or
   * after this time (ISO 8601): work in progress, verified as pending.
   */
  includeWipSince?: string;
}

/** Why a consumer version's contract was selected. */
export type SelectionReason =
  | { kind: 'branch'; branch: string }
  | { kind: 'deployed'; environment: string }
  | { kind: 'wip'; branch: string }
  | { kind: 'requested' };

export interface SelectedVersion {
  version: string;
  reasons: SelectionReason[];
}

/** One contract content to verify, with every consumer version that has it. */
export interface ContractTarget {
  consumer: string;
  hash: string;
  contract: ContractRecord;
  versions: SelectedVersion[];
}

export async function selectContracts(snapshot: Snapshot, options: SelectOptions): Promise<ContractTarget[]> {
  const { provider } = options;
  const known = (await snapshot.list(layout.contractsOf(provider)))
    .filter((entry) => entry.type === 'tree')
    .map((entry) => entry.name);
  const requested = options.consumers?.length ? options.consumers : undefined;
  for (const selector of requested ?? []) {
    if (!known.includes(selector.consumer)) {
      throw new InputError(
        'input.consumer-unknown',
        `--consumer: ${selector.consumer} has no contract with ${provider} in the contracts repository`,
        {
          details: [
            {
              where: '--consumer',
              message: known.length ? `consumers of ${provider}: ${known.join(', ')}` : 'no consumer has one',
            },
          ],
        },
      );
    }
  }
  const consumers = requested ? [...new Set(requested.map((s) => s.consumer))] : known;
  const environments = options.environment
    ? [options.environment]
    : (await snapshot.list(layout.environmentsDir()))
        .filter((entry) => entry.type === 'tree')
        .map((entry) => entry.name);

  const chosen = new Map<string, { consumer: string; version: string; reasons: SelectionReason[] }>();
  const choose = (consumer: string, version: string, reason: SelectionReason) => {
    const key = `${consumer}@${version}`;
    const entry = chosen.get(key) ?? { consumer, version, reasons: [] };
    entry.reasons.push(reason);
    chosen.set(key, entry);
  };

  // Every consumer's records are read at once: a partial clone fetches what they lack together, not per consumer.
  const choices = await Promise.all(
    consumers.map(async (consumer) => {
      const found: [string, SelectionReason][] = [];
      const exact = (requested ?? []).filter((s) => s.consumer === consumer && s.version !== undefined);
      if (exact.length > 0) {
        for (const selector of exact) found.push([selector.version!, { kind: 'requested' }]);
        return found;
      }
      if (!options.environment) {
        const pointers = await snapshot.readRecords(
          BranchRecord,
          options.mainBranches.map((branch) => layout.branch(consumer, branch)),
        );
        for (const pointer of pointers.values())
          found.push([pointer.latestVersion, { kind: 'branch', branch: pointer.branch }]);
        if (options.includeWipSince !== undefined) {
          const since = Date.parse(options.includeWipSince);
          const others = (await snapshot.list(layout.branchesDir(consumer)))
            .filter((entry) => entry.type === 'blob' && entry.name.endsWith('.json'))
            .map((entry) => `${layout.branchesDir(consumer)}/${entry.name}`);
          for (const pointer of (await snapshot.readRecords(BranchRecord, others)).values()) {
            if (options.mainBranches.includes(pointer.branch) || Date.parse(pointer.updatedAt) < since)
              continue;
            found.push([pointer.latestVersion, { kind: 'wip', branch: pointer.branch }]);
          }
        }
      }
      const deployments = await snapshot.readRecords(
        DeploymentRecord,
        environments.map((environment) => layout.deployment(environment, consumer)),
      );
      for (const deployment of deployments.values())
        for (const deployed of deployment.deployed)
          found.push([deployed.version, { kind: 'deployed', environment: deployment.environment }]);
      return found;
    }),
  );
  consumers.forEach((consumer, index) => {
    for (const [version, reason] of choices[index]!) choose(consumer, version, reason);
  });

  const versions = await snapshot.readRecords(
    VersionRecord,
    [...chosen.values()].map((c) => layout.version(c.consumer, c.version)),
  );
  const targets = new Map<string, Omit<ContractTarget, 'contract'>>();
  for (const choice of chosen.values()) {
    const hash = versions.get(layout.version(choice.consumer, choice.version))?.contracts?.[provider]?.hash;
    if (!hash) {
      if (choice.reasons.some((r) => r.kind === 'requested')) {
        throw new InputError(
          'input.contract-missing',
          `--consumer: ${choice.consumer}@${choice.version} has no contract with ${provider}`,
          { details: [{ where: '--consumer', message: 'record and publish its contract first' }] },
        );
      }
      continue;
    }
    const key = `${choice.consumer}/${hash}`;
    const target = targets.get(key) ?? { consumer: choice.consumer, hash, versions: [] };
    target.versions.push({ version: choice.version, reasons: choice.reasons });
    targets.set(key, target);
  }

  const contracts = await snapshot.readRecords(
    ContractRecord,
    [...targets.values()].map((t) => layout.contract(provider, t.consumer, t.hash)),
  );
  const out: ContractTarget[] = [];
  for (const target of targets.values()) {
    const path = layout.contract(provider, target.consumer, target.hash);
    const contract = contracts.get(path);
    if (!contract) {
      throw new InputError('input.contract-missing', `contracts repository file ${path} is missing`, {
        details: [
          { where: path, message: `referenced by ${target.versions.map((v) => v.version).join(', ')}` },
        ],
      });
    }
    out.push({ ...target, contract });
  }
  return out.sort((a, b) => compareText(a.consumer, b.consumer) || compareText(a.hash, b.hash));
}

/** `main`, `deployed in production`, `requested`. */
export function describeReason(reason: SelectionReason): string {
  switch (reason.kind) {
    case 'branch':
      return reason.branch;
    case 'deployed':
      return reason.environment;
    case 'requested':
      return 'requested';
    case 'wip':
      return `${reason.branch} (work in progress)`;
  }
}
