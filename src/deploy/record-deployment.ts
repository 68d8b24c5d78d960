import { DeploymentRecord, VersionRecord } from '../model/records.js';
import { layout } from '../store/layout.js';
import { checkEnvironmentDeclared, readPolicy } from '../store/policy.js';
import type { ContractsStore } from '../store/store.js';
import {
  applyDeployment,
  applyUndeployment,
  type DeploymentChange,
  type UndeploymentChange,
} from './deployments.js';

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
): Promise<RecordDeploymentResult> {
  const message = `entente: record-deployment ${change.service}@${change.version} to ${change.environment}`;
  const outcome = await store.transact(message, async ({ snapshot, changes }) => {
    checkEnvironmentDeclared(await readPolicy(snapshot), change.environment);
    const path = layout.deployment(change.environment, change.service);
    const [existing, version] = await Promise.all([
      snapshot.readRecord(DeploymentRecord, path),
      snapshot.readRecord(VersionRecord, layout.version(change.service, change.version)),
    ]);
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
    checkEnvironmentDeclared(await readPolicy(snapshot), change.environment);
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
