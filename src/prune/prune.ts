/**
 * `entente prune`: reads what the planner needs from the contracts
 * repository and removes what it decided, in one transaction (or only
 * reports it, for a dry run).
 */
import { BranchRecord, DeploymentRecord, FixtureRecord, VersionRecord } from '../model/records.js';
import { layout } from '../store/layout.js';
import { mainBranchesOf, readPolicy } from '../store/policy.js';
import type { Snapshot } from '../store/snapshot.js';
import type { ContractsStore } from '../store/store.js';
import { type PruneInput, type PrunePlan, planPrune } from './plan.js';

export interface PruneOptions {
  /** Versions created before this moment may be removed. */
  cutoff: Date;
  /** Report what would be removed; change nothing. */
  dryRun?: boolean;
}

export interface PruneResult extends PrunePlan {
  dryRun: boolean;
  /** False for a dry run, and when there was nothing to remove. */
  committed: boolean;
  commit: string | null;
}

const NAME = '[a-z0-9][a-z0-9._-]{0,63}';
const VERSION = '[A-Za-z0-9][A-Za-z0-9._+-]{0,127}';
const SHA = '[0-9a-f]{64}';
// Only file names entente itself writes take part; anything else in the repository is left alone.
const PATHS = {
  version: new RegExp(`^services/(${NAME})/versions/(${VERSION})\\.json$`),
  branch: new RegExp(`^services/(${NAME})/branches/[^/]+\\.json$`),
  spec: new RegExp(`^services/(${NAME})/specs/(${SHA})\\.json$`),
  deployment: new RegExp(`^environments/${NAME}/${NAME}\\.json$`),
  contract: new RegExp(`^contracts/(${NAME})/(${NAME})/(${SHA})\\.json$`),
  verification: new RegExp(`^verifications/(${NAME})/(${VERSION})/(${SHA})\\.json$`),
  fixture: new RegExp(`^fixtures/${NAME}/[^/]+/[A-Za-z0-9][A-Za-z0-9._-]{0,127}\\.json$`),
};

export async function prune(store: ContractsStore, options: PruneOptions): Promise<PruneResult> {
  if (options.dryRun) {
    const plan = planPrune(await readPruneInput(await store.snapshot(), options.cutoff));
    return { ...plan, dryRun: true, committed: false, commit: null };
  }
  const outcome = await store.transact(
    (plan: PrunePlan) =>
      `entente: prune ${plan.versions.length} version${plan.versions.length === 1 ? '' : 's'} created before ${plan.cutoff} (${plan.files.length} files)`,
    async ({ snapshot, changes }) => {
      const plan = planPrune(await readPruneInput(snapshot, options.cutoff));
      for (const file of plan.files) changes.remove(file.path);
      return plan;
    },
  );
  return { ...outcome.result, dryRun: false, committed: outcome.committed, commit: outcome.commit };
}

async function readPruneInput(snapshot: Snapshot, cutoff: Date): Promise<PruneInput> {
  const [policy, services, environments, contracts, verifications, fixtures] = await Promise.all([
    readPolicy(snapshot),
    snapshot.listFiles(layout.servicesDir()),
    snapshot.listFiles(layout.environmentsDir()),
    snapshot.listFiles('contracts'),
    snapshot.listFiles('verifications'),
    snapshot.listFiles(layout.fixturesDir()),
  ]);
  const matching = (paths: string[], pattern: RegExp) =>
    paths.flatMap((path) => {
      const match = pattern.exec(path);
      return match ? [{ path, match }] : [];
    });
  const versionFiles = matching(services, PATHS.version);
  const branchFiles = matching(services, PATHS.branch).map((f) => f.path);
  const deploymentFiles = matching(environments, PATHS.deployment).map((f) => f.path);
  const fixtureFiles = matching(fixtures, PATHS.fixture).map((f) => f.path);
  const [versionRecords, branchRecords, deploymentRecords, fixtureRecords] = await Promise.all([
    snapshot.readRecords(
      VersionRecord,
      versionFiles.map((f) => f.path),
    ),
    snapshot.readRecords(BranchRecord, branchFiles),
    snapshot.readRecords(DeploymentRecord, deploymentFiles),
    snapshot.readRecords(FixtureRecord, fixtureFiles),
  ]);
  return {
    cutoff,
    mainBranches: mainBranchesOf(policy),
    versions: versionFiles.flatMap(({ path, match }) => {
      const record = versionRecords.get(path);
      return record ? [{ path, service: match[1]!, version: match[2]!, record }] : [];
    }),
    branches: [...branchRecords].map(([path, record]) => ({ path, record })),
    deployments: [...deploymentRecords.values()],
    contracts: matching(contracts, PATHS.contract).map(({ path, match }) => ({
      path,
      provider: match[1]!,
      consumer: match[2]!,
      hash: match[3]!,
    })),
    verifications: matching(verifications, PATHS.verification).map(({ path, match }) => ({
      path,
      provider: match[1]!,
      version: match[2]!,
      contract: match[3]!,
    })),
    specs: matching(services, PATHS.spec).map(({ path, match }) => ({
      path,
      service: match[1]!,
      hash: match[2]!,
    })),
    fixtures: [...fixtureRecords].map(([path, record]) => ({ path, record })),
  };
}
