/**
 * Consumer impact: which interactions of a contract rely on a given place of
 * a response, so that a breaking spec change names the consumers it breaks
 * and only those.
 */
import type { ContractRecord, Interaction } from '../model/records.js';
import { matchPathTemplate, underBasePath } from '../openapi/router.js';
import { isBodyPathPrefix, parseBodyPath } from './body-path.js';
import { reliedOnLeaves } from './relies-on.js';

/** An operation of a spec, and optionally one of its responses. */
export interface OperationTarget {
  /** HTTP method, any case. */
  method: string;
  /** The spec's path template, e.g. `/castles/{id}`. */
  pathTemplate: string;
  operationId?: string;
  /** The spec's servers base path, when recorded paths may include it. */
  basePath?: string;
  /** A status (200), a range ('2XX') or 'default'; absent: every status. */
  status?: number | string;
}

export interface ImpactTarget extends OperationTarget {
  /** The changed place in the response body, in body path syntax ('' is the whole body). */
  bodyPath: string;
}

export interface Impact {
  interactionId: string;
  operation: string;
  /** The relied-on body paths at, inside or above the target. */
  reliedOn: string[];
}

/**
 * The interactions of `contract` that rely on `target.bodyPath` of the
 * target operation's response, on a parent of it, or on something inside it
 * (see interactionsOfOperation for which interactions are the operation's).
 */
export function interactionsRelyingOn(contract: ContractRecord, target: ImpactTarget): Impact[] {
  const changed = parseBodyPath(target.bodyPath);
  const impacts: Impact[] = [];
  for (const interaction of interactionsOfOperation(contract, target)) {
    const { body, reliesOn, pins } = interaction.response;
    const paths = reliesOn === undefined ? undefined : [...reliesOn, ...(pins ?? [])];
    const related = new Set<string>();
    for (const leaf of reliedOnLeaves(body, paths, `interaction ${interaction.id}`)) {
      const leafPath = parseBodyPath(leaf.path);
      if (isBodyPathPrefix(changed, leafPath) || isBodyPathPrefix(leafPath, changed)) related.add(leaf.path);
    }
    if (related.size > 0) {
      impacts.push({
        interactionId: interaction.id,
        operation: interaction.operation,
        reliedOn: [...related],
      });
    }
  }
  return impacts;
}

/**
 * The interactions of `contract` with the target operation (and status, when
 * the target names one). An interaction belongs to the operation when its
 * recorded operation is the operationId (or `METHOD /template`), or when its
 * method and concrete path match the template.
 */
export function interactionsOfOperation(contract: ContractRecord, target: OperationTarget): Interaction[] {
  return contract.interactions.filter(
    (interaction) =>
      isSameOperation(interaction, target) && statusMatches(interaction.response.status, target.status),
  );
}

function isSameOperation(interaction: Interaction, target: OperationTarget): boolean {
  const method = target.method.toUpperCase();
  if (
    interaction.operation === target.operationId ||
    interaction.operation === `${method} ${target.pathTemplate}`
  ) {
    return true;
  }
  if (interaction.request.method !== method) return false;
  const { path } = interaction.request;
  const relative = underBasePath(path, target.basePath ?? '') ?? path;
  return matchPathTemplate(target.pathTemplate, relative) !== undefined;
}

function statusMatches(status: number, wanted: number | string | undefined): boolean {
  if (wanted === undefined || wanted === 'default') return true;
  if (typeof wanted === 'number') return status === wanted;
  if (/^[1-5]XX$/i.test(wanted)) return String(status)[0] === wanted[0];
  return String(status) === wanted;
}
