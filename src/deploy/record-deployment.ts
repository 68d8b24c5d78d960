import { InputError } from '../errors.js';
import { DeploymentRecord, VersionRecord } from '../model/records.js';
import { layout } from '../store/layout.js';
import { readPolicy } from '../store/policy.js';
import type { Snapshot } from '../store/snapshot.js';
import type { ContractsStore } from '../store/store.js';
import { didYouMean } from '../util/did-you-mean.js';
import {
  applyDeployment,
  applyUndeployment,
  type DeploymentChange,
  type UndeploymentChange,
} from './deployments.js';
import { checkEnvironmentKnown, checkServiceKnown, knownVersions } from './known-names.js';

export interface RecordDeploymentOptions {
  /** The environment may be new: its first deployment introduces it (unless entente.yml declares the list). */
  newEnvironment?: boolean;
  /** Record a version (or a service) the repository has no record of. */
  allowUnknownVersion?: boolean;
}

export interface RecordDeploymentResult {
  service: string;
  version: string;
  environment: string;
  replaced: string[];
  /** False when it was already recorded. */
  recorded: boolean;
  /** Whether the contracts repository knows this version (a spec or contracts were published for it). */
  versionKnown: boolean;
  commit: string | null;
  /** How many times the transaction ran: more than 1 when other writers pushed first. */
  attempts: number;
}

export async function recordDeployment(
  store: ContractsStore,
  change: DeploymentChange,
  options: RecordDeploymentOptions = {},
): Promise<RecordDeploymentResult> {
  const message = `entente: record-deployment ${change.service}@${change.version} to ${change.environment}`;
  const outcome = await store.transact(message, async ({ snapshot, changes }) => {
    await checkEnvironmentKnown(snapshot, await readPolicy(snapshot), change.environment, {
      allowNew: options.newEnvironment ?? false,
    });
    const path = layout.deployment(change.environment, change.service);
    const [existing, version] = await Promise.all([
      snapshot.readRecord(DeploymentRecord, path),
      snapshot.readRecord(VersionRecord, layout.version(change.service, change.version)),
    ]);
    if (!version && !options.allowUnknownVersion) await refuseUnknownVersion(snapshot, change);
    const result = applyDeployment(existing, change);
    if (result.changed) changes.writeRecord(DeploymentRecord, path, result.record);
    return { ...result, versionKnown: version !== undefined };
  });
  return {
    service: change.service,
    version: change.version,
    environment: change.environment,
    replaced: outcome.result.replaced,
    recorded: outcome.committed,
    versionKnown: outcome.result.versionKnown,
    commit: outcome.commit,
    attempts: outcome.attempts,
  };
}

export interface RecordUndeploymentResult {
  service: string;
  environment: string;
  removed: string[];
  recorded: boolean;
  commit: string | null;
}

export async function recordUndeployment(
  store: ContractsStore,
  change: UndeploymentChange,
): Promise<RecordUndeploymentResult> {
  const what = change.version ? `${change.service}@${change.version}` : change.service;
  const message = `entente: record-undeployment ${what} from ${change.environment}`;
  const outcome = await store.transact(message, async ({ snapshot, changes }) => {
    await checkEnvironmentKnown(snapshot, await readPolicy(snapshot), change.environment);
    const path = layout.deployment(change.environment, change.service);
    const result = applyUndeployment(await snapshot.readRecord(DeploymentRecord, path), change);
    if (result.changed) changes.writeRecord(DeploymentRecord, path, result.record);
    return result;
  });
  return {
    service: change.service,
    environment: change.environment,
    removed: outcome.result.removed,
    recorded: outcome.committed,
    commit: outcome.commit,
  };
}

/**
 * A deployment of a version the repository has no record of would replace
 * the real one and let partners be judged against nothing: refused (exit 3)
 * unless --allow-unknown-version, with the closest known versions.
 */
async function refuseUnknownVersion(snapshot: Snapshot, change: DeploymentChange): Promise<never> {
  const hint = 'pass --allow-unknown-version to record a deployment the repository has no record of';
  await checkServiceKnown(snapshot, change.service, { hint });
  const versions = await knownVersions(snapshot, change.service);
  throw new InputError(
    'input.version-unknown',
    `--version: ${change.service}@${change.version} is unknown to the contracts repository (no spec or contracts were published for it)${didYouMean(change.version, versions)}; publish its spec or contracts first, or ${hint}`,
    {
      details: [
        {
          where: '--version',
          message: `publish its spec or contracts first, or ${hint}`,
        },
      ],
    },
  );
}
