import { InputError } from '../errors.js';
import { RepoPolicy } from '../model/records.js';
import { POLICY_FILE } from './layout.js';
import type { Snapshot } from './snapshot.js';

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
