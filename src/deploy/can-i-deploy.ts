/**
 * can-i-deploy's reads: exactly the files the verdict needs, found from the
 * candidate, its partners and the target environment (never a scan of the
 * repository or of its history), then the pure verdict (verdict.ts).
 */
import { namePatterns } from '../model/names.js';
import { DeploymentRecord, VerificationRecord, VersionRecord } from '../model/records.js';
import { layout } from '../store/layout.js';
import { readPolicy } from '../store/policy.js';
import type { Snapshot } from '../store/snapshot.js';
import type { ContractsStore, Freshness, SnapshotSource } from '../store/store.js';
import { checkEnvironmentKnown, checkServiceKnown } from './known-names.js';
import {
  type CandidateFacts,
  type CanIDeployResult,
  DEFAULT_COMPATIBILITY,
  decideWith,
  type Evidence,
  type Pair,
  pairsToCheck,
  type StaticCheck,
  staticCheckNeeded,
  verificationKey,
  verificationOutcome,
} from './verdict.js';

export interface CanIDeployRequest {
  service: string;
  version: string;
  environment: string;
  /** Partners whose pairs are shown but do not count. */
  ignore?: readonly string[];
}

export interface CanIDeployOptions {
  /** How many more times to read the repository again while the verdict is unknown. Default 0. */
  retryWhileUnknown?: number;
  /** Seconds between those reads. Default 10. */
  retryIntervalSeconds?: number;
  /** Called before each wait, with the unknown result and the retry number (1-based). */
  onRetry?: (result: CanIDeployResult, retry: number) => void;
  /** `offline` answers from the last fetched copy (and says how old it is); default: the remote's current state. */
  freshness?: Extract<Freshness, 'fresh' | 'offline'>;
}

/**
 * The verdict for deploying `service@version` to `environment`. While it is
 * unknown and retries are left, waits and reads a fresh state of the
 * repository again (a new fetch each time).
 */
export async function canIDeploy(
  store: ContractsStore,
  request: CanIDeployRequest,
  options: CanIDeployOptions = {},
): Promise<CanIDeployResult & { attempts: number; source: SnapshotSource; ignoredFiles: string[] }> {
  const retries = options.retryWhileUnknown ?? 0;
  const intervalMs = (options.retryIntervalSeconds ?? 10) * 1000;
  for (let attempt = 1; ; attempt++) {
    const { snapshot, source } = await store.read(options.freshness ?? 'fresh');
    const result = await readCanIDeploy(snapshot, request);
    if (result.verdict !== 'unknown' || attempt > retries) {
      return { ...result, attempts: attempt, source, ignoredFiles: [...snapshot.ignored].sort() };
    }
    options.onRetry?.(result, attempt);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** One verdict from one state of the repository. */
export async function readCanIDeploy(
  snapshot: Snapshot,
  request: CanIDeployRequest,
): Promise<CanIDeployResult> {
  const facts = await readCandidateFacts(snapshot, request);
  const { evidence, check } = await readEvidence(snapshot, pairsToCheck(facts), facts.policy);
  return decideWith(facts, evidence, check);
}

async function readCandidateFacts(snapshot: Snapshot, request: CanIDeployRequest): Promise<CandidateFacts> {
  const { service, version, environment } = request;
  const [policy, record, consumerFolders, environmentEntries] = await Promise.all([
    readPolicy(snapshot),
    snapshot.readRecord(VersionRecord, layout.version(service, version)),
    snapshot.list(layout.contractsOf(service)),
    snapshot.list(layout.environmentDir(environment)),
  ]);
  await checkEnvironmentKnown(snapshot, policy, environment);
  await checkServiceKnown(snapshot, service);
  const deployedServices = new Set(
    environmentEntries
      .filter((e) => e.type === 'blob' && e.name.endsWith('.json'))
      .map((e) => e.name.slice(0, -5))
      .filter((name) => namePatterns.service.test(name)),
  );
  const providers = Object.keys(record?.contracts ?? {});
  const consumers = consumerFolders
    .filter((e) => e.type === 'tree' && deployedServices.has(e.name))
    .map((e) => e.name);
  const deploymentPath = (s: string) => layout.deployment(environment, s);
  const deployments = await snapshot.readRecords(DeploymentRecord, [
    ...new Set([...providers, ...consumers].map(deploymentPath)),
  ]);
  const consumerVersionPaths = consumers.flatMap(
    (consumer) =>
      deployments.get(deploymentPath(consumer))?.deployed.map((d) => layout.version(consumer, d.version)) ??
      [],
  );
  const consumerVersions = await snapshot.readRecords(VersionRecord, consumerVersionPaths);
  return {
    service,
    version,
    environment,
    policy: policy.compatibility ?? DEFAULT_COMPATIBILITY,
    ignore: request.ignore ?? [],
    ...(record ? { record } : {}),
    providerDeployments: new Map(providers.map((p) => [p, deployments.get(deploymentPath(p))])),
    deployedConsumers: [...consumerVersions.values()].filter((v) => v.contracts?.[service] !== undefined),
  };
}

/**
 * The verification record of every pair (by provider, version and contract
 * hash), then the contracts and specs of the pairs the policy lets a static
 * check decide, and the static check itself. That is loaded only when some
 * pair needs it: a gate decided by verifications never loads the OpenAPI
 * validators.
 */
async function readEvidence(
  snapshot: Snapshot,
  pairs: readonly Pair[],
  policy: CandidateFacts['policy'],
): Promise<{ evidence: Evidence; check: StaticCheck }> {
  const deployed = pairs.filter(
    (p): p is Pair & { providerVersion: string } => p.providerVersion !== undefined,
  );
  const verifications = new Map<string, VerificationRecord>();
  const verificationRecords = await snapshot.readRecords(
    VerificationRecord,
    deployed.map((p) => layout.verification(p.provider, p.providerVersion, p.contract)),
  );
  for (const record of verificationRecords.values()) {
    verifications.set(verificationKey(record.provider, record.providerVersion, record.contract), record);
  }
  const needStatic = deployed.filter((p) =>
    staticCheckNeeded(
      policy,
      verificationOutcome(verifications.get(verificationKey(p.provider, p.providerVersion, p.contract))),
    ),
  );
  if (needStatic.length === 0) {
    return { evidence: { verifications, contracts: new Map(), specs: new Map() }, check: noStaticCheck };
  }
  const { checkPairStatically, readContracts, readSpecs } = await import('./static-evidence.js');
  const [contracts, specs] = await Promise.all([
    readContracts(snapshot, needStatic),
    readSpecs(
      snapshot,
      needStatic.map((p) => ({ provider: p.provider, version: p.providerVersion })),
    ),
  ]);
  return { evidence: { verifications, contracts, specs }, check: checkPairStatically };
}

/** The static check of a gate whose pairs need none: the policy never asks for it. */
const noStaticCheck: StaticCheck = () => {
  throw new Error('entente: a static check was asked for that no pair needed (a bug: please report it)');
};
