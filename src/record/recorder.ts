/**
 * Recording at the mock's edge: every exchange becomes a redacted interaction
 * written to the pending folder before the consumer sees the response, so a
 * test run that crashes loses nothing it already received.
 */
import type { MockHandler, MockInteraction } from '../mock/handler.js';
import { type RecordingOptions, toInteraction } from './interaction.js';
import { type PendingInteraction, type RecordingSource, recordingSource, writePending } from './pending.js';

export interface RecorderOptions extends RecordingOptions, RecordingSource {
  pendingDir: string;
  /** The time recorded with each interaction. */
  now: () => string;
}

export interface Recorder {
  /**
   * Starts writing one exchange. Exchanges the mock answered with its own
   * 400 (a request that does not fit the spec, a Prefer it cannot honour)
   * are the consumer's mistakes, not part of its contract: they are skipped.
   */
  record(exchange: MockInteraction): void;
  /** Resolves once everything recorded so far is on disk; rejects with the first failure. */
  flush(): Promise<void>;
  /** How many exchanges were written. */
  readonly recorded: number;
}

export function createRecorder(options: RecorderOptions): Recorder {
  let writes: Promise<unknown> = Promise.resolve();
  let failure: unknown;
  let recorded = 0;
  return {
    record(exchange) {
      const source = exchange.servedFrom.kind;
      if (source === 'error') return;
      let entry: PendingInteraction;
      try {
        entry = pendingEntry(exchange, source, options);
      } catch (error) {
        failure ??= error;
        return;
      }
      // Resolves to nothing: chaining results would nest one array per exchange for the mock's lifetime.
      writes = Promise.all([
        writes,
        writePending(options.pendingDir, entry).then(
          () => {
            recorded++;
          },
          (error: unknown) => {
            failure ??= error;
          },
        ),
      ]).then(() => undefined);
    },
    async flush() {
      await writes;
      if (failure !== undefined) throw failure;
    },
    get recorded() {
      return recorded;
    },
  };
}

function pendingEntry(
  exchange: MockInteraction,
  source: PendingInteraction['responseSource'],
  options: RecorderOptions,
): PendingInteraction {
  return {
    ...recordingSource(options),
    recordedAt: options.now(),
    responseSource: source,
    interaction: toInteraction(exchange, options),
  };
}

/**
 * The same mock, with each response held back until its exchange is on disk.
 * A recording that cannot be written fails the request (the node server
 * answers 500 with the reason) instead of silently losing it.
 */
export function withRecording(handler: MockHandler, recorder: Recorder): MockHandler {
  return {
    handle: async (request) => {
      const response = await handler.handle(request);
      await recorder.flush();
      return response;
    },
    given: (state, params) => handler.given(state, params),
    resetGiven: () => handler.resetGiven(),
    get problems() {
      return handler.problems;
    },
    get interactions() {
      return handler.interactions;
    },
    get document() {
      return handler.document;
    },
  };
}
