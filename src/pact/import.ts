/**
 * `entente import-pact`: pact files become entente contracts. Pure part:
 * a pact interaction as an entente interaction (what the pact expects is
 * what the consumer relies on; values without a relaxing rule are pinned;
 * rules and generators kept under `pact`). Shell: every file's contracts
 * published in one transaction.
 */

import { formatBodyPath, generalizeLocation, type LocationStep } from '../contract/body-path.js';
import { isPlainObject } from '../contract/relies-on.js';
import { InputError } from '../errors.js';
import { serviceName, versionName } from '../model/names.js';
import { ContractRecord, type Interaction, type PactRules, VersionRecord } from '../model/records.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { routeRecordedRequest } from '../openapi/router.js';
import { readProviderSpec } from '../provider-spec/read.js';
import { buildContract, contractHash } from '../record/publish.js';
import { createRedactor, type RedactionConfig, type Redactor, redactExchange } from '../redact/redact.js';
import { layout } from '../store/layout.js';
import { readPolicy } from '../store/policy.js';
import type { ContractsStore, TransactionContext } from '../store/store.js';
import { updateVersion } from '../store/versions.js';
import { contentHash } from '../util/canonical-json.js';
import type { PactDocument, PactHttpInteraction } from './pact-file.js';
import { pathRules, selectRules } from './rules.js';

/**
 * A pacticipant name as an entente service name: lower case, runs of other
 * characters as `-` ("Castle Client" → castle-client). InputError naming the
 * file and field when nothing usable is left.
 */
export function serviceNameOfPacticipant(name: string, file: string, field: string): string {
  const normalized = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64);
  return serviceName(normalized, `${file}: ${field}.name`);
}

/** Names an imported request the way recordings do: the spec's operationId (or METHOD /template), else METHOD /path. */
export type OperationResolver = (method: string, path: string) => string;

export function operationResolver(spec: OpenApiDocument | undefined): OperationResolver {
  return (method, path) => {
    if (spec) {
      const route = routeRecordedRequest(spec, method, path);
      if (route.kind === 'match') return route.operationId ?? route.operationKey;
    }
    return `${method} ${path}`;
  };
}

/** Pure: one pact interaction as the entente interaction a contract stores. */
export function toEntenteInteraction(pact: PactHttpInteraction, operation: string): Interaction {
  const { request, response } = pact;
  const query = request.query
    ? Object.fromEntries(
        Object.entries(request.query).map(([name, values]) => [
          name,
          values.length === 1 ? values[0]! : values,
        ]),
      )
    : undefined;
  const pins = response.body === undefined ? [] : pinnedPaths(response.body, pact.responseRules?.body);
  const rules = (matchingRules?: Record<string, unknown>, generators?: Record<string, unknown>) => {
    const side: PactRules = {
      ...(matchingRules ? { matchingRules } : {}),
      ...(generators ? { generators } : {}),
    };
    return Object.keys(side).length ? side : undefined;
  };
  const requestRules = rules(pact.requestRules, pact.requestGenerators);
  const responseRules = rules(pact.responseRules, pact.responseGenerators);
  const content = {
    operation,
    ...(pact.providerStates.length
      ? {
          given: pact.providerStates.map((s) => ({
            state: s.name,
            ...(s.params ? { params: s.params } : {}),
          })),
        }
      : {}),
    request: {
      method: request.method,
      path: request.path,
      ...(query ? { query } : {}),
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
    },
    response: {
      status: response.status,
      ...(response.headers ? { headers: response.headers } : {}),
      ...(response.body !== undefined ? { body: response.body } : {}),
      // Pact requires everything its expected body lists: the consumer declared it relies on all of it.
      reliesOn: response.body !== undefined ? [''] : [],
      ...(pins.length ? { pins } : {}),
    },
    pact: {
      ...(requestRules ? { request: requestRules } : {}),
      ...(responseRules ? { response: responseRules } : {}),
    },
  };
  return {
    id: contentHash(content),
    ...(pact.description ? { description: pact.description } : {}),
    ...content,
  };
}

/**
 * Body paths whose values the pact holds equal: every leaf no rule relaxes
 * (no rule, or an equality rule), in the `[]` path syntax, once each.
 */
export function pinnedPaths(body: unknown, bodyRules: unknown): string[] {
  const rules = pathRules(bodyRules, 'matchingRules.body');
  const pins = new Set<string>();
  const walk = (value: unknown, steps: LocationStep[]): void => {
    const selected = selectRules(rules, steps);
    const relaxed = selected?.rule.rules.matchers.some((m) => m.match !== 'equality') ?? false;
    if (relaxed) return;
    if (Array.isArray(value) && value.length > 0) {
      value.forEach((element, index) => {
        walk(element, [...steps, index]);
      });
      return;
    }
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [name, child] of Object.entries(value)) walk(child, [...steps, name]);
      return;
    }
    pins.add(formatBodyPath(generalizeLocation(steps)));
  };
  walk(body, []);
  return [...pins].sort();
}

export interface ImportPactRequest {
  pacts: PactDocument[];
  consumerVersion: string;
  branch?: string;
  commit?: string;
  now: string;
  /** The configuration's `redact` (docs/security.md): secrets in pact files never reach the repository. */
  redact?: RedactionConfig;
}

export interface ImportedContract {
  files: string[];
  consumer: string;
  consumerVersion: string;
  provider: string;
  specVersions: number[];
  hash: string;
  interactions: number;
  newContent: boolean;
  /** The provider version whose spec named the operations; null when the provider has no published spec. */
  operationsFrom: string | null;
}

export interface ImportPactResult {
  contracts: ImportedContract[];
  commit: string | null;
  committed: boolean;
}

/** Publishes the contracts of every pact in one transaction (pacts of the same pair are merged). */
export async function importPacts(
  store: ContractsStore,
  request: ImportPactRequest,
): Promise<ImportPactResult> {
  const consumerVersion = versionName(request.consumerVersion, '--consumer-version');
  if (request.pacts.length === 0)
    throw new InputError(
      'input.pact-missing',
      'import-pact: no pact files given (or none in the folders given)',
    );
  const groups = new Map<string, { consumer: string; provider: string; pacts: PactDocument[] }>();
  for (const pact of request.pacts) {
    const consumer = serviceNameOfPacticipant(pact.consumer, pact.file, 'consumer');
    const provider = serviceNameOfPacticipant(pact.provider, pact.file, 'provider');
    const key = `${consumer}>${provider}`;
    const group = groups.get(key) ?? { consumer, provider, pacts: [] };
    group.pacts.push(pact);
    groups.set(key, group);
  }
  const names = [...groups.values()].map((g) => `${g.consumer}@${consumerVersion} → ${g.provider}`);
  const outcome = await store.transact(`entente: import pacts ${names.join(', ')}`, async (context) => {
    const contracts: ImportedContract[] = [];
    for (const group of groups.values())
      contracts.push(await storeImported(context, group, { ...request, consumerVersion }));
    return contracts;
  });
  return { contracts: outcome.result, commit: outcome.commit, committed: outcome.committed };
}

async function storeImported(
  context: TransactionContext,
  group: { consumer: string; provider: string; pacts: PactDocument[] },
  request: ImportPactRequest,
): Promise<ImportedContract> {
  const { snapshot, changes } = context;
  const policy = await readPolicy(snapshot);
  const spec = await readProviderSpec(snapshot, group.provider, 'latest', policy.mainBranches).catch(
    (error: unknown) => {
      if (error instanceof InputError) return undefined;
      throw error;
    },
  );
  const resolve = operationResolver(spec?.document);
  const redactor = createRedactor(request.redact);
  const imported = group.pacts.flatMap((pact) =>
    pact.interactions.map((i) =>
      toEntenteInteraction(redactPactInteraction(i, redactor), resolve(i.request.method, i.request.path)),
    ),
  );
  const version = await snapshot.readRecord(
    VersionRecord,
    layout.version(group.consumer, request.consumerVersion),
  );
  const previousHash = version?.contracts?.[group.provider]?.hash;
  const previous = previousHash
    ? await snapshot.readRecord(ContractRecord, layout.contract(group.provider, group.consumer, previousHash))
    : undefined;
  const contract = buildContract(group.consumer, group.provider, [
    ...(previous?.interactions ?? []),
    ...imported,
  ]);
  const hash = contractHash(contract);
  const path = layout.contract(group.provider, group.consumer, hash);
  const newContent = (await snapshot.read(path)) === undefined;
  if (newContent) changes.writeRecord(ContractRecord, path, contract);
  await updateVersion(
    context,
    {
      service: group.consumer,
      version: request.consumerVersion,
      ...(request.branch ? { branch: request.branch } : {}),
      ...(request.commit ? { commit: request.commit } : {}),
    },
    request.now,
    (record) =>
      previousHash === hash
        ? record
        : {
            ...record,
            contracts: { ...record.contracts, [group.provider]: { hash, publishedAt: request.now } },
          },
  );
  return {
    files: group.pacts.map((p) => p.file),
    consumer: group.consumer,
    consumerVersion: request.consumerVersion,
    provider: group.provider,
    specVersions: [...new Set(group.pacts.map((p) => p.specVersion))],
    hash,
    interactions: contract.interactions.length,
    newContent,
    operationsFrom: spec?.version ?? null,
  };
}

/** A pact interaction with its secrets redacted, as a recorded one would be: headers, query, bodies, state params. */
function redactPactInteraction(pact: PactHttpInteraction, redactor: Redactor): PactHttpInteraction {
  const { request, response } = redactExchange({ request: pact.request, response: pact.response }, redactor);
  return {
    ...pact,
    request: {
      ...request,
      ...(pact.request.query ? { query: request.query as Record<string, string[]> } : {}),
    },
    response,
    providerStates: pact.providerStates.map((state) =>
      state.params ? { ...state, params: redactor.value(state.params) as Record<string, unknown> } : state,
    ),
  };
}
