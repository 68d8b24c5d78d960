/**
 * The shell of the report: reads what the dashboard shows from one snapshot
 * of the contracts repository, through the same read functions `status`,
 * `can-i-deploy` and `diff` use. Everything after this is pure (site.ts).
 */
import type { StaticFinding } from '../contract/static-check.js';
import { checkPairStatically, readContracts, readSpecs } from '../deploy/static-evidence.js';
import {
  assessFromEvidence,
  DEFAULT_COMPATIBILITY,
  type Evidence,
  judgePair,
  type Pair,
  verificationKey,
} from '../deploy/verdict.js';
import { fixtureServices, readFixtures } from '../fixtures/load.js';
import {
  BranchRecord,
  DeploymentRecord,
  type FixtureRecord,
  type Mismatch,
  VerificationRecord,
  VersionRecord,
} from '../model/records.js';
import type { DiffFinding } from '../openapi/diff/findings.js';
import { checkSpecChange, isBreaking } from '../openapi/diff/index.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { readConsumerContracts } from '../provider-spec/consumer-contracts.js';
import { readSpecDocument } from '../provider-spec/read.js';
import { type MatrixCell, readMatrix } from '../status/matrix.js';
import { type EnvironmentStatus, readStatus, type ServiceStatus } from '../status/status.js';
import { layout } from '../store/layout.js';
import { mainBranchesOf, readPolicy } from '../store/policy.js';
import type { Snapshot } from '../store/snapshot.js';
import { compareText } from '../util/compare-text.js';

/** Why a pair's verification failed: each failing interaction with its mismatches. */
export interface FailedInteraction {
  operation: string;
  description?: string;
  mismatches: Mismatch[];
  error?: string;
}

export interface ReportCell extends MatrixCell {
  verifiedAt?: string;
  failures: FailedInteraction[];
  /** Error-level findings of the static check, when it ran and failed. */
  staticFindings: StaticFinding[];
}

/** `environment` null: each service's latest version on a main branch, deployed or not. */
export interface ReportMatrix {
  environment: string | null;
  deployed: string[];
  cells: ReportCell[];
}

export interface SpecOperation {
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
}

export interface ServiceSpec {
  service: string;
  version: string;
  title?: string;
  description?: string;
  openapi: string;
  operations: SpecOperation[];
}

export interface BreakingChanges {
  provider: string;
  base: string;
  revision: string;
  /** The breaking findings, each with the consumers whose contracts it breaks. */
  changes: { finding: DiffFinding; breaks: string[] }[];
  /** Consumers a change breaks, or whose contract the new spec newly fails statically. */
  hurt: string[];
  untouched: string[];
}

export interface ReportData {
  commit: string | null;
  branch: string;
  location: string;
  services: ServiceStatus[];
  environments: EnvironmentStatus[];
  deployments: DeploymentRecord[];
  matrices: ReportMatrix[];
  /** The latest spec of each provider. */
  specs: ServiceSpec[];
  drafts: FixtureRecord[];
  breaking: BreakingChanges[];
  verifications: VerificationRecord[];
}

export interface ReadReportOptions {
  location: string;
  branch: string;
}

export async function readReportData(snapshot: Snapshot, options: ReadReportOptions): Promise<ReportData> {
  const policy = await readPolicy(snapshot);
  const mainBranches = mainBranchesOf(policy);
  const [status, environmentMatrices, fixtureOwners] = await Promise.all([
    readStatus(snapshot, { allVersions: true }),
    readMatrix(snapshot),
    fixtureServices(snapshot),
  ]);
  const deployments = [
    ...(
      await snapshot.readRecords(
        DeploymentRecord,
        status.environments.flatMap((e) =>
          e.services.map((s) => layout.deployment(e.environment, s.service)),
        ),
      )
    ).values(),
  ];

  const latestPairs = await readLatestPairs(snapshot, status.services, mainBranches);
  const environmentCells = environmentMatrices.flatMap((m) => m.cells);
  const everyPair = [
    ...latestPairs,
    ...environmentCells.map((c) => ({ ...c, direction: 'as-consumer' as const })),
  ];
  const [verifications, contracts, specDocuments] = await Promise.all([
    snapshot.readRecords(VerificationRecord, [
      ...new Set(everyPair.map((p) => layout.verification(p.provider, p.providerVersion, p.contract))),
    ]),
    readContracts(snapshot, everyPair),
    readSpecs(
      snapshot,
      everyPair.map((p) => ({ provider: p.provider, version: p.providerVersion })),
    ),
  ]);
  const evidence: Evidence = {
    verifications: new Map(
      [...verifications.values()].map((v) => [verificationKey(v.provider, v.providerVersion, v.contract), v]),
    ),
    contracts,
    specs: specDocuments,
  };
  const compatibility = policy.compatibility ?? DEFAULT_COMPATIBILITY;
  const detail = (cell: MatrixCell, verdict?: Pick<MatrixCell, 'verdict' | 'reason'>): ReportCell => {
    const pair = { ...cell, direction: 'as-consumer' as const };
    const assessment = assessFromEvidence(pair, evidence, () => true, checkPairStatically);
    const record = evidence.verifications.get(
      verificationKey(cell.provider, cell.providerVersion, cell.contract),
    );
    return {
      ...cell,
      verification: assessment.verification,
      static: assessment.static,
      ...(verdict ?? judgePair(pair, assessment, compatibility, 'main')),
      ...(record ? { verifiedAt: record.verifiedAt } : {}),
      failures: (record?.interactions ?? [])
        .filter((i) => !i.success)
        .map((i) => ({
          operation: i.operation,
          ...(i.description ? { description: i.description } : {}),
          mismatches: [...i.mismatches, ...(i.specDrift ?? [])],
          ...(i.error ? { error: i.error } : {}),
        })),
      staticFindings:
        assessment.static === 'failed' ? assessment.findings.filter((f) => f.level === 'error') : [],
    };
  };

  const matrices: ReportMatrix[] = [
    {
      environment: null,
      deployed: [],
      cells: latestPairs.map((p) =>
        detail({ ...p, verdict: 'unknown', reason: '', verification: 'missing', static: 'not-checked' }),
      ),
    },
    ...environmentMatrices.map((m) => ({
      environment: m.environment,
      deployed: m.versions.filter((v) => v.deployed).map((v) => `${v.service}@${v.version}`),
      cells: m.cells.map((c) => detail(c, c)),
    })),
  ];

  const [specs, breaking, drafts] = await Promise.all([
    readLatestSpecs(snapshot, status.services),
    readBreakingChanges(snapshot, status.services),
    Promise.all(fixtureOwners.map((s) => readFixtures(snapshot, s))).then((all) =>
      all.flat().filter((f) => f.status === 'draft'),
    ),
  ]);

  return {
    commit: snapshot.commit,
    branch: options.branch,
    location: options.location,
    services: status.services,
    environments: status.environments,
    deployments,
    matrices,
    specs,
    drafts,
    breaking,
    verifications: [...verifications.values()],
  };
}

/** Each consumer's latest version on a main branch against each provider's. */
async function readLatestPairs(
  snapshot: Snapshot,
  services: ServiceStatus[],
  mainBranches: readonly string[],
): Promise<(Pair & { providerVersion: string })[]> {
  const branches = await snapshot.readRecords(
    BranchRecord,
    services.flatMap((s) => mainBranches.map((b) => layout.branch(s.service, b))),
  );
  const latest = new Map<string, string>();
  for (const { service } of services) {
    const pointer = mainBranches
      .map((b) => branches.get(layout.branch(service, b)))
      .find((r) => r !== undefined);
    if (pointer) latest.set(service, pointer.latestVersion);
  }
  const records = await snapshot.readRecords(
    VersionRecord,
    [...latest].map(([service, version]) => layout.version(service, version)),
  );
  const pairs: (Pair & { providerVersion: string })[] = [];
  for (const [consumer, consumerVersion] of latest) {
    const contracts = records.get(layout.version(consumer, consumerVersion))?.contracts ?? {};
    for (const [provider, { hash }] of Object.entries(contracts)) {
      const providerVersion = latest.get(provider);
      if (!providerVersion) continue;
      pairs.push({
        direction: 'as-consumer',
        consumer,
        consumerVersion,
        provider,
        providerVersion,
        contract: hash,
      });
    }
  }
  return pairs.sort((a, b) => compareText(a.consumer, b.consumer) || compareText(a.provider, b.provider));
}

/** Each provider's newest version with a spec: its operations. */
async function readLatestSpecs(snapshot: Snapshot, services: ServiceStatus[]): Promise<ServiceSpec[]> {
  const latest = services.flatMap((s) => {
    const version = s.versions.find((v) => v.spec);
    return version?.spec ? [{ service: s.service, version: version.version, spec: version.spec }] : [];
  });
  await snapshot.readMany(latest.map((l) => layout.spec(l.service, l.spec.hash)));
  return Promise.all(
    latest.map(async ({ service, version, spec }) => {
      const document = await readSpecDocument(snapshot, service, spec.hash, version);
      const info = (document as { info?: { title?: unknown; description?: unknown } }).info;
      return {
        service,
        version,
        openapi: spec.openapi,
        ...(typeof info?.title === 'string' ? { title: info.title } : {}),
        ...(typeof info?.description === 'string' ? { description: info.description } : {}),
        operations: operationsOf(document),
      };
    }),
  );
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export function operationsOf(document: OpenApiDocument): SpecOperation[] {
  const paths = (document as { paths?: Record<string, Record<string, unknown> | undefined> }).paths ?? {};
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (!item || typeof item !== 'object') continue;
    for (const method of METHODS) {
      const operation = item[method] as { operationId?: unknown; summary?: unknown } | undefined;
      if (!operation || typeof operation !== 'object') continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        ...(typeof operation.operationId === 'string' ? { operationId: operation.operationId } : {}),
        ...(typeof operation.summary === 'string' ? { summary: operation.summary } : {}),
      });
    }
  }
  return operations;
}

/** Between each provider's two newest distinct specs: the breaking findings and the consumers they hurt. */
async function readBreakingChanges(
  snapshot: Snapshot,
  services: ServiceStatus[],
): Promise<BreakingChanges[]> {
  const results: BreakingChanges[] = [];
  for (const service of services) {
    const withSpec = service.versions.flatMap((v) => (v.spec ? [{ ...v, spec: v.spec }] : []));
    const revision = withSpec[0];
    const base = withSpec.find((v) => v.spec.hash !== revision?.spec.hash);
    if (!revision || !base) continue;
    const [baseDocument, revisionDocument, contracts] = await Promise.all([
      readSpecDocument(snapshot, service.service, base.spec.hash, base.version),
      readSpecDocument(snapshot, service.service, revision.spec.hash, revision.version),
      readConsumerContracts(snapshot, service.service),
    ]);
    const report = checkSpecChange({
      base: { label: `${service.service}@${base.version}`, document: baseDocument },
      revision: { label: `${service.service}@${revision.version}`, document: revisionDocument },
      consumers: { provider: service.service, contracts },
    });
    const changes = report.findings.flatMap((finding, index) =>
      isBreaking(finding)
        ? [
            {
              finding,
              breaks: [
                ...new Set(
                  (report.impact?.breaking ?? [])
                    .filter((b) => b.finding === index)
                    .flatMap((b) => b.broken.map((ref) => ref.consumer)),
                ),
              ].sort(),
            },
          ]
        : [],
    );
    const hurt = report.impact?.hurt ?? [];
    if (changes.length === 0 && hurt.length === 0) continue;
    results.push({
      provider: service.service,
      base: base.version,
      revision: revision.version,
      changes,
      hurt,
      untouched: report.impact?.untouched ?? [],
    });
  }
  return results;
}
