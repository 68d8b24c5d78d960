/**
 * The library's handle on a contracts repository: configuration resolved once
 * (options > ENTENTE_* > .entente.yml > package.json, CI and git, exactly as
 * the CLI does), then one method per CLI command. Each method calls the same
 * functions the command calls, with the same options; the CLI only adds
 * parsing and rendering.
 */

import { resolve } from 'node:path';
import type { ChangesReport } from './changes/read.js';
import { openConfiguredStore } from './config/open-store.js';
import { requireService, requireVersion } from './config/require.js';
import { type EntenteConfig, resolveConfig } from './config/resolve.js';
import type { ProjectSetUp } from './config/set-up-project.js';
import type { Mock, MockOptions } from './consumer/mock.js';
import type { CanIDeployOptions } from './deploy/can-i-deploy.js';
import type { RecordDeploymentResult, RecordUndeploymentResult } from './deploy/record-deployment.js';
import type { CanIDeployResult } from './deploy/verdict.js';
import { ConfigError, InputError } from './errors.js';
import type { ProposeResult } from './fixtures/propose.js';
import type { ReviewAction, ReviewResult, ReviewTarget } from './fixtures/review.js';
import type { FixtureFilter, StoredFixture } from './fixtures/select.js';
import { environmentName, serviceName, versionName } from './model/names.js';
import type { FixtureRecord, RepoPolicy } from './model/records.js';
import type { SpecChangeReport } from './openapi/diff/index.js';
import type { PactFile } from './pact/export.js';
import type { ImportPactResult } from './pact/import.js';
import type { BreakingChanges, PublishSpecResult } from './provider-spec/publish.js';
import type { SpecSelector } from './provider-spec/read.js';
import type { PruneResult } from './prune/prune.js';
import type { PublishResult } from './record/publish.js';
import { mergeRedaction } from './redact/redact.js';
import type { WriteReportResult } from './report/report.js';
import type { EnvironmentMatrix } from './status/matrix.js';
import type { StatusReport } from './status/status.js';
import { describeLocation } from './store/location.js';
import type { PolicyWriteResult } from './store/policy.js';
import type { ContractsStore, SnapshotSource, StoreOptions } from './store/store.js';
import type { PendingReport } from './verify/pending.js';
import type { VerifyRequest, VerifyResult } from './verify/verify.js';

export interface OpenContractsOptions {
  /** The contracts repository: a URL or a path. Default: configuration (ENTENTE_CONTRACTS, .entente.yml), else the local default. */
  contracts?: string;
  /** The `.entente.yml` to read. Default: the nearest one above `cwd`. */
  config?: string;
  /** The project folder: configuration, relative paths and git are read from here. Default: process.cwd(). */
  cwd?: string;
  /** The environment configuration is read from (ENTENTE_*, CI variables, tokens). Default: process.env. */
  env?: Record<string, string | undefined>;
  /** This project's service, version and branch: the defaults of every operation. Default: configuration. */
  service?: string;
  version?: string;
  branch?: string;
  /** Told about what is worth knowing but not an error (e.g. a stale read). Default: silent. */
  warn?: (message: string) => void;
  /** The time recorded in records. Default: ENTENTE_NOW (in `env`) when set, else the clock. */
  now?: () => string;
}

/** Which service and version an operation is about; each defaults to the handle's configuration. */
export interface ServiceVersion {
  service?: string;
  version?: string;
}

export interface PublishSpecInput extends ServiceVersion {
  /** The OpenAPI (or Swagger 2.0) file, relative to `cwd`. */
  spec: string;
  /** The version's source branch. Default: the handle's branch. */
  branch?: string;
  /** Fetch and bundle http(s) `$ref`s. */
  allowRemoteRefs?: boolean;
  /** The folder local `$ref`s must stay inside, relative to `cwd`. Default: the spec file's folder. */
  refRoot?: string;
  /** Do not publish when the spec breaks the latest published one. */
  failOnBreaking?: boolean;
  /** Replace this version's spec if it has a different one. */
  force?: boolean;
}

export interface PublishSpecOutcome {
  service: string;
  version: string;
  openapi: string;
  /** The Swagger version converted from, when it was one. */
  convertedFrom?: string;
  warnings: string[];
  /** What the spec breaks in the latest published one; null when nothing. */
  breakingChanges: BreakingChanges | null;
  /** Undefined when `failOnBreaking` refused to publish. */
  published?: PublishSpecResult;
}

export interface DeploymentInput extends ServiceVersion {
  environment: string;
  /** Who or what deployed it. */
  by?: string;
  /** Keep the versions already deployed there. */
  keepOthers?: boolean;
  /** The environment may be new: its first deployment introduces it (unless entente.yml declares the list). */
  newEnvironment?: boolean;
  /** Record a version (or a service) the repository has no record of. */
  allowUnknownVersion?: boolean;
}

export interface UndeploymentInput {
  service?: string;
  /** The version taken out; default every version deployed there. */
  version?: string;
  environment: string;
  by?: string;
}

export interface CanIDeployInput extends ServiceVersion, CanIDeployOptions {
  environment: string;
  /** Partners whose pairs are shown but do not count. */
  ignore?: readonly string[];
}

export interface StatusInput {
  environment?: string;
  /** Every version, not only the deployed ones and the latest of each branch. */
  allVersions?: boolean;
  /** Also the compatibility matrix of each environment. */
  matrix?: boolean;
}

export interface StatusOutcome extends StatusReport {
  contracts: string;
  branch: string;
  matrix?: EnvironmentMatrix[];
}

export interface DiffInput {
  /** A file, `git-ref:path`, or `service@version` from the contracts repository. */
  base: string;
  revision: string;
  /** Whose consumer contracts to check; default the service of a `service@version` side. */
  provider?: string;
  allowRemoteRefs?: boolean;
  /** Refuse a spec file that is not valid OpenAPI. */
  strict?: boolean;
  /** A file of accepted changes, relative to `cwd`. */
  ignoreFile?: string;
  onProgress?: (step: string) => void;
}

export interface VerifyInput
  extends Omit<VerifyRequest, 'provider' | 'version' | 'now' | 'branch' | 'commit'> {
  /** Default: the handle's service. */
  provider?: string;
  /** Default: the handle's version. */
  version?: string;
}

export interface PruneInput {
  /** Versions created before this moment may be removed (a Date, or an age or date such as `90d`, `2026-01-01`). Default 90 days. */
  olderThan?: Date | string;
  dryRun?: boolean;
}

export interface ReportInput {
  /** The folder the site is written to, relative to `cwd`. */
  out: string;
  /** The public URL the site is served from. */
  webUrl?: string;
}

export interface ImportPactsInput {
  /** Pact files, relative to `cwd`. */
  files: readonly string[];
  /** The consumer version the pacts belong to. Default: the handle's version. */
  consumerVersion?: string;
}

export interface ExportPactsInput {
  /** Default: the handle's service. */
  consumer?: string;
  /** Default: the handle's version. */
  version?: string;
  provider?: string;
  specVersion?: 3 | 4;
}

export interface ProposeFixturesInput {
  /** A fixtures file (JSON or YAML: an array in the local fixtures format, or one fixture), relative to `cwd`. */
  file: string;
  /** The provider the fixtures belong to. Default: the handle's service. */
  service?: string;
  /** The provider version whose spec they must fit. Default: the latest published. */
  version?: string;
  /** Recorded as where the fixtures came from. */
  testRun?: string;
}

export interface FixtureList {
  contracts: string;
  branch: string;
  /** The contracts-branch commit read; null for an empty repository. */
  commit: string | null;
  fixtures: FixtureRecord[];
}

export interface ReviewFixturesOptions {
  /** Commit to the contracts branch at once instead of pushing a review branch and opening a pull request. */
  direct?: boolean;
  /** The review branch. Default: `entente/fixtures/<action>-<test run, id or service>`. */
  branch?: string;
}

export interface Contracts {
  /** The contracts repository, as configured (a URL, with any credentials in it redacted, or a path). */
  readonly location: string;
  /** Its contracts branch. */
  readonly branchName: string;
  /** The configuration every operation starts from. */
  readonly config: EntenteConfig;
  /** `entente init --contracts-repo`: commits the repository's policy, `entente.yml` (replaced only with `force`). */
  setUpRepository(input: { policy: RepoPolicy; force?: boolean }): Promise<PolicyWriteResult>;
  /**
   * `entente init` in a project: writes `.entente.yml` in `cwd` (the service, and `contracts` as given) and
   * ignores `.entente/` in `.gitignore`, then opens the contracts repository (creating the local default one).
   */
  setUpProject(input?: { force?: boolean; contracts?: string }): Promise<ProjectSetUp>;
  /** `entente publish-spec`: validates, bundles and stores a provider version's spec. */
  publishSpec(input: PublishSpecInput): Promise<PublishSpecOutcome>;
  /** `entente publish`: publishes the recordings waiting in the pending folder (only `testRun`'s when given). */
  publish(input?: { testRun?: string; replace?: boolean }): Promise<PublishResult>;
  /** `entente record-deployment`. */
  recordDeployment(input: DeploymentInput): Promise<RecordDeploymentResult>;
  /** `entente record-undeployment`. */
  recordUndeployment(input: UndeploymentInput): Promise<RecordUndeploymentResult>;
  /** `entente can-i-deploy`: the verdict, with every pair checked; it does not throw on "no". */
  canIDeploy(
    input: CanIDeployInput,
  ): Promise<CanIDeployResult & { attempts: number; source: SnapshotSource; ignoredFiles: string[] }>;
  /** `entente status`. */
  status(input?: StatusInput): Promise<StatusOutcome>;
  /** `entente pending`: contracts that still need a verification by `provider` (default: the handle's service). */
  pending(input?: {
    provider?: string;
    offline?: boolean;
  }): Promise<PendingReport & { source: SnapshotSource }>;
  /** `entente diff`: breaking changes between two specs, and which consumers each breaks. */
  diff(input: DiffInput): Promise<SpecChangeReport>;
  /** `entente verify`: replays consumer contracts against a running provider and (unless `publish: false`) commits the results. */
  verify(input: VerifyInput): Promise<VerifyResult>;
  /** `entente prune`: removes old versions nothing needs any more. */
  prune(input?: PruneInput): Promise<PruneResult>;
  /** `entente report`: writes the static HTML site. */
  report(input: ReportInput): Promise<WriteReportResult>;
  /** `entente changes <from>..<to>`: what the commits of the contracts branch did. */
  changes(from: string, to?: string): Promise<ChangesReport>;
  /** `entente import-pact`: stores Pact files as contracts. */
  importPacts(input: ImportPactsInput): Promise<ImportPactResult>;
  /** `entente export-pact`: a consumer version's contracts as Pact files (not written anywhere). */
  exportPacts(input?: ExportPactsInput): Promise<PactFile[]>;
  /** `entente fixtures list`: the fixtures stored in the contracts repository that `filter` selects. */
  listFixtures(filter?: FixtureFilter): Promise<FixtureList>;
  /** `entente fixtures show`: one fixture, by id or a prefix only it has. */
  showFixture(id: string): Promise<StoredFixture>;
  /** `entente fixtures propose`: stores a file's fixtures as drafts, each checked against the provider's spec. */
  proposeFixtures(input: ProposeFixturesInput): Promise<ProposeResult>;
  /** `entente fixtures approve | reject | deprecate | update`: a pull request on the contracts repository, or a direct commit. */
  reviewFixtures(
    action: ReviewAction,
    target: ReviewTarget,
    options?: ReviewFixturesOptions,
  ): Promise<ReviewResult>;
  /** `entente mock`, in process: a mock of `provider` from its published spec. */
  createMock(provider: string, version?: SpecSelector, options?: MockOptions): Promise<Mock>;
}

/** Opens the contracts repository configuration points at (nothing is fetched until an operation needs it). */
export async function openContracts(options: OpenContractsOptions = {}): Promise<Contracts> {
  const env = options.env ?? (process.env as Record<string, string | undefined>);
  const config = await resolveConfig({
    flags: {
      ...(options.contracts ? { contracts: options.contracts } : {}),
      ...(options.config ? { config: options.config } : {}),
      ...(options.service ? { service: options.service } : {}),
      ...(options.version ? { version: options.version } : {}),
      ...(options.branch ? { branch: options.branch } : {}),
    },
    env,
    cwd: options.cwd ?? process.cwd(),
  });
  return contractsFromConfig(config, {
    ...(options.warn ? { warn: options.warn } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}

const DEFAULT_PRUNE_AGE = '90d';

/**
 * The handle over configuration already resolved: the CLI's way in (its
 * commands resolve configuration from their flags first). `beforePush` is a
 * test hook of the store, not part of the public options.
 */
export function contractsFromConfig(
  config: EntenteConfig,
  hooks: Pick<StoreOptions, 'warn' | 'beforePush'> & { now?: () => string },
): Contracts {
  const { now: clock, ...storeHooks } = hooks;
  const now = clock ?? (() => clockFrom(config.env));
  let opened: Promise<ContractsStore> | undefined;
  const store = () => {
    opened ??= openConfiguredStore(config, storeHooks);
    return opened;
  };
  const serviceOf = (service: string | undefined, flag = 'service') =>
    service === undefined ? requireService(config) : serviceName(service, flag);
  const versionOf = (version: string | undefined) =>
    version === undefined ? requireVersion(config) : versionName(version);

  return {
    location: describeLocation(config.contracts),
    branchName: config.contractsBranch,
    config,

    async setUpRepository(input) {
      const { writePolicy } = await import('./store/policy.js');
      return writePolicy(await store(), input.policy, { force: input.force ?? false });
    },

    async setUpProject(input = {}) {
      const { setUpProject } = await import('./config/set-up-project.js');
      const written = await setUpProject(config, input);
      await store();
      return written;
    },

    async publishSpec(input) {
      const service = serviceOf(input.service);
      const version = versionOf(input.version);
      const { loadSpec } = await import('./openapi/load.js');
      const spec = await loadSpec(resolve(config.cwd, input.spec), {
        allowRemoteRefs: input.allowRemoteRefs ?? false,
        ...(input.refRoot === undefined ? {} : { refRoot: resolve(config.cwd, input.refRoot) }),
      });
      const { publishSpec } = await import('./provider-spec/publish.js');
      const branch = input.branch ?? config.branch;
      const { breakingChanges, published } = await publishSpec(
        await store(),
        spec,
        {
          service,
          version,
          ...(branch ? { branch } : {}),
          ...(config.commit ? { commit: config.commit } : {}),
        },
        { now: now(), force: input.force ?? false, failOnBreaking: input.failOnBreaking ?? false },
      );
      const described = {
        service,
        version,
        openapi: spec.openapi,
        warnings: spec.warnings,
        ...(spec.convertedFrom ? { convertedFrom: spec.convertedFrom } : {}),
        breakingChanges: breakingChanges ?? null,
      };
      if (!published) return described;
      return { ...described, published };
    },

    async publish(input = {}) {
      const { publishPending } = await import('./record/publish.js');
      return publishPending(await store(), config.pendingDir, {
        now: now(),
        replace: input.replace ?? false,
        ...(input.testRun ? { testRun: input.testRun } : {}),
      });
    },

    async recordDeployment(input) {
      const { recordDeployment } = await import('./deploy/record-deployment.js');
      return recordDeployment(
        await store(),
        {
          service: serviceOf(input.service),
          version: versionOf(input.version),
          environment: environmentName(input.environment),
          at: now(),
          ...(input.by ? { by: input.by } : {}),
          keepOthers: input.keepOthers ?? false,
        },
        {
          newEnvironment: input.newEnvironment ?? false,
          allowUnknownVersion: input.allowUnknownVersion ?? false,
        },
      );
    },

    async recordUndeployment(input) {
      const { recordUndeployment } = await import('./deploy/record-deployment.js');
      return recordUndeployment(await store(), {
        service: serviceOf(input.service),
        environment: environmentName(input.environment),
        ...(input.version === undefined ? {} : { version: versionName(input.version) }),
        at: now(),
        ...(input.by ? { by: input.by } : {}),
      });
    },

    async canIDeploy(input) {
      const { canIDeploy } = await import('./deploy/can-i-deploy.js');
      const { environment, ignore = [], service, version, ...options } = input;
      return canIDeploy(
        await store(),
        {
          service: serviceOf(service),
          version: versionOf(version),
          environment: environmentName(environment),
          ignore: ignore.map((name) => serviceName(name, 'ignore')),
        },
        options,
      );
    },

    async status(input = {}) {
      const environment = input.environment === undefined ? undefined : environmentName(input.environment);
      const contracts = await store();
      const snapshot = await contracts.snapshot();
      const selection = environment ? { environment } : {};
      const [{ readStatus }, { readMatrix }] = await Promise.all([
        import('./status/status.js'),
        import('./status/matrix.js'),
      ]);
      const [report, matrix] = await Promise.all([
        readStatus(snapshot, { ...selection, allVersions: input.allVersions ?? false }),
        input.matrix ? readMatrix(snapshot, selection) : undefined,
      ]);
      return {
        contracts: contracts.description,
        branch: contracts.branch,
        ...report,
        ...(matrix ? { matrix } : {}),
      };
    },

    async pending(input = {}) {
      const provider =
        input.provider === undefined ? requireProvider(config) : serviceName(input.provider, 'provider');
      const { listPending } = await import('./verify/pending.js');
      const { snapshot, source } = await (await store()).read(input.offline ? 'offline' : 'fresh');
      return { ...(await listPending(snapshot, provider)), source };
    },

    async diff(input) {
      const { compareSpecSides } = await import('./provider-spec/compare-sides.js');
      return compareSpecSides(input.base, input.revision, {
        cwd: config.cwd,
        env: config.env,
        snapshot: async () => (await store()).snapshot(),
        allowRemoteRefs: input.allowRemoteRefs ?? false,
        strict: input.strict ?? false,
        ...(input.ignoreFile === undefined ? {} : { ignoreFile: input.ignoreFile }),
        ...(input.provider ? { provider: serviceName(input.provider, 'provider') } : {}),
        ...(input.onProgress ? { onProgress: input.onProgress } : {}),
      });
    },

    async verify(input) {
      const { provider, version, ...request } = input;
      // An explicit `testRun: undefined` means none (the CLI's default); absent means the configuration's.
      const testRun = 'testRun' in input ? input.testRun : config.testRun;
      const { verifyProvider } = await import('./verify/verify.js');
      const maxResponseBytes = request.maxResponseBytes ?? config.file.verify?.maxResponseBytes;
      return verifyProvider(await store(), {
        ...request,
        ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
        provider: provider === undefined ? requireProvider(config) : serviceName(provider, 'provider'),
        version: versionOf(version),
        ...(testRun ? { testRun } : {}),
        ...(config.branch ? { branch: config.branch } : {}),
        ...(config.commit ? { commit: config.commit } : {}),
        now: now(),
        redact: mergeRedaction(config.file.redact, request.redact),
      });
    },

    async prune(input = {}) {
      const { parseAge } = await import('./fixtures/dates.js');
      const { prune } = await import('./prune/prune.js');
      const olderThan = input.olderThan ?? DEFAULT_PRUNE_AGE;
      const cutoff =
        olderThan instanceof Date ? olderThan : parseAge(olderThan, new Date(now()), 'olderThan');
      return prune(await store(), { cutoff, dryRun: input.dryRun ?? false });
    },

    async report(input) {
      const { writeReport } = await import('./report/report.js');
      const contracts = await store();
      return writeReport({
        snapshot: await contracts.snapshot(),
        out: resolve(config.cwd, input.out),
        location: contracts.description,
        branch: contracts.branch,
        generatedAt: now(),
        ...(input.webUrl ? { webUrl: checkWebUrl(input.webUrl) } : {}),
      });
    },

    async changes(from, to) {
      const { readChanges } = await import('./changes/read.js');
      return readChanges(await store(), from, to);
    },

    async importPacts(input) {
      const { loadPactFiles } = await import('./pact/load.js');
      const { importPacts } = await import('./pact/import.js');
      const pacts = await loadPactFiles(input.files, config.cwd);
      return importPacts(await store(), {
        pacts,
        consumerVersion: versionOf(input.consumerVersion),
        ...(config.branch ? { branch: config.branch } : {}),
        ...(config.commit ? { commit: config.commit } : {}),
        now: now(),
        ...(config.file.redact ? { redact: config.file.redact } : {}),
      });
    },

    async exportPacts(input = {}) {
      const { exportPacts } = await import('./pact/export.js');
      return exportPacts(await (await store()).snapshot(), {
        consumer: serviceOf(input.consumer, 'consumer'),
        version: versionOf(input.version),
        ...(input.provider ? { provider: input.provider } : {}),
        specVersion: input.specVersion ?? 3,
      });
    },

    async listFixtures(filter = {}) {
      const { listFixtures } = await import('./fixtures/select.js');
      const contracts = await store();
      const snapshot = await contracts.snapshot('fresh-or-cached');
      return {
        contracts: contracts.description,
        branch: contracts.branch,
        commit: snapshot.commit,
        fixtures: (await listFixtures(snapshot, filter)).map((stored) => stored.fixture),
      };
    },

    async showFixture(id) {
      const { findFixture } = await import('./fixtures/select.js');
      return findFixture(await (await store()).snapshot('fresh-or-cached'), id);
    },

    async proposeFixtures(input) {
      const service = serviceOf(input.service);
      const { proposeFixtures } = await import('./fixtures/propose.js');
      return proposeFixtures(await store(), {
        file: resolve(config.cwd, input.file),
        service,
        ...(input.version ? { version: versionName(input.version) } : {}),
        ...(input.testRun ? { testRun: input.testRun } : {}),
        ...(config.commit ? { commit: config.commit } : {}),
        now: now(),
        ...(config.file.redact ? { redact: config.file.redact } : {}),
      });
    },

    async reviewFixtures(action, target, options = {}) {
      const [{ reviewFixtures }, { pullRequestHost }, { githubAccess }] = await Promise.all([
        import('./fixtures/review.js'),
        import('./pull-request/pull-request.js'),
        import('./pull-request/access.js'),
      ]);
      const contracts = await store();
      return reviewFixtures(contracts, action, target, {
        now: now(),
        direct: options.direct ?? false,
        ...(options.branch ? { branch: options.branch } : {}),
        host: pullRequestHost(config.contracts, config.file.pullRequests),
        access: await githubAccess(config.env),
      });
    },

    async createMock(provider, version = 'latest', options = {}) {
      const { startConsumerMock } = await import('./consumer/mock.js');
      return startConsumerMock({ config, openStore: store, now }, provider, version, options);
    },
  };
}

/** The time recorded in records: ENTENTE_NOW fixes it (tests, demos), as in the CLI. */
function clockFrom(env: Record<string, string | undefined>): string {
  const fixed = env.ENTENTE_NOW;
  if (fixed === undefined) return new Date().toISOString();
  if (Number.isNaN(Date.parse(fixed))) {
    throw new ConfigError('config.now', `ENTENTE_NOW: ${JSON.stringify(fixed)} is not an ISO timestamp`);
  }
  return new Date(fixed).toISOString();
}

/** As `entente report --web-url` checks it: the site links to it, so only http(s). */
function checkWebUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError('input.web-url', `webUrl: ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError('input.web-url', `webUrl: ${JSON.stringify(value)} must be an http(s) URL`);
  }
  return value.replace(/\/+$/, '');
}

function requireProvider(config: EntenteConfig): string {
  if (config.service) return config.service;
  throw new ConfigError(
    'config.service-missing',
    'no provider: pass provider, set ENTENTE_SERVICE, add `service:` to .entente.yml, or run where a package.json has a name',
  );
}
