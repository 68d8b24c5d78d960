/**
 * `entente verify` and the library's `verify`: select the contracts, replay
 * them against the running provider, and commit the results (and provider
 * fixture drafts) in one transaction.
 */

import { checkEnvironmentKnown } from '../deploy/known-names.js';
import { InputError } from '../errors.js';
import { environmentName, serviceName, versionName } from '../model/names.js';
import { readProviderSpec } from '../provider-spec/read.js';
import { createRedactor, type RedactionConfig } from '../redact/redact.js';
import { redactUrl } from '../redact/shapes.js';
import { readPolicy } from '../store/policy.js';
import type { ContractsStore } from '../store/store.js';
import { pendingContracts } from './pending-contracts.js';
import { DEFAULT_MAX_RESPONSE_BYTES, type RequestFilter } from './replay.js';
import { writeResults } from './results.js';
import { type ContractOutcome, replayContracts, type VerifyProgress } from './run.js';
import { type ConsumerSelector, selectContracts } from './select.js';
import { type Cleanup, type StateHandlers, stateRunner } from './states.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAIN_BRANCHES = ['main', 'master'];

export interface VerifyRequest {
  provider: string;
  /** The provider version being verified: results are stored under it. */
  version: string;
  /** Where the running provider listens; recorded paths are appended to it. */
  baseUrl: string;
  /** Only consumer versions deployed in this environment. */
  environment?: string;
  /** Only these consumers; with a version, exactly that consumer version. */
  consumers?: ConsumerSelector[];
  stateHandlers?: StateHandlers;
  /** A provider in any language: POSTed `{ consumer, state, params, operation, action }`. */
  stateUrl?: string;
  /** After each interaction (after its states are torn down). */
  cleanup?: Cleanup;
  /** Set on every replayed request; replaces redacted secrets (`Authorization: Bearer …`). */
  headers?: Record<string, string>;
  /** Set on every replayed request that has this query parameter (`key`, `sig`…). */
  query?: Record<string, string>;
  /** Put in every redacted request body field of this name (JSON, form, multipart): `password`. */
  fields?: Record<string, string>;
  requestFilter?: RequestFilter;
  /** What to redact from the provider's answers, on top of the built-in list (`.entente.yml`'s `redact`). */
  redact?: RedactionConfig;
  /** Per request (and per state URL call). Default 30 s. */
  timeoutMs?: number;
  /**
   * The largest response body read (and state URL answer), in bytes: a larger
   * one fails its interaction, abandoned unread. Default 10 MiB.
   */
  maxResponseBytes?: number;
  /** Commit the results to the contracts repository. Default true. */
  publish?: boolean;
  testRun?: string;
  /** The provider's source branch and commit, stored with its version and results. */
  branch?: string;
  commit?: string;
  failOnSpecDrift?: boolean;
  /** A pending contract (never verified successfully by any provider version) that fails fails the verification. */
  failOnPending?: boolean;
  /** Also verify, as pending, the latest contracts of consumer branches other than the main ones updated since (ISO 8601 date or time). */
  includeWipSince?: string;
  /** The time stored in records. */
  now: string;
  onProgress?: (progress: VerifyProgress) => void;
}

export interface VerifyResult {
  provider: string;
  providerVersion: string;
  baseUrl: string;
  /** True when every interaction passed (also when there was nothing to verify). */
  success: boolean;
  /** The spec responses were checked against for drift; null when this provider version has none. */
  spec: { version: string; hash: string } | null;
  contracts: ContractOutcome[];
  summary: {
    contracts: number;
    interactions: number;
    passed: number;
    failed: number;
    specDrift: number;
    /** Pending contracts verified (see `ContractOutcome.pending`). */
    pending: number;
    /** Failed interactions of pending contracts: reported, recorded, not failing. */
    pendingFailed: number;
  };
  /** Null with --no-publish, or when there was nothing to verify. */
  published: {
    commit: string | null;
    committed: boolean;
    verifications: number;
    fixtureDrafts: number;
  } | null;
  warnings: string[];
}

export async function verifyProvider(store: ContractsStore, request: VerifyRequest): Promise<VerifyResult> {
  const provider = serviceName(request.provider, '--provider');
  const version = versionName(request.version, '--version');
  const environment =
    request.environment === undefined ? undefined : environmentName(request.environment, '--environment');
  const baseUrl = httpUrl(request.baseUrl, '--base-url');
  const stateUrl = request.stateUrl === undefined ? undefined : httpUrl(request.stateUrl, '--state-url');
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new InputError(
      'input.timeout',
      `--timeout: expected a positive number of milliseconds, got ${timeoutMs}`,
    );
  }

  const maxResponseBytes = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes <= 0) {
    throw new InputError(
      'input.max-response-bytes',
      `--max-response-bytes: expected a positive whole number of bytes, got ${maxResponseBytes}`,
      { details: [{ where: '--max-response-bytes', message: 'expected e.g. 10485760 (10 MiB)' }] },
    );
  }

  const includeWipSince =
    request.includeWipSince === undefined
      ? undefined
      : isoTime(request.includeWipSince, '--include-wip-since');

  const snapshot = await store.snapshot();
  const policy = await readPolicy(snapshot);
  if (environment) await checkEnvironmentKnown(snapshot, policy, environment);
  const targets = await selectContracts(snapshot, {
    provider,
    ...(environment ? { environment } : {}),
    ...(request.consumers ? { consumers: request.consumers } : {}),
    mainBranches: policy.mainBranches ?? DEFAULT_MAIN_BRANCHES,
    ...(includeWipSince ? { includeWipSince } : {}),
  });
  const pending = await pendingContracts(
    snapshot,
    provider,
    targets.map((t) => t.hash),
  );

  const warnings: string[] = [];
  const spec = await readProviderSpec(snapshot, provider, version).catch((error: unknown) => {
    if (error instanceof InputError && error.code === 'input.spec-missing') {
      warnings.push(
        `${provider}@${version} has no published spec: responses were not checked for spec drift`,
      );
      return undefined;
    }
    throw error;
  });

  const redactor = createRedactor(request.redact);
  for (const supplied of [request.headers, request.query, request.fields])
    redactor.remember(...Object.values(supplied ?? {}));

  const unhandled = new Set<string>();
  const prepare = stateRunner({
    ...(request.stateHandlers ? { handlers: request.stateHandlers } : {}),
    ...(stateUrl ? { stateUrl } : {}),
    ...(request.cleanup ? { cleanup: request.cleanup } : {}),
    timeoutMs,
    maxResponseBytes,
  });
  const replayed = await replayContracts(targets, {
    baseUrl,
    supplied: {
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.query ? { query: request.query } : {}),
      ...(request.fields ? { fields: request.fields } : {}),
    },
    ...(request.requestFilter ? { requestFilter: request.requestFilter } : {}),
    timeoutMs,
    maxResponseBytes,
    prepare: async (consumer, interaction) => {
      const prepared = await prepare(consumer, interaction);
      for (const state of prepared.unhandled) unhandled.add(state);
      return prepared;
    },
    ...(spec ? { spec: spec.document } : {}),
    ...(request.failOnSpecDrift ? { failOnSpecDrift: true } : {}),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    redactor,
  });
  for (const state of unhandled) {
    warnings.push(`no state handler for provider state ${JSON.stringify(state)}: it was not set up`);
  }

  const contracts = replayed.map((c) => ({ ...c, pending: pending.has(c.contract) }));
  const interactions = contracts.flatMap((c) => c.interactions);
  const passed = interactions.filter((i) => i.success).length;
  const held = contracts.filter((c) => request.failOnPending || !c.pending);
  const pendingFailed = contracts
    .filter((c) => c.pending)
    .reduce((sum, c) => sum + c.interactions.filter((i) => !i.success).length, 0);
  const result: VerifyResult = {
    provider,
    providerVersion: version,
    baseUrl: redactUrl(baseUrl),
    success: held.every((c) => c.success),
    spec: spec ? { version: spec.version, hash: spec.hash } : null,
    contracts,
    summary: {
      contracts: contracts.length,
      interactions: interactions.length,
      passed,
      failed: interactions.length - passed,
      specDrift: interactions.filter((i) => i.specDrift.length > 0).length,
      pending: contracts.filter((c) => c.pending).length,
      pendingFailed,
    },
    published: null,
    warnings: warnings.map(redactor.text),
  };
  if (request.publish === false || contracts.length === 0) return result;

  const verdict = result.success ? 'passed' : 'failed';
  const outcome = await store.transact(
    `entente: verify ${provider}@${version} against ${contracts.length} contract${contracts.length === 1 ? '' : 's'} (${verdict})`,
    (context) =>
      writeResults(context, {
        provider,
        providerVersion: version,
        ...(request.branch ? { branch: request.branch } : {}),
        ...(request.commit ? { commit: request.commit } : {}),
        ...(request.testRun ? { testRun: request.testRun } : {}),
        now: request.now,
        outcomes: contracts,
        targets,
        redactor,
      }),
  );
  result.published = {
    commit: outcome.commit,
    committed: outcome.committed,
    verifications: contracts.length,
    fixtureDrafts: outcome.result,
  };
  return result;
}

function httpUrl(value: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError('input.url', `${flag}: ${JSON.stringify(value)} is not an http(s) URL`, {
      details: [{ where: flag, message: 'expected e.g. http://localhost:4001' }],
    });
  }
  return url.toString().replace(/\/$/, '');
}

/** An ISO 8601 date or date-time, as given; InputError naming the flag otherwise. */
function isoTime(value: string, flag: string): string {
  if (
    !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ||
    Number.isNaN(Date.parse(value))
  ) {
    throw new InputError('input.date', `${flag}: ${JSON.stringify(value)} is not a date`, {
      details: [{ where: flag, message: 'expected an ISO 8601 date or time, e.g. 2026-11-01' }],
    });
  }
  return value;
}
