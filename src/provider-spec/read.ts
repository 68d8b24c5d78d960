import { InputError, RecordError } from '../errors.js';
import { BranchRecord, DeploymentRecord, VersionRecord } from '../model/records.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { endlessReferenceCycles } from '../openapi/reference-cycles.js';
import { specDisagreement } from '../store/agreement.js';
import { layout } from '../store/layout.js';
import { DEFAULT_MAIN_BRANCHES } from '../store/policy.js';
import type { Snapshot } from '../store/snapshot.js';
import { compareText } from '../util/compare-text.js';
import { parseJsonOrYaml } from '../util/parse.js';

/** Which provider version's spec: an exact version, the latest published, or what is deployed somewhere. */
export type SpecSelector = string | 'latest' | { environment: string };

export interface RepoSpec {
  provider: string;
  version: string;
  hash: string;
  document: OpenApiDocument;
}

/** The spec a selector points at in the contracts repository; InputError saying what is missing otherwise. */
export async function readProviderSpec(
  snapshot: Snapshot,
  provider: string,
  selector: SpecSelector,
  mainBranches: readonly string[] = DEFAULT_MAIN_BRANCHES,
): Promise<RepoSpec> {
  const version = await selectVersion(snapshot, provider, selector, mainBranches);
  const record = await snapshot.readRecord(VersionRecord, layout.version(provider, version));
  if (!record?.spec) {
    throw new InputError(
      'input.spec-missing',
      `${provider}@${version} has no published spec in the contracts repository`,
      {
        details: [{ where: `${provider}@${version}`, message: 'publish one with `entente publish-spec`' }],
      },
    );
  }
  return {
    provider,
    version,
    hash: record.spec.hash,
    document: await readSpecDocument(snapshot, provider, record.spec.hash, version),
  };
}

/**
 * A stored spec that entente refuses to use: it was stored by an older
 * entente, or planted, and holds what publish-spec now refuses (a reference
 * cycle that would make the mock and the validators recurse forever).
 */
export class RefusedSpecError extends RecordError {
  constructor(
    readonly provider: string,
    readonly version: string | undefined,
    path: string,
    problems: { pointer: string; message: string }[],
  ) {
    const which = version === undefined ? `a spec of ${provider}` : `the spec of ${provider}@${version}`;
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super(
      'record.spec-refused',
      `contracts repository file ${path} (${which}) is refused: #${first.pointer} ${first.message}${more}; replace it with a fixed spec (\`entente publish-spec --force\`${version === undefined ? '' : ` for ${provider}@${version}`})`,
      { details: problems.map((p) => ({ where: `${path}#${p.pointer}`, message: p.message })) },
    );
  }
}

/** Stored specs (by path, which names their content hash) re-checked in this process and found usable. */
const usable = new Set<string>();

/**
 * A stored spec, read back and re-checked: specs stored by older versions of
 * entente were not refused for what it refuses now, and the repository may
 * hold files nobody published. RefusedSpecError (exit 3) instead of a stack
 * overflow later. `version` only names it in messages.
 */
export async function readSpecDocument(
  snapshot: Snapshot,
  provider: string,
  hash: string,
  version?: string,
): Promise<OpenApiDocument> {
  const path = layout.spec(provider, hash);
  const text = await snapshot.read(path);
  if (text === undefined) {
    throw new InputError('input.spec-missing', `contracts repository file ${path} is missing`);
  }
  const document = await parseJsonOrYaml(text, path);
  const disagreement = specDisagreement(path, document);
  if (disagreement !== undefined) {
    throw new RecordError(
      'record.disagrees',
      `contracts repository file ${path} disagrees with its path: ${disagreement}; entente does not believe it (fix or remove the file)`,
      { details: [{ where: path, message: disagreement }] },
    );
  }
  if (!usable.has(path)) {
    const problems = storedSpecProblems(document);
    if (problems.length > 0) throw new RefusedSpecError(provider, version, path, problems);
    usable.add(path);
  }
  return document as OpenApiDocument;
}

/** Pure: what makes a stored document unusable (cheap: no full OpenAPI validation). */
function storedSpecProblems(document: unknown): { pointer: string; message: string }[] {
  const openapi = (document as { openapi?: unknown } | null)?.openapi;
  if (
    document === null ||
    typeof document !== 'object' ||
    Array.isArray(document) ||
    typeof openapi !== 'string' ||
    !/^3\.[01]\./.test(openapi)
  ) {
    return [{ pointer: '', message: 'is not an OpenAPI 3.0 or 3.1 document' }];
  }
  return endlessReferenceCycles(document);
}

async function selectVersion(
  snapshot: Snapshot,
  provider: string,
  selector: SpecSelector,
  mainBranches: readonly string[],
): Promise<string> {
  if (typeof selector === 'object') {
    const deployment = await snapshot.readRecord(
      DeploymentRecord,
      layout.deployment(selector.environment, provider),
    );
    const newest = deployment?.deployed.at(-1);
    if (!newest) {
      throw new InputError('input.not-deployed', `${provider} is not deployed in ${selector.environment}`, {
        details: [
          {
            where: 'environment',
            message: `record a deployment of ${provider} to ${selector.environment} first`,
          },
        ],
      });
    }
    return newest.version;
  }
  if (selector !== 'latest') return selector;
  for (const branch of mainBranches) {
    const pointer = await snapshot.readRecord(BranchRecord, layout.branch(provider, branch));
    if (pointer) {
      const record = await snapshot.readRecord(
        VersionRecord,
        layout.version(provider, pointer.latestVersion),
      );
      if (record?.spec) return pointer.latestVersion;
    }
  }
  const files = (await snapshot.list(layout.versionsDir(provider)))
    .filter((e) => e.type === 'blob')
    .map((e) => e.path);
  const withSpecs = [...(await snapshot.readRecords(VersionRecord, files)).values()].filter((r) => r.spec);
  const newest = withSpecs.sort((a, b) =>
    compareText(b.spec?.publishedAt ?? '', a.spec?.publishedAt ?? ''),
  )[0];
  if (!newest) {
    throw new InputError(
      'input.spec-missing',
      `${provider} has no published spec in the contracts repository`,
      {
        details: [{ where: provider, message: 'publish one with `entente publish-spec`' }],
      },
    );
  }
  return newest.version;
}
