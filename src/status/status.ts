import { BranchRecord, DeploymentRecord, VersionRecord } from '../model/records.js';
import { layout } from '../store/layout.js';
import type { Snapshot } from '../store/snapshot.js';
import { compareText } from '../util/compare-text.js';

export interface VersionStatus {
  version: string;
  branch?: string;
  commit?: string;
  createdAt: string;
  spec?: { hash: string; openapi: string; title?: string };
  contracts: string[];
  deployedTo: string[];
}

export interface ServiceStatus {
  service: string;
  versions: VersionStatus[];
}

export interface EnvironmentStatus {
  environment: string;
  services: { service: string; versions: string[]; history: number }[];
}

export interface StatusReport {
  commit: string | null;
  /** Which versions are listed: those deployed and the latest of each branch, or every one. */
  versions: 'deployed-and-latest' | 'all';
  services: ServiceStatus[];
  environments: EnvironmentStatus[];
}

/**
 * What the contracts repository knows: services with their versions (newest
 * first), specs and contracts, and what is deployed where. With an
 * environment, only that environment and the services deployed there. By
 * default only the versions deployed (in the environments read) and the
 * latest version of each branch are read, so the time does not grow with the
 * history; `allVersions` reads every version record.
 */
export async function readStatus(
  snapshot: Snapshot,
  options: { environment?: string; allVersions?: boolean } = {},
): Promise<StatusReport> {
  const [serviceFiles, environmentFiles] = await Promise.all([
    snapshot.listFiles(layout.servicesDir()),
    options.environment
      ? snapshot.listFiles(layout.environmentDir(options.environment))
      : snapshot.listFiles(layout.environmentsDir()),
  ]);
  const allVersionFiles = serviceFiles.filter((p) => /^services\/[^/]+\/versions\/[^/]+\.json$/.test(p));
  const deploymentFiles = environmentFiles.filter((p) => /^environments\/[^/]+\/[^/]+\.json$/.test(p));
  const deployments = await snapshot.readRecords(DeploymentRecord, deploymentFiles);
  let versionFiles = allVersionFiles;
  if (!options.allVersions) {
    const branches = await snapshot.readRecords(
      BranchRecord,
      serviceFiles.filter((p) => /^services\/[^/]+\/branches\/[^/]+\.json$/.test(p)),
    );
    const existing = new Set(allVersionFiles);
    versionFiles = [
      ...new Set([
        ...[...branches.values()].map((b) => layout.version(b.service, b.latestVersion)),
        ...[...deployments.values()].flatMap((d) =>
          d.deployed.map((v) => layout.version(d.service, v.version)),
        ),
      ]),
    ].filter((path) => existing.has(path));
  }
  const versions = await snapshot.readRecords(VersionRecord, versionFiles);

  const deployedTo = new Map<string, string[]>();
  const environments = new Map<string, EnvironmentStatus>();
  for (const record of deployments.values()) {
    const environment = environments.get(record.environment) ?? {
      environment: record.environment,
      services: [],
    };
    environments.set(record.environment, environment);
    environment.services.push({
      service: record.service,
      versions: record.deployed.map((d) => d.version),
      history: record.history.length,
    });
    for (const d of record.deployed) {
      const key = `${record.service}@${d.version}`;
      deployedTo.set(key, [...(deployedTo.get(key) ?? []), record.environment]);
    }
  }

  const services = new Map<string, ServiceStatus>();
  for (const record of versions.values()) {
    const service = services.get(record.service) ?? { service: record.service, versions: [] };
    services.set(record.service, service);
    service.versions.push({
      version: record.version,
      ...(record.branch ? { branch: record.branch } : {}),
      ...(record.commit ? { commit: record.commit } : {}),
      createdAt: record.createdAt,
      ...(record.spec
        ? {
            spec: {
              hash: record.spec.hash,
              openapi: record.spec.openapi,
              ...(record.spec.title ? { title: record.spec.title } : {}),
            },
          }
        : {}),
      contracts: Object.keys(record.contracts ?? {}).sort(),
      deployedTo: (deployedTo.get(`${record.service}@${record.version}`) ?? []).sort(),
    });
  }
  // Services with no version listed, and deployed services whose versions were never published, still appear.
  for (const path of serviceFiles) {
    const service = path.split('/')[1]!;
    if (!services.has(service)) services.set(service, { service, versions: [] });
  }
  for (const environment of environments.values()) {
    for (const { service } of environment.services) {
      if (!services.has(service)) services.set(service, { service, versions: [] });
    }
  }

  const onlyDeployedThere = options.environment
    ? new Set(environments.get(options.environment)?.services.map((s) => s.service) ?? [])
    : undefined;
  return {
    commit: snapshot.commit,
    versions: options.allVersions ? 'all' : 'deployed-and-latest',
    services: [...services.values()]
      .filter((s) => !onlyDeployedThere || onlyDeployedThere.has(s.service))
      .map((s) => ({ ...s, versions: s.versions.sort(newestFirst) }))
      .sort((a, b) => compareText(a.service, b.service)),
    environments: [...environments.values()]
      .map((e) => ({ ...e, services: e.services.sort((a, b) => compareText(a.service, b.service)) }))
      .sort((a, b) => compareText(a.environment, b.environment)),
  };
}

function newestFirst(a: VersionStatus, b: VersionStatus): number {
  return compareText(b.createdAt, a.createdAt) || compareText(b.version, a.version);
}
