/**
 * What a static check needs beyond the verifications: the contracts and the
 * provider versions' specs of the pairs it decides, and the check itself
 * (src/contract/static-check.ts, with the spec's own request validator). In a
 * module of its own, loaded by can-i-deploy only when some pair needs it.
 */
import { checkContractStatically, isStaticallyCompatible } from '../contract/static-check.js';
import { RecordError } from '../errors.js';
import { ContractRecord, VersionRecord } from '../model/records.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { readSpecDocument } from '../provider-spec/read.js';
import { layout } from '../store/layout.js';
import type { Snapshot } from '../store/snapshot.js';
import { specRequestValidator } from './request-validation.js';
import { type Pair, type StaticCheck, specKey } from './verdict.js';

/** The static check of a contract against a provider version's spec. */
export const checkPairStatically: StaticCheck = (contract, spec) => {
  const findings = checkContractStatically(contract, spec, { validateRequest: specRequestValidator(spec) });
  return { findings, compatible: isStaticallyCompatible(findings) };
};

/** The contracts of `pairs`, by hash; a contract a version record names must exist. */
export async function readContracts(
  snapshot: Snapshot,
  pairs: readonly Pair[],
): Promise<Map<string, ContractRecord>> {
  const paths = new Map(pairs.map((p) => [layout.contract(p.provider, p.consumer, p.contract), p]));
  const records = await snapshot.readRecords(ContractRecord, [...paths.keys()]);
  const contracts = new Map<string, ContractRecord>();
  for (const [path, pair] of paths) {
    const record = records.get(path);
    if (!record) {
      throw new RecordError(
        'record.missing',
        `contracts repository file ${path} is missing; ${layout.version(pair.consumer, pair.consumerVersion)} refers to it`,
      );
    }
    contracts.set(pair.contract, record);
  }
  return contracts;
}

/** The published specs of provider versions, by specKey; versions without a spec are left out. */
export async function readSpecs(
  snapshot: Snapshot,
  versions: readonly { provider: string; version: string }[],
): Promise<Map<string, OpenApiDocument>> {
  const unique = new Map(versions.map((v) => [layout.version(v.provider, v.version), v]));
  const records = await snapshot.readRecords(VersionRecord, [...unique.keys()]);
  // One git process for every document; readSpecDocument then finds each in the snapshot's cache.
  await snapshot.readMany([
    ...new Set([...records.values()].flatMap((r) => (r.spec ? [layout.spec(r.service, r.spec.hash)] : []))),
  ]);
  const specs = new Map<string, OpenApiDocument>();
  const byHash = new Map<string, Promise<OpenApiDocument>>();
  await Promise.all(
    [...records.values()].map(async (record) => {
      if (!record.spec) return;
      const hashKey = `${record.service}/${record.spec.hash}`;
      let document = byHash.get(hashKey);
      if (!document) {
        document = readSpecDocument(snapshot, record.service, record.spec.hash, record.version);
        byHash.set(hashKey, document);
      }
      specs.set(specKey(record.service, record.version), await document);
    }),
  );
  return specs;
}
