/** The shell of `entente changes`: reads each commit's changed records from the contracts repository. */
import { DeploymentRecord, FixtureRecord, VerificationRecord, VersionRecord } from '../model/records.js';
import { layout } from '../store/layout.js';
import type { Snapshot } from '../store/snapshot.js';
import type { ContractsStore, HistoryCommit } from '../store/store.js';
import { compareText } from '../util/compare-text.js';
import {
  type Changed,
  type CommitEvents,
  type CommitRecords,
  commitEvents,
  type Trigger,
  triggersOf,
} from './events.js';

export interface ChangesReport {
  from: string | null;
  to: string;
  commits: CommitEvents[];
  triggers: Trigger[];
}

const VERSION = /^services\/[^/]+\/versions\/[^/]+\.json$/;
const CONTRACT = /^contracts\/[^/]+\/[^/]+\/[0-9a-f]{64}\.json$/;
const VERIFICATION = /^verifications\/([^/]+)\/[^/]+\/([0-9a-f]{64})\.json$/;
const DEPLOYMENT = /^environments\/[^/]+\/[^/]+\.json$/;
const FIXTURE = /^fixtures\/[^/]+\/[^/]+\/[^/]+\.json$/;

export async function readChanges(store: ContractsStore, from: string, to?: string): Promise<ChangesReport> {
  const range = await store.history(from, to);
  const commits: CommitEvents[] = [];
  for (const commit of range.commits) {
    commits.push(commitEvents(await readCommitRecords(store, commit)));
  }
  return { from: range.from, to: range.to, commits, triggers: triggersOf(commits) };
}

async function readCommitRecords(store: ContractsStore, commit: HistoryCommit): Promise<CommitRecords> {
  const after = store.snapshotAt(commit.commit);
  const before = store.snapshotAt(commit.parent);
  const paths = (pattern: RegExp) =>
    commit.changes.filter((c) => c.status !== 'D' && pattern.test(c.path)).map((c) => c.path);
  const changed = async <T>(
    schema: Parameters<Snapshot['readRecords']>[0],
    files: string[],
  ): Promise<Changed<T>[]> => {
    const [a, b] = await Promise.all([after.readRecords(schema, files), before.readRecords(schema, files)]);
    return files.map((path) => ({
      path,
      ...(a.has(path) ? { after: a.get(path) as T } : {}),
      ...(b.has(path) ? { before: b.get(path) as T } : {}),
    }));
  };
  const [versions, verifications, deployments, fixtures] = await Promise.all([
    changed<VersionRecord>(VersionRecord, paths(VERSION)),
    changed<VerificationRecord>(VerificationRecord, paths(VERIFICATION)),
    changed<DeploymentRecord>(DeploymentRecord, paths(DEPLOYMENT)),
    changed<FixtureRecord>(FixtureRecord, paths(FIXTURE)),
  ]);
  return {
    commit: commit.commit,
    committedAt: commit.committedAt,
    subject: commit.subject,
    versions,
    newContracts: commit.changes.filter((c) => c.status === 'A' && CONTRACT.test(c.path)).map((c) => c.path),
    verifications: await Promise.all(
      verifications.map(async (v) => {
        if (v.before) return v;
        const previous = await previousVerification(before, v.path);
        return previous ? { ...v, previous } : v;
      }),
    ),
    deployments,
    fixtures,
  };
}

/** The newest verification of the same contract by any other version of the provider, before the commit. */
async function previousVerification(
  snapshot: Snapshot,
  path: string,
): Promise<VerificationRecord | undefined> {
  const [, provider, contract] = VERIFICATION.exec(path)!;
  const versions = (await snapshot.list(layout.verificationsDir(provider!))).filter((e) => e.type === 'tree');
  const records = await snapshot.readRecords(
    VerificationRecord,
    versions.map((v) => layout.verification(provider!, v.name, contract!)),
  );
  return [...records.values()].sort((a, b) => compareText(b.verifiedAt, a.verifiedAt))[0];
}
