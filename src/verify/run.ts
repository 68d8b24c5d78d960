/**
 * The verification loop: for each selected contract and each of its
 * interactions, set up provider states, replay the request, compare the
 * response with what the consumer relies on and with the provider's own
 * spec, tear down. Interactions run one at a time: provider states are
 * global to the running service. Problems are data in the outcomes; only a
 * provider that cannot be reached at all throws.
 */
import { performance } from 'node:perf_hooks';
import { formatLocation, type LocationStep } from '../contract/body-path.js';
import { type ActualResponse, compareResponse } from '../contract/compare-response.js';
import { EntenteError, IoError } from '../errors.js';
import type { Interaction, Mismatch } from '../model/records.js';
import type { OpenApiDocument } from '../spec/document.js';
import { specValidators, type Violation } from '../spec/validator.js';
import { type ReplayRequest, type RequestFilter, replayRequest, sendReplay } from './replay.js';
import type { ContractTarget, SelectedVersion } from './select.js';
import { errorMessage, type PreparedInteraction } from './states.js';

export interface InteractionOutcome {
  id: string;
  operation: string;
  description?: string;
  given?: Interaction['given'];
  request: { method: string; path: string };
  success: boolean;
  /** Where the response does not give the consumer what it relies on. */
  mismatches: Mismatch[];
  /** Where the response does not fit the provider version's own published spec. */
  specDrift: Mismatch[];
  /** A state handler, cleanup or transport failure. */
  error?: string;
  /** What the provider answered, when it answered. */
  response?: ActualResponse;
  durationMs: number;
}

export interface ContractOutcome {
  consumer: string;
  /** The contract's content hash: results are stored under it, so every consumer version with it shares them. */
  contract: string;
  consumerVersions: SelectedVersion[];
  success: boolean;
  interactions: InteractionOutcome[];
}

export interface ReplayOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  requestFilter?: RequestFilter;
  timeoutMs: number;
  prepare: (consumer: string, interaction: Interaction) => Promise<PreparedInteraction>;
  /** The provider version's spec, for spec drift; undefined when it has none. */
  spec?: OpenApiDocument;
  /** Spec drift fails the interaction. Default: it is reported only. */
  failOnSpecDrift?: boolean;
  onProgress?: (progress: VerifyProgress) => void;
}

export interface VerifyProgress {
  done: number;
  total: number;
  consumer: string;
  outcome: InteractionOutcome;
}

export async function replayContracts(
  targets: ContractTarget[],
  options: ReplayOptions,
): Promise<ContractOutcome[]> {
  const total = targets.reduce((sum, t) => sum + t.contract.interactions.length, 0);
  let done = 0;
  const outcomes: ContractOutcome[] = [];
  for (const target of targets) {
    const interactions: InteractionOutcome[] = [];
    for (const interaction of target.contract.interactions) {
      const outcome = await replayInteraction(target.consumer, interaction, options);
      interactions.push(outcome);
      options.onProgress?.({ done: ++done, total, consumer: target.consumer, outcome });
    }
    outcomes.push({
      consumer: target.consumer,
      contract: target.hash,
      consumerVersions: target.versions,
      success: interactions.every((i) => i.success),
      interactions,
    });
  }
  return outcomes;
}

async function replayInteraction(
  consumer: string,
  interaction: Interaction,
  options: ReplayOptions,
): Promise<InteractionOutcome> {
  const started = performance.now();
  const prepared = await options.prepare(consumer, interaction);
  if (prepared.error !== undefined) {
    await prepared.finish();
    throw stateFailure(consumer, interaction, prepared.error);
  }
  let error: string | undefined;
  let response: ActualResponse | undefined;
  let mismatches: Mismatch[] = [];
  let specDrift: Mismatch[] = [];
  try {
    const recorded = replayRequest(interaction, options.baseUrl, options.headers);
    const request: ReplayRequest =
      (await options.requestFilter?.(recorded, { consumer, interaction })) ?? recorded;
    response = await sendReplay(request, options.timeoutMs);
    mismatches = compareResponse(interaction, response);
    if (options.spec) specDrift = checkSpecDrift(options.spec, interaction.operation, response);
  } catch (cause) {
    if (cause instanceof IoError) {
      await prepared.finish();
      throw cause;
    }
    error =
      cause instanceof EntenteError ? `the contract is not valid: ${cause.message}` : errorMessage(cause);
  }
  const finished = await prepared.finish();
  if (finished !== undefined) throw stateFailure(consumer, interaction, finished);
  const success =
    error === undefined && mismatches.length === 0 && !(options.failOnSpecDrift && specDrift.length > 0);
  return {
    id: interaction.id,
    operation: interaction.operation,
    ...(interaction.description ? { description: interaction.description } : {}),
    ...(interaction.given ? { given: interaction.given } : {}),
    request: { method: interaction.request.method, path: interaction.request.path },
    success,
    mismatches,
    specDrift,
    ...(error !== undefined ? { error } : {}),
    ...(response ? { response } : {}),
    durationMs: Math.round((performance.now() - started) * 100) / 100,
  };
}

/** The response checked against the provider's own spec; violations as mismatches of kind `spec.<where>`. */
export function checkSpecDrift(
  document: OpenApiDocument,
  operation: string,
  response: ActualResponse,
): Mismatch[] {
  let violations: Violation[];
  try {
    violations = specValidators(document).validateResponse(operation, response);
  } catch (error) {
    return [
      {
        kind: 'spec.operation',
        path: 'operation',
        expected: operation,
        message: `the spec has no operation ${JSON.stringify(operation)}: ${errorMessage(error)}`,
      },
    ];
  }
  return violations.map((violation) => {
    const path = violationPath(violation);
    return { kind: `spec.${violation.in}`, path, message: `${path}: ${violation.message}` };
  });
}

function violationPath(violation: Violation): string {
  switch (violation.in) {
    case 'body': {
      const steps: LocationStep[] = violation.pointer
        .split('/')
        .slice(1)
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
      return formatLocation(steps);
    }
    case 'content-type':
      return 'header content-type';
    case 'status':
      return 'status';
    default:
      return `${violation.in} ${violation.name ?? ''}`.trim();
  }
}

/**
 * Provider states that cannot be set up or torn down say nothing about the
 * provider's responses: the verification stops (exit 4) before anything is
 * recorded, instead of judging the pair a failure.
 */
function stateFailure(consumer: string, interaction: Interaction, failure: string): IoError {
  const which = interaction.description ?? interaction.operation;
  return new IoError(
    'verify.state',
    `${failure} (${consumer}: ${which}); the verification stopped and nothing was recorded: only a provider response can fail a contract`,
    { details: [{ where: `${consumer}: ${which}`, message: failure }] },
  );
}
