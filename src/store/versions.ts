import { BranchRecord, VersionRecord } from '../model/records.js';
import { layout } from './layout.js';
import type { TransactionContext } from './store.js';

export interface VersionIdentity {
  service: string;
  version: string;
  branch?: string;
  commit?: string;
}

/**
 * Reads a version record (or starts one), lets `update` change it, and writes
 * it back with the branch pointer when anything changed. Returns the record.
 */
export async function updateVersion(
  { snapshot, changes }: TransactionContext,
  identity: VersionIdentity,
  now: string,
  update: (record: VersionRecord) => VersionRecord,
): Promise<{ before?: VersionRecord; after: VersionRecord }> {
  const path = layout.version(identity.service, identity.version);
  const before = await snapshot.readRecord(VersionRecord, path);
  const base: VersionRecord = before ?? {
    service: identity.service,
    version: identity.version,
    ...(identity.branch ? { branch: identity.branch } : {}),
    ...(identity.commit ? { commit: identity.commit } : {}),
    createdAt: now,
  };
  const after = update(base);
  if (JSON.stringify(after) !== JSON.stringify(before)) {
    changes.writeRecord(VersionRecord, path, after);
    const branch = after.branch;
    if (branch) {
      changes.writeRecord(BranchRecord, layout.branch(identity.service, branch), {
        service: identity.service,
        branch,
        latestVersion: identity.version,
        updatedAt: now,
      });
    }
  }
  return { ...(before ? { before } : {}), after };
}
