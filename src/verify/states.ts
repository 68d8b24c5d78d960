/**
 * Provider states: before an interaction is replayed its provider states are
 * set up, afterwards torn down (in reverse order), then `cleanup` runs.
 * Handlers are keyed by provider state name or by operationId; a provider in
 * any language receives the same calls as POSTs to a state URL. A handler
 * that fails (or a state URL that cannot be reached or refuses) stops the
 * verification: a state that cannot be set up says nothing about the
 * provider's responses.
 */
import type { Interaction } from '../model/records.js';
import { fetchWithTimeout, ResponseTooLargeError, readText, type SuppliedSecrets } from './replay.js';

export type StateAction = 'setup' | 'teardown';

/** What a state handler is told. */
export interface StateContext {
  consumer: string;
  /** The provider state, or null for a handler keyed by operationId. */
  state: string | null;
  params: Record<string, unknown>;
  operation: string;
  action: StateAction;
  interaction: Interaction;
}

/**
 * A setup may return (or a state URL answer with) `{ secrets: { headers, query, fields } }`:
 * real values for this interaction's redacted secrets, on top of `--header`/`--query`/`--field`.
 */
export type StateFunction = (params: Record<string, unknown>, context: StateContext) => unknown;

/** A function (setup only) or setup and teardown. */
export type StateHandler = StateFunction | { setup?: StateFunction; teardown?: StateFunction };

/** By provider state name (`castle 123 exists`) or operationId (`listCastles`). */
export type StateHandlers = Record<string, StateHandler>;

export interface CleanupContext {
  consumer: string;
  operation: string;
  interaction: Interaction;
}

export type Cleanup = (context: CleanupContext) => unknown;

/** One step of preparing an interaction: a named handler, or the state URL. */
interface StateStep {
  label: string;
  /** null for the handler keyed by operationId, and for the state URL call of an interaction without states. */
  state: string | null;
  params: Record<string, unknown>;
  handler?: StateHandler;
}

export interface StateRunnerOptions {
  handlers?: StateHandlers;
  /** POSTs `{ consumer, state, params, operation, action }` for every state, setup and teardown. */
  stateUrl?: string;
  timeoutMs: number;
  /** The largest answer read from the state URL. */
  maxResponseBytes: number;
  cleanup?: Cleanup;
}

export interface PreparedInteraction {
  /** Set when a setup step failed: the interaction is not replayed and the verification stops. */
  error?: string;
  /** Provider states nothing handled (no handler and no state URL). */
  unhandled: string[];
  /** Secrets the setups supplied for this interaction (`{ secrets: … }`). */
  supplied: SuppliedSecrets;
  /**
   * The states' params, overridden by the values their setups returned (a
   * handler's returned object, the state URL's JSON object answer): what
   * Pact's ProviderState generators draw on.
   */
  values: Record<string, unknown>;
  /** Tears down what was set up (reverse order), then runs cleanup; returns the first failure. */
  finish(): Promise<string | undefined>;
}

export function stateRunner(options: StateRunnerOptions) {
  const handlers = options.handlers ?? {};
  return async function prepare(consumer: string, interaction: Interaction): Promise<PreparedInteraction> {
    const steps = stepsFor(interaction, handlers, options.stateUrl !== undefined);
    const unhandled = (interaction.given ?? [])
      .filter((g) => !Object.hasOwn(handlers, g.state) && options.stateUrl === undefined)
      .map((g) => g.state);
    const done: StateStep[] = [];
    const supplied: SuppliedSecrets = {};
    const values: Record<string, unknown> = {};
    const run = async (step: StateStep, action: StateAction): Promise<string | undefined> => {
      const context: StateContext = {
        consumer,
        state: step.state,
        params: step.params,
        operation: interaction.operation,
        action,
        interaction,
      };
      try {
        const answer = step.handler
          ? await callHandler(step.handler, action, context)
          : options.stateUrl
            ? await postState(options.stateUrl, context, options)
            : undefined;
        if (action === 'setup') {
          addSupplied(supplied, answer);
          const { secrets: _secrets, ...returned } = isRecord(answer) ? answer : {};
          Object.assign(values, step.params, returned);
        }
        return undefined;
      } catch (error) {
        return `${step.label} ${action} failed: ${errorMessage(error)}`;
      }
    };
    let error: string | undefined;
    for (const step of steps) {
      error = await run(step, 'setup');
      if (error) break;
      done.push(step);
    }
    return {
      ...(error ? { error } : {}),
      unhandled,
      supplied,
      values,
      async finish() {
        let failure: string | undefined;
        for (const step of done.reverse()) failure ??= await run(step, 'teardown');
        if (options.cleanup) {
          try {
            await options.cleanup({ consumer, operation: interaction.operation, interaction });
          } catch (cause) {
            failure ??= `cleanup failed: ${errorMessage(cause)}`;
          }
        }
        return failure;
      },
    };
  };
}

/**
 * The handler keyed by the interaction's operationId first (general set-up,
 * such as resetting a database), then one step per provider state, in order.
 * With a state URL, every state is posted, and an interaction without states
 * is posted once with `state: null` so the provider can key on the operation.
 */
function stepsFor(interaction: Interaction, handlers: StateHandlers, hasUrl: boolean): StateStep[] {
  const steps: StateStep[] = [];
  const byOperation = handlers[interaction.operation];
  if (byOperation && Object.hasOwn(handlers, interaction.operation)) {
    steps.push({
      label: `operation ${JSON.stringify(interaction.operation)}`,
      state: null,
      params: {},
      handler: byOperation,
    });
  }
  const given = interaction.given ?? [];
  for (const state of given) {
    const handler = Object.hasOwn(handlers, state.state) ? handlers[state.state] : undefined;
    if (!handler && !hasUrl) continue;
    steps.push({
      label: `state ${JSON.stringify(state.state)}`,
      state: state.state,
      params: state.params ?? {},
      ...(handler ? { handler } : {}),
    });
  }
  if (hasUrl && given.length === 0 && !byOperation) {
    steps.push({ label: `state URL for ${interaction.operation}`, state: null, params: {} });
  }
  return steps;
}

async function callHandler(
  handler: StateHandler,
  action: StateAction,
  context: StateContext,
): Promise<unknown> {
  const fn = typeof handler === 'function' ? (action === 'setup' ? handler : undefined) : handler[action];
  return fn?.(context.params, context);
}

/** Takes `{ secrets: { headers, query, fields } }` from a setup's answer; anything else is ignored. */
function addSupplied(into: SuppliedSecrets, answer: unknown): void {
  const secrets = isRecord(answer) ? answer.secrets : undefined;
  if (!isRecord(secrets)) return;
  for (const key of ['headers', 'query', 'fields'] as const) {
    const values = secrets[key];
    if (!isRecord(values)) continue;
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === 'string') into[key] = { ...into[key], [name]: value };
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** POSTs the state; resolves to the answer's JSON body, if it has one. */
async function postState(
  url: string,
  context: StateContext,
  limits: { timeoutMs: number; maxResponseBytes: number },
): Promise<unknown> {
  const { consumer, state, params, operation, action } = context;
  const init = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ consumer, state, params, operation, action }),
  };
  const answer = await fetchWithTimeout(url, init, limits.timeoutMs, async (response) => ({
    status: response.status,
    ok: response.ok,
    text: await readText(response, limits.maxResponseBytes).catch((error: unknown) => {
      if (error instanceof ResponseTooLargeError)
        throw new Error(
          `${url} answered with more than ${limits.maxResponseBytes} bytes (--max-response-bytes)`,
        );
      throw error;
    }),
  }));
  if (!answer.ok) {
    const text = answer.text.trim();
    throw new Error(`${url} answered ${answer.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  }
  try {
    return JSON.parse(answer.text);
  } catch {
    return undefined;
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error && error.message === 'fetch failed'
      ? `${error.message}: ${cause.message}`
      : error.message;
  }
  return String(error);
}
