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
import { legacyAllowance } from '../contract/spec-allowance.js';
import { EntenteError, IoError } from '../errors.js';
import type { Interaction, Mismatch } from '../model/records.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { specValidators, type Violation } from '../openapi/validator.js';
import { applyProviderStateGenerators } from '../pact/generators.js';
import { comparePactResponse } from '../pact/match.js';
import type { Redactor } from '../redact/redact.js';
import {
  missingSecretsMessage,
  type ReplayRequest,
  type RequestFilter,
  ResponseTooDeepError,
  ResponseTooLargeError,
  redactedValues,
  replayRequest,
  type SuppliedSecrets,
  sendReplay,
} from './replay.js';
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
  /**
   * No version of the provider has verified this contract successfully yet:
   * its failure is reported and recorded but does not fail the verification
   * (unless asked). Set by `verifyProvider`.
   */
  pending?: boolean;
  interactions: InteractionOutcome[];
}

export interface ReplayOptions {
  baseUrl: string;
  /** What replaces the secrets redacted at recording. */
  supplied?: SuppliedSecrets;
  requestFilter?: RequestFilter;
  timeoutMs: number;
  /** The largest response body read (see `DEFAULT_MAX_RESPONSE_BYTES`). */
  maxResponseBytes: number;
  prepare: (consumer: string, interaction: Interaction) => Promise<PreparedInteraction>;
  /** The provider version's spec, for spec drift; undefined when it has none. */
  spec?: OpenApiDocument;
  /** Spec drift fails the interaction. Default: it is reported only. */
  failOnSpecDrift?: boolean;
  onProgress?: (progress: VerifyProgress) => void;
  /** What the outcomes keep of the provider's answers: nothing secret (src/redact). */
  redactor: Redactor;
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
    const supplied = mergeSupplied(options.supplied, prepared.supplied);
    for (const values of [prepared.supplied.headers, prepared.supplied.query, prepared.supplied.fields])
      options.redactor.remember(...Object.values(values ?? {}));
    const replayed = applyProviderStateGenerators(interaction, prepared.values);
    const recorded = replayRequest(replayed, options.baseUrl, supplied);
    const request: ReplayRequest =
      (await options.requestFilter?.(recorded, { consumer, interaction: replayed })) ?? recorded;
    const missing = redactedValues(request);
    if (missing.length > 0) error = missingSecretsMessage(missing);
    else {
      response = await sendReplay(request, {
        timeoutMs: options.timeoutMs,
        maxResponseBytes: options.maxResponseBytes,
      });
      const legacyAllows = options.spec && legacyAllowance(options.spec, interaction);
      // An imported pact is held to its own matching rules, as Pact's verifier would hold it.
      mismatches = interaction.pact
        ? comparePactResponse(interaction, response)
        : compareResponse(interaction, response, legacyAllows ? { legacyAllows } : {});
      if (options.spec) specDrift = checkSpecDrift(options.spec, interaction.operation, response);
    }
  } catch (cause) {
    if (cause instanceof IoError) {
      await prepared.finish();
      throw cause;
    }
    error = failureMessage(interaction, cause);
  }
  const finished = await prepared.finish();
  if (finished !== undefined) throw stateFailure(consumer, interaction, finished);
  const success =
    error === undefined && mismatches.length === 0 && !(options.failOnSpecDrift && specDrift.length > 0);
  const { redactor } = options;
  // The response first: the secrets it holds are then scrubbed from mismatches and messages too.
  if (response) response = redactResponse(response, redactor);
  mismatches = mismatches.map((mismatch) => redactMismatch(mismatch, redactor));
  specDrift = specDrift.map((mismatch) => redactMismatch(mismatch, redactor));
  if (error !== undefined) error = redactor.text(error);
  return {
    id: interaction.id,
    operation: interaction.operation,
    ...(interaction.description ? { description: interaction.description } : {}),
    ...(interaction.given
      ? {
          given: interaction.given.map((state) =>
            state.params ? { ...state, params: redactor.value(state.params) as typeof state.params } : state,
          ),
        }
      : {}),
    request: { method: interaction.request.method, path: interaction.request.path },
    success,
    mismatches,
    specDrift,
    ...(error !== undefined ? { error } : {}),
    ...(response ? { response } : {}),
    durationMs: Math.round((performance.now() - started) * 100) / 100,
  };
}

/**
 * Why an interaction could not be judged. A response over a limit is named
 * with the interaction, the limit and (for its size) how to raise it: nothing
 * of its body was kept.
 */
function failureMessage(interaction: Interaction, cause: unknown): string {
  const { method, path } = interaction.request;
  const response = `the provider's response to ${interaction.operation} (${method} ${path})`;
  if (cause instanceof ResponseTooLargeError)
    return `${response} is larger than ${cause.limit} bytes, the most verify reads: it was abandoned unread and nothing of it is recorded; raise the limit with --max-response-bytes (maxResponseBytes in .entente.yml's verify section, or the library's maxResponseBytes option)`;
  if (cause instanceof ResponseTooDeepError)
    return `${response} nests JSON deeper than ${cause.limit} levels, the most verify walks: nothing of it is recorded`;
  if (cause instanceof EntenteError) return `the contract is not valid: ${cause.message}`;
  return errorMessage(cause);
}

/** Pure: the run's supplied secrets with one interaction's (from its state setups) on top. */
function mergeSupplied(base: SuppliedSecrets = {}, extra: SuppliedSecrets): SuppliedSecrets {
  return {
    headers: { ...base.headers, ...extra.headers },
    query: { ...base.query, ...extra.query },
    fields: { ...base.fields, ...extra.fields },
  };
}

/** The provider's answer as outcomes keep it: secret headers and body fields redacted. */
function redactResponse(response: ActualResponse, redactor: Redactor): ActualResponse {
  const headers = redactor.headers(response.headers);
  return {
    status: response.status,
    headers,
    body: response.body === undefined ? undefined : redactor.body(response.body, headers['content-type']),
  };
}

/** A mismatch's values (all of them under a secret name, such as `$.session.token`) and message redacted. */
function redactMismatch(mismatch: Mismatch, redactor: Redactor): Mismatch {
  const name = /(?:\.|^)([^.[\]\s]+)$|\["([^"]+)"\]$/.exec(mismatch.path);
  const field = name?.[1] ?? name?.[2];
  return {
    ...mismatch,
    ...('expected' in mismatch
      ? { expected: redactor.named(field, mismatch.expected) as Mismatch['expected'] }
      : {}),
    ...('actual' in mismatch ? { actual: redactor.named(field, mismatch.actual) as Mismatch['actual'] } : {}),
    message: redactor.text(mismatch.message),
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
