/**
 * Recording at the mock's edge: every exchange becomes a redacted interaction
 * written to the pending folder before the consumer sees the response, so a
 * test run that crashes loses nothing it already received.
 */

import { isBodyPathPrefix, parseBodyPath } from '../contract/body-path.js';
import type { MockHandler, MockInteraction } from '../mock/handler.js';
import { type RecordingOptions, toInteraction } from './interaction.js';
import {
  type PendingInteraction,
  type RecordingSource,
  recordingSource,
  removePending,
  writePending,
} from './pending.js';
import { createReadTracker } from './read-tracking.js';

export interface RecorderOptions extends RecordingOptions, RecordingSource {
  pendingDir: string;
  /** The time recorded with each interaction. */
  now: () => string;
  /** Track which body fields the consumer's code reads (in this process). Default false. */
  trackReads?: boolean;
  /** Gets the warnings read tracking has (a declared path never read). */
  logger?: { warn(message: string): void };
}

export interface Recorder {
  /**
   * Starts writing one exchange. Exchanges the mock answered with its own
   * 400 (a request that does not fit the spec, a Prefer it cannot honour)
   * are the consumer's mistakes, not part of its contract: they are skipped.
   */
  record(exchange: MockInteraction): void;
  /** The JSON text to send for an exchange: with read tracking, one whose parse can be told apart. */
  jsonText(exchange: MockInteraction, text: string): string;
  /** Resolves once everything recorded so far is on disk; rejects with the first failure. */
  flush(): Promise<void>;
  /**
   * Ends the recording: with read tracking, each exchange whose body the
   * consumer parsed is rewritten to rely on what it read (unless it declared
   * what it relies on: then a declared path it never read is warned about).
   */
  close(): Promise<void>;
  /** How many exchanges were written. */
  readonly recorded: number;
}

interface Written {
  exchange: MockInteraction;
  entry: PendingInteraction;
  file: Promise<string | undefined>;
}

export function createRecorder(options: RecorderOptions): Recorder {
  let writes: Promise<unknown> = Promise.resolve();
  let failure: unknown;
  let recorded = 0;
  const written: Written[] = [];
  const tracker = options.trackReads ? createReadTracker<MockInteraction>() : undefined;

  const write = (entry: PendingInteraction): Promise<string | undefined> => {
    const file = writePending(options.pendingDir, entry).then(
      (path) => {
        recorded++;
        return path;
      },
      (error: unknown) => {
        failure ??= error;
        return undefined;
      },
    );
    // Resolves to nothing: chaining results would nest one array per exchange for the mock's lifetime.
    writes = Promise.all([writes, file]).then(() => undefined);
    return file;
  };

  const retrack = async () => {
    const superseded = new Map<string, boolean>();
    for (const { exchange, entry, file } of written) {
      const path = await file;
      const reads = tracker?.readsOf(exchange);
      const declared = declaredPaths(exchange, options);
      if (reads && declared) warnUnread(exchange, declared, reads, options);
      const rewrite = reads !== undefined && !declared;
      if (path) superseded.set(path, (superseded.get(path) ?? true) && rewrite);
      if (!rewrite) continue;
      try {
        write({ ...entry, interaction: toInteraction({ ...exchange, tracked: reads }, options) });
      } catch (error) {
        failure ??= error;
      }
    }
    await writes;
    await removePending([...superseded].filter(([, all]) => all).map(([path]) => path));
  };

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
      const file = write(entry);
      // Kept only to rewrite what read tracking saw at close; a mock that cannot track keeps nothing per exchange.
      if (tracker) written.push({ exchange, entry, file });
    },
    jsonText(exchange, text) {
      return tracker ? tracker.served(exchange, text) : text;
    },
    async flush() {
      await writes;
      if (failure !== undefined) throw failure;
    },
    async close() {
      tracker?.close();
      await writes;
      if (tracker && failure === undefined) await retrack();
      if (failure !== undefined) throw failure;
    },
    get recorded() {
      return recorded;
    },
  };
}

/** What the exchange declared it relies on, as toInteraction decides it; undefined when nothing. */
function declaredPaths(exchange: MockInteraction, options: RecordingOptions): string[] | undefined {
  const status = exchange.response.status;
  const success = status >= 200 && status < 300;
  return (
    exchange.reliesOnHeader ??
    (success ? options.reliesOn?.[exchange.operation] : undefined) ??
    exchange.reliesOn
  );
}

/** A declared path the code never read may be a mistake (or a read entente cannot see): say so. */
function warnUnread(
  exchange: MockInteraction,
  declared: readonly string[],
  reads: readonly string[],
  options: RecorderOptions,
): void {
  const read = reads.map(parseBodyPath);
  const unread = declared.filter((text) => {
    const path = parseBodyPath(text);
    return !read.some((r) => isBodyPathPrefix(r, path) || isBodyPathPrefix(path, r));
  });
  if (unread.length === 0) return;
  options.logger?.warn(
    `entente: ${exchange.operation} (${exchange.request.method} ${exchange.request.path}) declares it relies on ${unread.join(', ')}, and the test never read ${unread.length === 1 ? 'it' : 'them'}`,
  );
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
