/**
 * Pending contracts, as Pact users rely on them: a consumer contract that no
 * version of the provider has ever verified successfully does not fail the
 * provider's verification (its failed result is still recorded, so the
 * consumer's can-i-deploy says no). Once one provider version has verified it
 * successfully, it is held like any other.
 */
import { VerificationRecord } from '../model/records.js';
import { layout } from '../store/layout.js';
import type { Snapshot } from '../store/snapshot.js';

/**
 * The contract hashes, among `hashes`, that no version of `provider` has a
 * successful verification of. Reads one result file per provider version and
 * contract (content-addressed results make that a direct lookup).
 */
export async function pendingContracts(
  snapshot: Snapshot,
  provider: string,
  hashes: readonly string[],
): Promise<Set<string>> {
  const pending = new Set(hashes);
  if (pending.size === 0) return pending;
  const versions = (await snapshot.list(layout.verificationsDir(provider)))
    .filter((entry) => entry.type === 'tree')
    .map((entry) => entry.name);
  const hashOf = new Map(
    versions.flatMap((version) => hashes.map((hash) => [layout.verification(provider, version, hash), hash])),
  );
  const records = await snapshot.readRecords(VerificationRecord, [...hashOf.keys()]);
  // A result counts for the contract its path names, and only when the record agrees.
  for (const [path, record] of records)
    if (record.success && record.contract === hashOf.get(path)) pending.delete(record.contract);
  return pending;
}
