/**
 * A typo cannot open the gate: the environments and services a command names
 * must be ones the contracts repository knows. An environment is known when
 * `entente.yml` declares it or a deployment was ever recorded there; a
 * service when a version, spec or contract was published for it, or a
 * deployment recorded. Anything else is bad input with the known names and a
 * "did you mean".
 */
import { InputError } from '../errors.js';
import { namePatterns } from '../model/names.js';
import type { RepoPolicy } from '../model/records.js';
import { layout, POLICY_FILE } from '../store/layout.js';
import type { Snapshot } from '../store/snapshot.js';
import { didYouMean } from '../util/did-you-mean.js';

/** Folder names under `dir` that entente could have written (valid names only). */
async function namedFolders(snapshot: Snapshot, dir: string, pattern: RegExp): Promise<string[]> {
  return (await snapshot.list(dir))
    .filter((e) => e.type === 'tree' && pattern.test(e.name))
    .map((e) => e.name);
}

/** Whether `dir` holds a `<service>.json` record file. */
async function holdsRecord(snapshot: Snapshot, dir: string): Promise<boolean> {
  return (await snapshot.list(dir)).some(
    (e) => e.type === 'blob' && e.name.endsWith('.json') && namePatterns.service.test(e.name.slice(0, -5)),
  );
}

/** The environments the repository knows: the declared ones when `entente.yml` lists them, else those with a recorded deployment. */
export async function knownEnvironments(
  snapshot: Snapshot,
  policy: RepoPolicy,
): Promise<{ declared: boolean; names: string[] }> {
  if (policy.environments) return { declared: true, names: [...policy.environments] };
  return {
    declared: false,
    names: await namedFolders(snapshot, layout.environmentsDir(), namePatterns.environment),
  };
}

/**
 * Refuses an environment the repository does not know (exit 3). `allowNew`
 * (record-deployment --new-environment) lets a first deployment introduce
 * one (concurrent first deployments to it may all pass it); when
 * `entente.yml` declares the list, the list decides.
 */
export async function checkEnvironmentKnown(
  snapshot: Snapshot,
  policy: RepoPolicy,
  environment: string,
  options: { allowNew?: boolean; flag?: string } = {},
): Promise<void> {
  const flag = options.flag ?? '--environment';
  if (policy.environments) {
    if (policy.environments.includes(environment)) return;
    const declared = policy.environments.join(', ') || 'none';
    throw new InputError(
      'input.environment-unknown',
      `${flag}: environment ${JSON.stringify(environment)} is not declared in the contracts repository's ${POLICY_FILE} (declared: ${declared})${didYouMean(environment, policy.environments)}`,
      {
        details: [
          {
            where: flag,
            message: `expected one of ${declared}; a new environment is added to the environments of ${POLICY_FILE}`,
          },
        ],
      },
    );
  }
  if (options.allowNew || (await holdsRecord(snapshot, layout.environmentDir(environment)))) return;
  const { names } = await knownEnvironments(snapshot, policy);
  const known = names.join(', ') || 'none yet';
  throw new InputError(
    'input.environment-unknown',
    `${flag}: environment ${JSON.stringify(environment)} is unknown to the contracts repository: no deployment was ever recorded there and ${POLICY_FILE} declares no environments (known: ${known})${didYouMean(environment, names)}; a first deployment introduces one with record-deployment --new-environment`,
    {
      details: [
        {
          where: flag,
          message: `${names.length ? `expected one of ${known}` : 'no environment is known yet'}; introduce a new environment with record-deployment --new-environment, or declare it in ${POLICY_FILE}`,
        },
      ],
    },
  );
}

/** Services the repository has heard of: published versions, specs or contracts. */
async function publishedServices(snapshot: Snapshot): Promise<string[]> {
  const [services, providers] = await Promise.all([
    namedFolders(snapshot, layout.servicesDir(), namePatterns.service),
    namedFolders(snapshot, 'contracts', namePatterns.service),
  ]);
  return [...new Set([...services, ...providers])].sort();
}

/** Services with a deployment record in any environment (deployed with --allow-unknown-version, for instance). */
async function deployedServices(snapshot: Snapshot): Promise<string[]> {
  const environments = await namedFolders(snapshot, layout.environmentsDir(), namePatterns.environment);
  const listings = await Promise.all(environments.map((e) => snapshot.list(layout.environmentDir(e))));
  return listings
    .flat()
    .filter((e) => e.type === 'blob' && e.name.endsWith('.json'))
    .map((e) => e.name.slice(0, -5))
    .filter((name) => namePatterns.service.test(name));
}

/** Whether the repository has heard of `service`. */
export async function isServiceKnown(snapshot: Snapshot, service: string): Promise<boolean> {
  if ((await snapshot.list(layout.serviceDir(service))).length > 0) return true;
  if ((await snapshot.list(layout.contractsOf(service))).length > 0) return true;
  return (await deployedServices(snapshot)).includes(service);
}

/** Refuses a service the repository has never heard of (exit 3), with the closest known names. */
export async function checkServiceKnown(
  snapshot: Snapshot,
  service: string,
  options: { flag?: string; hint?: string } = {},
): Promise<void> {
  if (await isServiceKnown(snapshot, service)) return;
  const flag = options.flag ?? '--service';
  const known = [
    ...new Set([...(await publishedServices(snapshot)), ...(await deployedServices(snapshot))]),
  ].sort();
  const hint = options.hint ? `; ${options.hint}` : '';
  throw new InputError(
    'input.service-unknown',
    `${flag}: service ${JSON.stringify(service)} is unknown to the contracts repository: no spec, contract, version or deployment was ever recorded for it${didYouMean(service, known)}; known services: ${known.join(', ') || 'none yet'}${hint}`,
    {
      details: [
        {
          where: flag,
          message: known.length ? `expected one of ${known.join(', ')}` : 'no service is known yet',
        },
      ],
    },
  );
}

/** The versions of `service` the repository has records of (for suggestions). */
export async function knownVersions(snapshot: Snapshot, service: string): Promise<string[]> {
  return (await snapshot.list(layout.versionsDir(service)))
    .filter((e) => e.type === 'blob' && e.name.endsWith('.json'))
    .map((e) => e.name.slice(0, -5))
    .filter((name) => namePatterns.version.test(name));
}
