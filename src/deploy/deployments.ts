import type { DeploymentRecord } from '../model/records.js';

export interface DeploymentChange {
  service: string;
  environment: string;
  version: string;
  at: string;
  by?: string;
  /** Keep other versions deployed (services that run several versions at once). */
  keepOthers?: boolean;
}

export interface DeploymentOutcome {
  record: DeploymentRecord;
  /** Versions no longer deployed because of this change. */
  replaced: string[];
  /** False when the version was already deployed there: nothing to record. */
  changed: boolean;
}

function emptyRecord(service: string, environment: string): DeploymentRecord {
  return { service, environment, deployed: [], history: [] };
}

/** Pure: the deployment record after `version` is deployed. */
export function applyDeployment(
  existing: DeploymentRecord | undefined,
  change: DeploymentChange,
): DeploymentOutcome {
  const record = existing ?? emptyRecord(change.service, change.environment);
  const alreadyThere = record.deployed.some((d) => d.version === change.version);
  const replaced = change.keepOthers
    ? []
    : record.deployed.map((d) => d.version).filter((v) => v !== change.version);
  if (alreadyThere && replaced.length === 0) return { record, replaced: [], changed: false };
  const by = change.by ? { by: change.by } : {};
  const kept = change.keepOthers ? record.deployed.filter((d) => d.version !== change.version) : [];
  const current = alreadyThere ? record.deployed.find((d) => d.version === change.version)! : undefined;
  return {
    record: {
      ...record,
      deployed: [
        ...kept,
        current ?? {
          version: change.version,
          deployedAt: change.at,
          ...(change.by ? { deployedBy: change.by } : {}),
        },
      ],
      history: [
        ...record.history,
        {
          action: 'deploy',
          version: change.version,
          at: change.at,
          ...by,
          ...(replaced.length ? { replaced } : {}),
        },
      ],
    },
    replaced,
    changed: true,
  };
}

export interface UndeploymentChange {
  service: string;
  environment: string;
  /** Absent: every version deployed there. */
  version?: string;
  at: string;
  by?: string;
}

/** Pure: the deployment record after `version` (or every version) is taken out. */
export function applyUndeployment(
  existing: DeploymentRecord | undefined,
  change: UndeploymentChange,
): { record: DeploymentRecord; removed: string[]; changed: boolean } {
  const record = existing ?? emptyRecord(change.service, change.environment);
  const removed = record.deployed
    .map((d) => d.version)
    .filter((v) => change.version === undefined || v === change.version);
  if (removed.length === 0) return { record, removed, changed: false };
  const by = change.by ? { by: change.by } : {};
  return {
    record: {
      ...record,
      deployed: record.deployed.filter((d) => !removed.includes(d.version)),
      history: [
        ...record.history,
        ...removed.map((version) => ({ action: 'undeploy' as const, version, at: change.at, ...by })),
      ],
    },
    removed,
    changed: true,
  };
}
