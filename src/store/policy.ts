import { InputError } from '../errors.js';
import { RepoPolicy } from '../model/records.js';
import { POLICY_FILE } from './layout.js';
import { parseRecord, type Snapshot } from './snapshot.js';
import type { ContractsStore } from './store.js';

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

export interface PolicyWriteResult {
  policy: RepoPolicy;
  /** The commit that holds it; null when the repository already had exactly this policy. */
  commit: string | null;
}

/**
 * Sets up a contracts repository: commits its `entente.yml` (the policy: the
 * environments it knows, what makes a pair compatible). An existing policy is
 * only replaced with `force`.
 */
export async function writePolicy(
  store: ContractsStore,
  policy: RepoPolicy,
  options: { force?: boolean } = {},
): Promise<PolicyWriteResult> {
  const checked = await parseRecord(RepoPolicy, JSON.stringify(policy), POLICY_FILE);
  // Loaded here, not at the top: every command reading the policy would otherwise load the YAML library.
  const { stringify } = await import('yaml');
  const text = [
    '# The contracts repository policy: see docs/contracts-repo.md.',
    '# environments: the only names record-deployment and can-i-deploy accept.',
    '# compatibility: what makes a consumer/provider pair compatible (verified, static, verified-or-static).',
    stringify(checked),
  ].join('\n');
  const outcome = await store.transact(
    `Set up the contracts repository (${POLICY_FILE})`,
    async ({ snapshot, changes }) => {
      const existing = await snapshot.read(POLICY_FILE);
      if (existing !== undefined && existing !== text && !options.force) {
        throw new InputError(
          'input.policy-exists',
          `the contracts repository already has an ${POLICY_FILE}; pass --force to replace it`,
          { hint: `Its policy: ${JSON.stringify(await parseRecord(RepoPolicy, existing, POLICY_FILE))}` },
        );
      }
      if (existing !== text) changes.write(POLICY_FILE, text);
    },
  );
  return { policy: checked, commit: outcome.committed ? outcome.commit : null };
}
