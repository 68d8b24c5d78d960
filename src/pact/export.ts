/**
 * `entente export-pact`: a consumer version's contracts as pact files (Pact
 * specification V3, or V4). An interaction imported from a pact goes back
 * out as it came in (its rules and generators as kept). Any other interaction
 * says what the consumer relies on with matching rules: the relied-on part
 * of the body with a `type` rule at `$` (it cascades: values by type, extra
 * keys fine, any number of elements), `equality` on pinned paths.
 */
import { type BodyPath, parseBodyPath } from '../contract/body-path.js';
import { headerValue, isJsonMediaType, mediaTypeOf } from '../contract/media-type.js';
import { isPlainObject, reliedOnShape } from '../contract/relies-on.js';
import { InputError } from '../errors.js';
import { serviceName, versionName } from '../model/names.js';
import { ContractRecord, type Interaction, VersionRecord } from '../model/records.js';
import { REDACTED } from '../redact/redact.js';
import { layout } from '../store/layout.js';
import type { Snapshot } from '../store/snapshot.js';
import { compareText } from '../util/compare-text.js';

export type ExportSpecVersion = 3 | 4;

export interface PactFile {
  name: string;
  provider: string;
  contract: string;
  interactions: number;
  pact: Record<string, unknown>;
}

export interface ExportPactRequest {
  consumer: string;
  version: string;
  provider?: string;
  specVersion?: ExportSpecVersion;
}

/** The pact files of a consumer version: one per provider it has a contract with (or the one asked for). */
export async function exportPacts(snapshot: Snapshot, request: ExportPactRequest): Promise<PactFile[]> {
  const consumer = serviceName(request.consumer, '--consumer');
  const version = versionName(request.version, '--version');
  const provider = request.provider === undefined ? undefined : serviceName(request.provider, '--provider');
  const record = await snapshot.readRecord(VersionRecord, layout.version(consumer, version));
  const contracts = Object.entries(record?.contracts ?? {}).filter(
    ([name]) => !provider || name === provider,
  );
  if (contracts.length === 0) {
    const what = provider ? `a contract with ${provider}` : 'any contract';
    throw new InputError(
      'input.contract-missing',
      `${consumer}@${version} has no ${what} in the contracts repository`,
      {
        details: [{ where: provider ? '--provider' : '--version', message: 'publish or import one first' }],
      },
    );
  }
  const files: PactFile[] = [];
  for (const [providerName, { hash }] of contracts.sort(([a], [b]) => compareText(a, b))) {
    const path = layout.contract(providerName, consumer, hash);
    const contract = await snapshot.readRecord(ContractRecord, path);
    if (!contract)
      throw new InputError('input.contract-missing', `contracts repository file ${path} is missing`);
    files.push({
      name: `${consumer}-${providerName}.json`,
      provider: providerName,
      contract: hash,
      interactions: contract.interactions.length,
      pact: toPact(contract, request.specVersion ?? 3, hash),
    });
  }
  return files;
}

/** Pure: a contract as a pact document. */
export function toPact(
  contract: ContractRecord,
  specVersion: ExportSpecVersion,
  hash: string,
): Record<string, unknown> {
  const used = new Set<string>();
  return {
    consumer: { name: contract.consumer },
    provider: { name: contract.provider },
    interactions: contract.interactions.map((interaction) => {
      const http = toPactInteraction(interaction);
      // Pact tells interactions apart by description and provider states.
      const key = JSON.stringify([http.description, http.providerStates]);
      if (used.has(key)) http.description = `${http.description} (${interaction.id.slice(0, 12)})`;
      used.add(JSON.stringify([http.description, http.providerStates]));
      return specVersion === 4 ? asV4(http, interaction.id) : asV3(http);
    }),
    metadata: {
      pactSpecification: { version: specVersion === 4 ? '4.0' : '3.0.0' },
      entente: { contract: hash },
    },
  };
}

interface PactSide {
  headers?: Record<string, string>;
  body?: unknown;
  matchingRules?: Record<string, unknown>;
  generators?: Record<string, unknown>;
}

interface HttpInteraction {
  description: string;
  providerStates?: { name: string; params?: Record<string, unknown> }[];
  request: PactSide & { method: string; path: string; query?: Record<string, string[]> };
  response: PactSide & { status: number };
}

function toPactInteraction(interaction: Interaction): HttpInteraction {
  const { request, response } = interaction;
  const requestHeaders = withoutRedacted(request.headers);
  const query = request.query
    ? Object.fromEntries(
        Object.entries(request.query).map(([name, value]) => [name, Array.isArray(value) ? value : [value]]),
      )
    : undefined;
  const base: HttpInteraction = {
    description: interaction.description ?? `${interaction.operation} ${request.method} ${request.path}`,
    ...(interaction.given?.length
      ? {
          providerStates: interaction.given.map((g) => ({
            name: g.state,
            ...(g.params ? { params: g.params } : {}),
          })),
        }
      : {}),
    request: {
      method: request.method,
      path: request.path,
      ...(query ? { query } : {}),
      ...(requestHeaders ? { headers: requestHeaders } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(interaction.pact?.request ?? {}),
    },
    response: { status: response.status },
  };
  if (interaction.pact) {
    base.response = {
      status: response.status,
      ...(response.headers ? { headers: response.headers } : {}),
      ...(response.body !== undefined ? { body: response.body } : {}),
      ...(interaction.pact.response ?? {}),
    };
    return base;
  }
  base.response = { status: response.status, ...relianceAsRules(interaction) };
  return base;
}

/**
 * What a recorded interaction's consumer relies on, the Pact way. A value the
 * consumer received as null only has to be there in entente; Pact cannot say
 * "present, of any type", so such a field is left out of the exported body.
 */
function relianceAsRules(interaction: Interaction): PactSide {
  const { response } = interaction;
  const shape = reliedOnShape(response.body, response.reliesOn, `interaction ${interaction.id}`);
  const pins = (response.pins ?? []).map(parseBodyPath);
  const pinnedBody = pins.length ? response.body : undefined;
  if (shape === undefined && pinnedBody === undefined) return {};
  const body = withoutNulls(shape ?? pinnedBody);
  const contentType = headerValue(response.headers, 'content-type') ?? 'application/json';
  const media = mediaTypeOf(contentType) ?? 'application/json';
  const rules: Record<string, unknown> = { $: { combine: 'AND', matchers: [{ match: 'type' }] } };
  for (const pin of pins) rules[rulePath(pin)] = { combine: 'AND', matchers: [{ match: 'equality' }] };
  return {
    headers: { 'Content-Type': contentType },
    body,
    matchingRules: {
      body: rules,
      header: {
        'Content-Type': {
          combine: 'AND',
          matchers: [
            {
              match: 'regex',
              regex: isJsonMediaType(media)
                ? 'application/(.+\\+)?json(;.*)?'
                : `${escapeRegExp(media)}(;.*)?`,
            },
          ],
        },
      },
    },
  };
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/** `items[].stock` → `$.items[*].stock`; names that are not plain as `['…']`. */
function rulePath(path: BodyPath): string {
  return `$${path
    .map((segment) =>
      segment.kind === 'every'
        ? '[*]'
        : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment.name)
          ? `.${segment.name}`
          : `['${segment.name.replace(/'/g, "\\'")}']`,
    )
    .join('')}`;
}

function withoutRedacted(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  const kept = Object.entries(headers ?? {}).filter(([, value]) => value !== REDACTED);
  return kept.length ? Object.fromEntries(kept) : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function asV3(http: HttpInteraction): Record<string, unknown> {
  return { ...http };
}

function asV4(http: HttpInteraction, id: string): Record<string, unknown> {
  const side = (part: PactSide) => {
    const { body, headers, ...rest } = part;
    const contentType = headerValue(headers, 'content-type');
    const json =
      body !== undefined &&
      (contentType ? isJsonMediaType(mediaTypeOf(contentType)) : typeof body !== 'string');
    return {
      ...rest,
      ...(headers ? { headers: Object.fromEntries(Object.entries(headers).map(([n, v]) => [n, [v]])) } : {}),
      ...(body !== undefined
        ? {
            body: {
              content: body,
              contentType: contentType ?? (json ? 'application/json' : 'text/plain'),
              encoded: false,
            },
          }
        : {}),
    };
  };
  return {
    type: 'Synchronous/HTTP',
    key: id.slice(0, 16),
    description: http.description,
    ...(http.providerStates ? { providerStates: http.providerStates } : {}),
    pending: false,
    request: side(http.request),
    response: side(http.response),
  };
}
