/**
 * `entente pending`: the contracts a provider's main branch has not verified
 * yet — the trigger a provider pipeline needs when a consumer publishes a new
 * contract. The contracts are the ones `verify` selects by default; "verified"
 * means the latest provider version on a main branch has a result for the
 * contract's content (passing or failing: it was verified).
 */
import { serviceName } from '../model/names.js';
import { BranchRecord } from '../model/records.js';
import { layout } from '../store/layout.js';
import { readPolicy } from '../store/policy.js';
import type { Snapshot } from '../store/snapshot.js';
import { type SelectedVersion, selectContracts } from './select.js';
import { DEFAULT_MAIN_BRANCHES } from './verify.js';

export interface PendingContract {
  consumer: string;
  contract: string;
  consumerVersions: SelectedVersion[];
  interactions: number;
}

export interface PendingReport {
  provider: string;
  /** The provider's latest version on a main branch; null when it has none yet (everything is pending). */
  providerVersion: string | null;
  branch: string | null;
  pending: PendingContract[];
  /** How many selected contracts that version has verified already. */
  verified: number;
}

export async function listPending(snapshot: Snapshot, providerName: string): Promise<PendingReport> {
  const provider = serviceName(providerName, '--provider');
  const mainBranches = (await readPolicy(snapshot)).mainBranches ?? DEFAULT_MAIN_BRANCHES;
  const pointers = await snapshot.readRecords(
    BranchRecord,
    mainBranches.map((branch) => layout.branch(provider, branch)),
  );
  const pointer = mainBranches
    .map((branch) => pointers.get(layout.branch(provider, branch)))
    .find((p) => p !== undefined);
  const targets = await selectContracts(snapshot, { provider, mainBranches });
  const results = pointer
    ? await snapshot.readMany(
        targets.map((t) => layout.verification(provider, pointer.latestVersion, t.hash)),
      )
    : new Map<string, string | undefined>();
  const pending = targets
    .filter(
      (t) =>
        !pointer || results.get(layout.verification(provider, pointer.latestVersion, t.hash)) === undefined,
    )
    .map((t) => ({
      consumer: t.consumer,
      contract: t.hash,
      consumerVersions: t.versions,
      interactions: t.contract.interactions.length,
    }));
  return {
    provider,
    providerVersion: pointer?.latestVersion ?? null,
    branch: pointer?.branch ?? null,
    pending,
    verified: targets.length - pending.length,
  };
}
