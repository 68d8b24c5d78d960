import { InputError } from '../errors.js';
import { type ConsumerImpact, consumerImpact, isBreaking } from '../openapi/diff/consumer-impact.js';
import { diffSpecs } from '../openapi/diff/diff-specs.js';
import type { DiffFinding } from '../openapi/diff/findings.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { layout } from '../store/layout.js';
import { mainBranchesOf, readPolicy } from '../store/policy.js';
import type { Snapshot } from '../store/snapshot.js';
import type { ContractsStore } from '../store/store.js';
import { updateVersion, type VersionIdentity } from '../store/versions.js';
import { prettyJson } from '../util/canonical-json.js';
import { readConsumerContracts } from './consumer-contracts.js';
import { RefusedSpecError, type RepoSpec, readProviderSpec } from './read.js';

/** A spec ready to store: validated, bundled, hashed (see load.ts). */
export interface PublishableSpec {
  document: OpenApiDocument;
  openapi: string;
  title?: string;
  convertedFrom?: 'swagger-2.0';
  hash: string;
}

export interface PublishSpecResult {
  service: string;
  version: string;
  hash: string;
  /** 'published': recorded now; 'unchanged': this version already had this exact spec. */
  outcome: 'published' | 'unchanged' | 'replaced';
  /** True when an identical document was already stored for this service (it is stored once). */
  reusedDocument: boolean;
  commit: string | null;
}

/** What publishing a spec did: the breaking changes it found, and what it stored. */
export interface SpecPublication {
  /** What the spec breaks in the latest published version; undefined when nothing. */
  breakingChanges?: BreakingChanges;
  /** Undefined when `failOnBreaking` refused to publish. */
  published?: PublishSpecResult;
}

/**
 * Stores a provider version's spec. Documents are content-addressed per
 * service, so identical specs are stored once; a version's spec is immutable
 * unless `force` is given. Before storing, the spec is compared with the
 * latest published one as of the commit the write builds on (read through
 * the transaction's own reads, again on every retry); `failOnBreaking`
 * stores nothing when that finds a breaking change.
 */
export async function publishSpec(
  store: ContractsStore,
  spec: PublishableSpec,
  identity: VersionIdentity,
  options: { now: string; force?: boolean; failOnBreaking?: boolean },
): Promise<SpecPublication> {
  const { service, version } = identity;
  const outcome = await store.transact(`entente: publish-spec ${service}@${version}`, async (context) => {
    const breakingChanges = await breakingChangesSinceLatest(context.snapshot, identity, spec.document);
    if (breakingChanges && options.failOnBreaking) return { breakingChanges, stored: undefined };
    const specPath = layout.spec(service, spec.hash);
    const reusedDocument = (await context.snapshot.read(specPath)) !== undefined;
    let previous: string | undefined;
    await updateVersion(context, identity, options.now, (record) => {
      previous = record.spec?.hash;
      if (previous === spec.hash) return record;
      if (previous && !options.force) {
        throw new InputError(
          'input.spec-immutable',
          `${service}@${version} already has a different spec (${previous.slice(0, 12)}); publish it under a new version, or pass --force to replace it`,
          { details: [{ where: '--version', message: 'expected a version without a spec, or --force' }] },
        );
      }
      return {
        ...record,
        spec: {
          hash: spec.hash,
          openapi: spec.openapi,
          ...(spec.title ? { title: spec.title } : {}),
          ...(spec.convertedFrom ? { convertedFrom: spec.convertedFrom } : {}),
          publishedAt: options.now,
        },
      };
    });
    if (!reusedDocument) context.changes.write(specPath, prettyJson(spec.document));
    return { breakingChanges, stored: { reusedDocument, previous } };
  });
  const { breakingChanges, stored } = outcome.result;
  return {
    ...(breakingChanges ? { breakingChanges } : {}),
    ...(stored
      ? {
          published: {
            service,
            version,
            hash: spec.hash,
            outcome: stored.previous === spec.hash ? 'unchanged' : stored.previous ? 'replaced' : 'published',
            reusedDocument: stored.reusedDocument,
            commit: outcome.commit,
          },
        }
      : {}),
  };
}

export interface BreakingChanges {
  /** The published version compared with, `service@version`. */
  against: string;
  /** Errors, and warnings about response bodies. */
  findings: DiffFinding[];
  impact: ConsumerImpact;
}

/**
 * What `entente diff service@latest <spec>` would report as breaking, for
 * `publish-spec` to warn before storing; undefined when the service has no
 * published spec yet, or the latest is this version.
 */
async function breakingChangesSinceLatest(
  snapshot: Snapshot,
  identity: { service: string; version: string },
  document: OpenApiDocument,
): Promise<BreakingChanges | undefined> {
  const { service, version } = identity;
  const mainBranches = mainBranchesOf(await readPolicy(snapshot));
  let latest: RepoSpec;
  try {
    latest = await readProviderSpec(snapshot, service, 'latest', mainBranches);
  } catch (error) {
    if (error instanceof InputError && error.code === 'input.spec-missing') return undefined;
    // Replacing a refused spec (--force) is how it is repaired: there is nothing usable to compare with.
    if (error instanceof RefusedSpecError && error.version === version) return undefined;
    throw error;
  }
  if (latest.version === version) return undefined;
  const findings = diffSpecs(latest.document, document).filter(isBreaking);
  const contracts = await readConsumerContracts(snapshot, service);
  const impact = consumerImpact(service, findings, contracts, latest.document, document);
  if (findings.length === 0 && impact.hurt.length === 0) return undefined;
  return { against: `${service}@${latest.version}`, findings, impact };
}
