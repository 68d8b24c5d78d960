/**
 * Consumer impact of a spec change: for every breaking finding, the consumer
 * contracts it breaks (by what their interactions rely on) and those it
 * leaves alone; and, as a second opinion, the static check of every contract
 * against the revision.
 */
import {
  interactionsOfOperation,
  interactionsRelyingOn,
  type OperationTarget,
} from '../../contract/impact.js';
import { headerValue } from '../../contract/media-type.js';
import {
  checkContractStatically,
  isStaticallyCompatible,
  type StaticFinding,
} from '../../contract/static-check.js';
import type { ContractRecord, Interaction } from '../../model/records.js';
import { type OpenApiDocument, serverBasePath } from '../document.js';
import type { DiffFinding } from './findings.js';
import type { RuleId } from './rules.js';

/** A consumer's contract against the provider, with the consumer versions that use it (read by src/provider-spec/consumer-contracts.ts). */
export interface ConsumerContract {
  consumer: string;
  /** The contract's content hash; consumer versions with identical contracts share it. */
  hash: string;
  /** The consumer versions that use this contract, each with why it matters (`deployed in production`, `latest on main`). */
  versions: { version: string; why: string[] }[];
  contract: ContractRecord;
}

export type ContractRef = Omit<ConsumerContract, 'contract'>;

export interface AffectedInteraction {
  interactionId: string;
  operation: string;
  /** The relied-on body paths the change touches; absent when the change concerns the whole interaction (request, status, header). */
  reliedOn?: string[];
}

export interface BreakingImpact {
  /** Index of the finding in the diff's findings. */
  finding: number;
  rule: RuleId;
  broken: (ContractRef & { interactions: AffectedInteraction[] })[];
  /** Consumers none of whose contracts the change touches. */
  untouched: string[];
}

export interface StaticVerdict extends ContractRef {
  compatible: boolean;
  /** Compatible with the base, not with the revision: the change is what breaks it. */
  newlyIncompatible: boolean;
  /** The error-level findings against the revision. */
  findings: StaticFinding[];
}

export interface ConsumerImpact {
  provider: string;
  contracts: ContractRef[];
  breaking: BreakingImpact[];
  staticCheck: StaticVerdict[];
  /** Consumers a breaking change breaks, or whose contract the revision newly fails statically. */
  hurt: string[];
  /** Consumers considered and not hurt. */
  untouched: string[];
}

/** Errors, and warnings about response bodies (a consumer may rely on what they change). */
export function isBreaking(finding: DiffFinding): boolean {
  return (
    finding.level === 'error' || (finding.level === 'warning' && finding.target?.kind === 'response-body')
  );
}

export function consumerImpact(
  provider: string,
  findings: readonly DiffFinding[],
  contracts: readonly ConsumerContract[],
  base: OpenApiDocument,
  revision: OpenApiDocument,
): ConsumerImpact {
  const refs = contracts.map(({ contract: _contract, ...ref }) => ref);
  const consumers = [...new Set(contracts.map((c) => c.consumer))];
  const hurt = new Set<string>();
  const breaking: BreakingImpact[] = [];
  findings.forEach((finding, index) => {
    if (!isBreaking(finding)) return;
    const broken: BreakingImpact['broken'] = [];
    for (const { contract, ...ref } of contracts) {
      const interactions = affectedInteractions(contract, finding, serverBasePath(revision));
      if (interactions.length > 0) broken.push({ ...ref, interactions });
    }
    for (const entry of broken) hurt.add(entry.consumer);
    const brokenConsumers = new Set(broken.map((entry) => entry.consumer));
    breaking.push({
      finding: index,
      rule: finding.rule,
      broken,
      untouched: consumers.filter((consumer) => !brokenConsumers.has(consumer)),
    });
  });
  const staticCheck = contracts.map(({ contract, ...ref }): StaticVerdict => {
    const errors = checkContractStatically(contract, revision).filter((f) => f.level === 'error');
    const compatible = errors.length === 0;
    const newlyIncompatible = !compatible && isStaticallyCompatible(checkContractStatically(contract, base));
    if (newlyIncompatible) hurt.add(ref.consumer);
    return { ...ref, compatible, newlyIncompatible, findings: errors };
  });
  return {
    provider,
    contracts: refs,
    breaking,
    staticCheck,
    hurt: consumers.filter((consumer) => hurt.has(consumer)),
    untouched: consumers.filter((consumer) => !hurt.has(consumer)),
  };
}

/**
 * The interactions of a contract a finding affects. Response bodies: those
 * relying on the changed place. Statuses and headers: those that received
 * them. Parameters: those sending it (or, when it became required, those
 * not sending it). Request bodies: those sending one (or not, when it became
 * required). Operations and security: every interaction of the operation; a
 * changed security scheme: every interaction.
 */
function affectedInteractions(
  contract: ContractRecord,
  finding: DiffFinding,
  basePath: string,
): AffectedInteraction[] {
  const whole = (interactions: Interaction[]): AffectedInteraction[] =>
    interactions.map((interaction) => ({ interactionId: interaction.id, operation: interaction.operation }));
  if (!finding.operation) return whole(contract.interactions);
  const operation: OperationTarget = {
    method: finding.operation.method,
    pathTemplate: finding.operation.path,
    ...(finding.operation.operationId ? { operationId: finding.operation.operationId } : {}),
    basePath,
  };
  const target = finding.target;
  switch (target?.kind) {
    case 'response-body':
      return interactionsRelyingOn(contract, { ...operation, status: target.status, bodyPath: target.path });
    case 'response-status':
      return whole(interactionsOfOperation(contract, { ...operation, status: target.status }));
    case 'response-header':
      return whole(
        interactionsOfOperation(contract, { ...operation, status: target.status }).filter(
          (interaction) => headerValue(interaction.response.headers, target.name) !== undefined,
        ),
      );
    case 'parameter': {
      const all = interactionsOfOperation(contract, operation);
      if (target.in === 'path') return whole(all);
      const newlyRequired =
        finding.rule === 'request.parameter.required-added' ||
        finding.rule === 'request.parameter.became-required';
      return whole(
        all.filter((interaction) => sendsParameter(interaction, target.in, target.name) !== newlyRequired),
      );
    }
    case 'request-body': {
      const newlyRequired =
        finding.rule === 'request.body.required-added' || finding.rule === 'request.body.became-required';
      return whole(
        interactionsOfOperation(contract, operation).filter(
          (interaction) => (interaction.request.body !== undefined) !== newlyRequired,
        ),
      );
    }
    default:
      return whole(interactionsOfOperation(contract, operation));
  }
}

function sendsParameter(interaction: Interaction, location: string, name: string): boolean {
  const { query, headers } = interaction.request;
  if (location === 'query') return query !== undefined && name in query;
  if (location === 'header') return headerValue(headers, name) !== undefined;
  if (location === 'cookie') {
    const cookies = headerValue(headers, 'cookie') ?? '';
    return cookies.split(';').some((pair) => pair.split('=')[0]?.trim() === name);
  }
  return true;
}
