/**
 * Verification results in the contracts repository. A result is stored for
 * (provider, provider version, contract hash), so every consumer version
 * whose contract has that content shares it: a consumer that publishes an
 * identical contract under a new version is verified already.
 */
import { fixtureId } from '../fixtures/id.js';
import { readFixtures } from '../fixtures/load.js';
import { DEFAULT_PRIORITY } from '../fixtures/propose.js';
import { FixtureRecord, type Interaction, VerificationRecord, VersionRecord } from '../model/records.js';
import { createRedactor, type Redactor } from '../redact/redact.js';
import { layout } from '../store/layout.js';
import type { Snapshot } from '../store/snapshot.js';
import type { TransactionContext } from '../store/store.js';
import { updateVersion } from '../store/versions.js';
import { canonicalJson } from '../util/canonical-json.js';
import type { ContractOutcome, InteractionOutcome } from './run.js';
import type { ContractTarget } from './select.js';

/** The verification of a consumer version's contract by a provider version; undefined when there is none. */
export async function readVerification(
  snapshot: Snapshot,
  pair: { provider: string; providerVersion: string; consumer: string; consumerVersion: string },
): Promise<VerificationRecord | undefined> {
  const consumer = await snapshot.readRecord(
    VersionRecord,
    layout.version(pair.consumer, pair.consumerVersion),
  );
  const hash = consumer?.contracts?.[pair.provider]?.hash;
  if (!hash) return undefined;
  return snapshot.readRecord(
    VerificationRecord,
    layout.verification(pair.provider, pair.providerVersion, hash),
  );
}

export interface ResultsToWrite {
  provider: string;
  providerVersion: string;
  branch?: string;
  commit?: string;
  testRun?: string;
  now: string;
  outcomes: ContractOutcome[];
  /** The contracts verified: the recorded requests fixtures are proposed for. */
  targets: ContractTarget[];
  /** Fixture drafts' requests are redacted again, in case a contract was recorded under an older policy. */
  redactor?: Redactor;
}

type FixtureRequest = FixtureRecord['data']['request'];

/** Pure: the record stored for one contract's outcome. */
export function verificationRecord(
  results: Omit<ResultsToWrite, 'outcomes' | 'targets' | 'redactor'>,
  outcome: ContractOutcome,
): VerificationRecord {
  return {
    provider: results.provider,
    providerVersion: results.providerVersion,
    contract: outcome.contract,
    consumer: outcome.consumer,
    verifiedAt: results.now,
    ...(results.testRun ? { testRun: results.testRun } : {}),
    ...(results.commit ? { commit: results.commit } : {}),
    success: outcome.success,
    interactions: outcome.interactions.map((i) => ({
      id: i.id,
      operation: i.operation,
      ...(i.description ? { description: i.description } : {}),
      success: i.success,
      mismatches: i.mismatches,
      ...(i.specDrift.length ? { specDrift: i.specDrift } : {}),
      ...(i.error !== undefined ? { error: i.error } : {}),
    })),
  };
}

/**
 * Writes, inside one transaction: the provider version (and its branch
 * pointer) when new, a verification record per contract, and a provider
 * fixture draft per passing interaction with a response body. Returns the
 * number of drafts proposed.
 */
export async function writeResults(context: TransactionContext, results: ResultsToWrite): Promise<number> {
  await updateVersion(
    context,
    {
      service: results.provider,
      version: results.providerVersion,
      ...(results.branch ? { branch: results.branch } : {}),
      ...(results.commit ? { commit: results.commit } : {}),
    },
    results.now,
    (record) => record,
  );
  for (const outcome of results.outcomes) {
    context.changes.writeRecord(
      VerificationRecord,
      layout.verification(results.provider, results.providerVersion, outcome.contract),
      verificationRecord(results, outcome),
    );
  }
  return proposeProviderFixtures(context, results);
}

/**
 * Provider fixture drafts (source provider, priority 2) from real responses.
 * One per operation and request: when a draft or approved provider fixture
 * for the same request exists, a rerun proposes nothing, even if the
 * provider's data (a generated id, a timestamp) differs.
 */
async function proposeProviderFixtures(
  context: TransactionContext,
  results: ResultsToWrite,
): Promise<number> {
  const requestKey = (operation: string, request: FixtureRequest) => canonicalJson({ operation, request });
  const existing = new Set(
    (await readFixtures(context.snapshot, results.provider))
      .filter((f) => f.source === 'provider' && (f.status === 'draft' || f.status === 'approved'))
      .map((f) => requestKey(f.operation, f.data.request)),
  );
  const redactor = results.redactor ?? createRedactor();
  const recorded = new Map(
    results.targets.flatMap((t) => t.contract.interactions).map((i) => [i.id, fixtureRequest(i, redactor)]),
  );
  const drafts = new Map<string, FixtureRecord>();
  for (const outcome of results.outcomes) {
    for (const interaction of outcome.interactions) {
      const request = recorded.get(interaction.id);
      const data = request && fixtureData(interaction, request);
      if (!data || existing.has(requestKey(interaction.operation, request))) continue;
      existing.add(requestKey(interaction.operation, request));
      const id = fixtureId(results.provider, interaction.operation, data);
      drafts.set(layout.fixture(results.provider, interaction.operation, id), {
        id,
        service: results.provider,
        serviceVersion: results.providerVersion,
        operation: interaction.operation,
        status: 'draft',
        priority: DEFAULT_PRIORITY.provider,
        source: 'provider',
        createdFrom: {
          type: 'provider-verification',
          ...(results.testRun ? { testRun: results.testRun } : {}),
          ...(results.commit ? { commit: results.commit } : {}),
          timestamp: results.now,
        },
        data,
        createdAt: results.now,
      });
    }
  }
  const stored = await context.snapshot.readMany([...drafts.keys()]);
  let proposed = 0;
  for (const [path, draft] of drafts) {
    if (stored.get(path) !== undefined) continue;
    context.changes.writeRecord(FixtureRecord, path, draft);
    proposed++;
  }
  return proposed;
}

/** What a fixture matches on: the recorded request without its headers. */
function fixtureRequest(interaction: Interaction, redactor: Redactor): FixtureRequest {
  const { method, path, query, headers, body } = interaction.request;
  return {
    method,
    path,
    ...(query ? { query: redactor.query(query) } : {}),
    ...(body !== undefined
      ? { body: redactor.body(body, headers?.['content-type']) as FixtureRequest['body'] }
      : {}),
  };
}

/** The recorded request (secrets stay redacted) with what the provider really answered. */
function fixtureData(
  outcome: InteractionOutcome,
  request: FixtureRequest,
): FixtureRecord['data'] | undefined {
  if (!outcome.success || outcome.response?.body === undefined) return undefined;
  const contentType = outcome.response.headers['content-type'];
  return {
    request,
    response: {
      status: outcome.response.status,
      ...(contentType ? { headers: { 'content-type': contentType } } : {}),
      body: outcome.response.body,
    },
  };
}
