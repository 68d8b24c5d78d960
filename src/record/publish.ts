import { fixtureId } from '../fixtures/id.js';
import {
  CONTRACT_FORMAT,
  ContractRecord,
  FixtureRecord,
  type Interaction,
  VersionRecord,
} from '../model/records.js';
import { REDACTED } from '../redact/redact.js';
import { layout } from '../store/layout.js';
import type { ContractsStore, TransactionContext } from '../store/store.js';
import { updateVersion } from '../store/versions.js';
import { contentHash } from '../util/canonical-json.js';
import {
  type PendingInteraction,
  type RecordingSource,
  readPending,
  recordingSource,
  removePending,
} from './pending.js';

export interface PublishedContract {
  consumer: string;
  consumerVersion: string;
  provider: string;
  hash: string;
  interactions: number;
  /** False when this exact contract was already stored (identical content is stored once). */
  newContent: boolean;
}

export interface PublishResult {
  contracts: PublishedContract[];
  fixtureDrafts: number;
  commit: string | null;
  committed: boolean;
  /** Pending files published and removed. */
  published: number;
  /** Pending files left alone (recorded by another test run than the one asked for). */
  kept: number;
}

/** The hash a contract is stored under: its consumer, provider and interactions, sorted. */
export function contractHash(contract: ContractRecord): string {
  return contentHash(contract);
}

/** Pure: one contract from interactions, duplicates collapsed, sorted by id. */
export function buildContract(
  consumer: string,
  provider: string,
  interactions: Interaction[],
): ContractRecord {
  const byId = new Map(interactions.map((i) => [i.id, i]));
  return {
    format: CONTRACT_FORMAT,
    consumer,
    provider,
    interactions: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}

/**
 * Publishes what waits in the pending folder (or only what one test run
 * recorded): one transaction, one commit, a contract per consumer version and
 * provider (merged with what that consumer version already published),
 * consumer fixture drafts. The pending files are removed only after the push
 * succeeded; when it fails they stay for the next `entente publish`.
 */
export async function publishPending(
  store: ContractsStore,
  pendingDir: string,
  options: { now: string; testRun?: string },
): Promise<PublishResult> {
  const all = await readPending(pendingDir);
  const pending =
    options.testRun === undefined ? all : all.filter((p) => p.entry.testRun === options.testRun);
  const kept = all.length - pending.length;
  if (pending.length === 0)
    return { contracts: [], fixtureDrafts: 0, commit: null, committed: false, published: 0, kept };
  const groups = groupPending(pending.map((p) => p.entry));
  const names = [...groups.values()].map((g) => `${g.consumer}@${g.consumerVersion} → ${g.provider}`);
  const outcome = await store.transact(`entente: publish contracts ${names.join(', ')}`, async (context) => {
    const contracts: PublishedContract[] = [];
    let fixtureDrafts = 0;
    for (const group of groups.values()) {
      contracts.push(await storeContract(context, group, options.now));
      fixtureDrafts += await proposeConsumerFixtures(context, group, options.now);
    }
    return { contracts, fixtureDrafts };
  });
  await removePending(pending.map((p) => p.file));
  return {
    ...outcome.result,
    commit: outcome.commit,
    committed: outcome.committed,
    published: pending.length,
    kept,
  };
}

interface Group extends RecordingSource {
  entries: PendingInteraction[];
}

function groupPending(entries: PendingInteraction[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const entry of entries) {
    const key = `${entry.consumer}@${entry.consumerVersion}>${entry.provider}`;
    const group = groups.get(key) ?? { ...recordingSource(entry), entries: [] };
    group.entries.push(entry);
    groups.set(key, group);
  }
  return groups;
}

async function storeContract(
  context: TransactionContext,
  group: Group,
  now: string,
): Promise<PublishedContract> {
  const { snapshot, changes } = context;
  const version = await snapshot.readRecord(
    VersionRecord,
    layout.version(group.consumer, group.consumerVersion),
  );
  const previousHash = version?.contracts?.[group.provider]?.hash;
  const previous = previousHash
    ? await snapshot.readRecord(ContractRecord, layout.contract(group.provider, group.consumer, previousHash))
    : undefined;
  const contract = buildContract(group.consumer, group.provider, [
    ...(previous?.interactions ?? []),
    ...group.entries.map((e) => e.interaction),
  ]);
  const hash = contractHash(contract);
  const path = layout.contract(group.provider, group.consumer, hash);
  const newContent = (await snapshot.read(path)) === undefined;
  if (newContent) changes.writeRecord(ContractRecord, path, contract);
  const identity = {
    service: group.consumer,
    version: group.consumerVersion,
    ...(group.branch ? { branch: group.branch } : {}),
    ...(group.commit ? { commit: group.commit } : {}),
  };
  await updateVersion(context, identity, now, (record) =>
    previousHash === hash
      ? record
      : { ...record, contracts: { ...record.contracts, [group.provider]: { hash, publishedAt: now } } },
  );
  return {
    consumer: group.consumer,
    consumerVersion: group.consumerVersion,
    provider: group.provider,
    hash,
    interactions: contract.interactions.length,
    newContent,
  };
}

/**
 * Drafts (source consumer, priority 1) from what the mock generated and the
 * consumer's tests stand behind: the spec's examples, and generated samples
 * only when the tests really used their values (read them, as read tracking
 * saw, or pinned them), or that have no body at all. A sample nobody
 * looked at is placeholder data (`"sku": "string"`), not a fixture. Never from what a fixture served;
 * redacted headers are left out. A rerun proposes nothing new.
 */
function worthProposing(entry: PendingInteraction): boolean {
  if (entry.responseSource === 'example') return true;
  if (entry.responseSource !== 'sample') return false;
  const { response } = entry.interaction;
  if (response.body === undefined) return true;
  const read = response.reliance === 'tracked' && (response.reliesOn?.length ?? 0) > 0;
  return read || (response.pins?.length ?? 0) > 0;
}

async function proposeConsumerFixtures(
  context: TransactionContext,
  group: Group,
  now: string,
): Promise<number> {
  let proposed = 0;
  for (const entry of group.entries) {
    if (!worthProposing(entry)) continue;
    const { interaction } = entry;
    const headers = withoutRedacted(interaction.response.headers);
    const data = {
      request: {
        method: interaction.request.method,
        path: interaction.request.path,
        ...(interaction.request.query ? { query: interaction.request.query } : {}),
        ...(interaction.request.body !== undefined ? { body: interaction.request.body } : {}),
      },
      response: {
        status: interaction.response.status,
        ...(headers ? { headers } : {}),
        ...(interaction.response.body !== undefined ? { body: interaction.response.body } : {}),
      },
    };
    const id = fixtureId(group.provider, interaction.operation, data);
    const path = layout.fixture(group.provider, interaction.operation, id);
    if ((await context.snapshot.read(path)) !== undefined || context.changes.writes.has(path)) continue;
    context.changes.writeRecord(FixtureRecord, path, {
      id,
      service: group.provider,
      ...(entry.providerVersion ? { serviceVersion: entry.providerVersion } : {}),
      operation: interaction.operation,
      status: 'draft',
      priority: 1,
      source: 'consumer',
      createdFrom: {
        type: 'consumer-recording',
        consumer: group.consumer,
        ...(entry.testRun ? { testRun: entry.testRun } : {}),
        ...(entry.commit ? { commit: entry.commit } : {}),
        timestamp: entry.recordedAt,
      },
      data,
      createdAt: now,
    });
    proposed++;
  }
  return proposed;
}

function withoutRedacted(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  const kept = Object.entries(headers ?? {}).filter(([, value]) => value !== REDACTED);
  return kept.length ? Object.fromEntries(kept) : undefined;
}
