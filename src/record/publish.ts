import { InputError } from '../errors.js';
import { fixtureId } from '../fixtures/id.js';
import { namePatterns } from '../model/names.js';
import {
  CONTRACT_FORMAT,
  ContractRecord,
  DeploymentRecord,
  FixtureRecord,
  type Interaction,
  VersionRecord,
} from '../model/records.js';
import { REDACTED } from '../redact/redact.js';
import { layout } from '../store/layout.js';
import type { ContractsStore, TransactionContext } from '../store/store.js';
import { updateVersion } from '../store/versions.js';
import { contentHash } from '../util/canonical-json.js';
import { compareText } from '../util/compare-text.js';
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
    interactions: [...byId.values()].sort((a, b) => compareText(a.id, b.id)),
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
  options: { now: string; testRun?: string; replace?: boolean },
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
      contracts.push(await storeContract(context, group, options.now, options.replace ?? false));
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
  replace: boolean,
): Promise<PublishedContract> {
  const { snapshot, changes } = context;
  const version = await snapshot.readRecord(
    VersionRecord,
    layout.version(group.consumer, group.consumerVersion),
  );
  const published = version?.contracts?.[group.provider];
  const previousHash = published?.hash;
  const previous = previousHash
    ? await snapshot.readRecord(ContractRecord, layout.contract(group.provider, group.consumer, previousHash))
    : undefined;
  const recorded = group.entries.map((e) => e.interaction);
  const runs = new Set(group.entries.map((e) => e.testRun));
  const testRun = runs.size === 1 ? [...runs][0] : undefined;
  const merged = buildContract(group.consumer, group.provider, [
    ...(previous?.interactions ?? []),
    ...recorded,
  ]);
  let contract = merged;
  if (previous && previousHash && contractHash(merged) !== previousHash) {
    // Shards of one test run complete the contract; any other run would change it under its version.
    const sameRun = testRun !== undefined && published?.testRun === testRun;
    if (!sameRun) {
      const where = `${group.consumer}@${group.consumerVersion} → ${group.provider}`;
      if (!replace) refuseChangedContract(where, published, previous, recorded, testRun);
      await refuseReplacingSettled(context, group, previousHash);
      contract = buildContract(group.consumer, group.provider, recorded);
    }
  }
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
      : {
          ...record,
          contracts: {
            ...record.contracts,
            [group.provider]: { hash, publishedAt: now, ...(testRun ? { testRun } : {}) },
          },
        },
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

function describeInteraction(i: Interaction): string {
  return `${i.operation} (${i.request.method} ${i.request.path}${i.response ? ` → ${i.response.status}` : ''})`;
}

/** Exit 3: a later run recorded different interactions for a consumer version that already has a contract. */
function refuseChangedContract(
  where: string,
  published: { hash: string; testRun?: string } | undefined,
  previous: ContractRecord,
  recorded: Interaction[],
  testRun: string | undefined,
): never {
  const before = new Set(previous.interactions.map((i) => i.id));
  const now = new Set(recorded.map((i) => i.id));
  const added = recorded.filter((i) => !before.has(i.id)).map(describeInteraction);
  const missing = previous.interactions.filter((i) => !now.has(i.id)).map(describeInteraction);
  const differs = [
    ...(added.length ? [`new in this run: ${[...new Set(added)].join(', ')}`] : []),
    ...(missing.length
      ? [`published but not recorded by this run: ${[...new Set(missing)].join(', ')}`]
      : []),
  ].join('; ');
  const runs = `published by ${published?.testRun ? `test run ${published.testRun}` : 'an earlier run'}, this is ${testRun ? `test run ${testRun}` : 'a mix of test runs'}`;
  throw new InputError(
    'input.contract-changed',
    `${where} already has contract ${published?.hash.slice(0, 12)} (${runs}) and this run recorded different interactions: ${differs}. A published contract does not change under its version: publish under a new version, or pass --replace while the version is neither deployed nor verified`,
    { details: [{ where, message: differs }] },
  );
}

/** --replace is refused once the consumer version is deployed or its contract verified: verdicts stand on it. */
async function refuseReplacingSettled(
  { snapshot }: TransactionContext,
  group: Group,
  previousHash: string,
): Promise<void> {
  const where = `${group.consumer}@${group.consumerVersion} → ${group.provider}`;
  const environments = (await snapshot.list(layout.environmentsDir()))
    .filter((e) => e.type === 'tree' && namePatterns.environment.test(e.name))
    .map((e) => e.name);
  const deployments = await snapshot.readRecords(
    DeploymentRecord,
    environments.map((e) => layout.deployment(e, group.consumer)),
  );
  const deployedIn = [...deployments.values()]
    .filter((d) => d.deployed.some((v) => v.version === group.consumerVersion))
    .map((d) => d.environment);
  const providerVersions = (await snapshot.list(layout.verificationsDir(group.provider)))
    .filter((e) => e.type === 'tree' && namePatterns.version.test(e.name))
    .map((e) => e.name);
  const verifications = await snapshot.readMany(
    providerVersions.map((v) => layout.verification(group.provider, v, previousHash)),
  );
  const verifiedBy = providerVersions.filter(
    (v) => verifications.get(layout.verification(group.provider, v, previousHash)) !== undefined,
  );
  if (deployedIn.length === 0 && verifiedBy.length === 0) return;
  const why = [
    ...(deployedIn.length ? [`deployed in ${deployedIn.join(', ')}`] : []),
    ...(verifiedBy.length ? [`verified by ${group.provider}@${verifiedBy.join(', @')}`] : []),
  ].join(' and ');
  throw new InputError(
    'input.contract-settled',
    `--replace: ${where} is ${why}; its contract ${previousHash.slice(0, 12)} cannot be replaced. Publish the new interactions under a new version`,
    { details: [{ where: '--replace', message: why }] },
  );
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
