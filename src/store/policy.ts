import { InputError } from '../errors.js';
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

/** When the repository declares its environments, any other name is refused. */
export function checkEnvironmentDeclared(
  policy: RepoPolicy,
  environment: string,
  flag = '--environment',
): void {
  if (!policy.environments || policy.environments.includes(environment)) return;
  throw new InputError(
    'input.environment-unknown',
    `${flag}: environment ${JSON.stringify(environment)} is not declared in the contracts repository's ${POLICY_FILE} (declared: ${policy.environments.join(', ') || 'none'})`,
    { details: [{ where: flag, message: `expected one of ${policy.environments.join(', ')}` }] },
  );
}
