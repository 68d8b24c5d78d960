import { RepoPolicy } from '../model/records.js';
import { POLICY_FILE } from './layout.js';
import type { Snapshot } from './snapshot.js';

/** The branches whose latest versions count as current when the policy names none. */
export const DEFAULT_MAIN_BRANCHES: readonly string[] = ['main', 'master'];

/** The policy's main branches, or the default ones. */
export function mainBranchesOf(policy: RepoPolicy): readonly string[] {
  return policy.mainBranches ?? DEFAULT_MAIN_BRANCHES;
}

/** The contracts repository's `entente.yml`, or the defaults when it has none. */
export async function readPolicy(snapshot: Snapshot): Promise<RepoPolicy> {
  return (await snapshot.readRecord(RepoPolicy, POLICY_FILE)) ?? {};
}
