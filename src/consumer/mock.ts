/**
 * A consumer's mock of one provider: the spec (from the contracts repository
 * or a local file), its fixtures, a real server, msw handlers, and recording.
 * `startConsumerMock` takes resolved configuration; `createMock` (create-mock.ts)
 * resolves it at the library's edge.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { HttpHandler } from 'msw';
import { requireService, requireVersion } from '../config/require.js';
import type { EntenteConfig } from '../config/resolve.js';
import { parseBodyPath } from '../contract/body-path.js';
import { ConfigError, InputError } from '../errors.js';
import { readApprovedFixtures, readLocalFixtures, toLocalFixtures } from '../fixtures/load.js';
import {
  createMockHandler,
  type MockInteraction,
  type MockLogger,
  type MockProblem,
} from '../mock/handler.js';
import { startMockServer } from '../mock/node-server.js';
import { environmentName, serviceName, versionName } from '../model/names.js';
import type { FixtureRecord } from '../model/records.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { routerFor } from '../openapi/router.js';
import { readProviderSpec, type SpecSelector } from '../provider-spec/read.js';
import { createRecorder, withRecording } from '../record/recorder.js';
import { mergeRedaction, type RedactionConfig } from '../redact/redact.js';
import { redactShapes } from '../redact/shapes.js';
import type { ContractsStore } from '../store/store.js';

export interface MockOptions {
  /** A local OpenAPI file instead of the provider's published spec (relative to the project). */
  spec?: string;
  /**
   * The folder the local `$ref`s of `spec` must stay inside (relative to the
   * project). Default: the spec file's folder. Only with `spec`.
   */
  refRoot?: string;
  /** Serve fixtures: approved ones from the contracts repository and local ones. Default true. */
  useFixtures?: boolean;
  /**
   * The team's own fixtures (priority 3), as data. Default: `fixtures/<provider>.json`
   * at the project root when it exists. A fixture with `partial: true` lists
   * only the fields the consumer relies on.
   */
  localFixtures?: readonly unknown[];
  /** A local fixtures file (JSON or YAML array) instead of `fixtures/<provider>.json`. */
  localFixturesFile?: string;
  /** Answer requests that do not fit the spec with a 400. Default true. */
  validateRequests?: boolean;
  /** Validate what the mock sends and report drift. Default true. */
  validateResponses?: boolean;
  /** Record exchanges into the pending folder. Default: on in CI, under `entente record`, or with ENTENTE_RECORD=true. */
  record?: boolean;
  /**
   * When recording, track which response fields the test's code reads
   * (JSON bodies parsed in this process: `Response.json()` and the clients
   * built on it, axios): the contract relies on those. Default true.
   */
  trackReads?: boolean;
  /**
   * The response fields the consumer relies on, per operationId (2xx
   * responses). Wins, operation by operation, over `.entente.yml`'s
   * `reliesOn` for this provider.
   */
  reliesOn?: Record<string, string[]>;
  /** The response fields whose values must be equal, per operationId (2xx responses). */
  pins?: Record<string, string[]>;
  /** More secrets to redact (and exemptions), on top of `.entente.yml`'s `redact` and the built-in ones. */
  redact?: RedactionConfig;
  /** The server's port. Default 0: a free port. */
  port?: number;
  /** The server's host. Default 127.0.0.1. */
  host?: string;
  /** Where the msw `handlers` intercept requests. Default: the mock's `url`. */
  baseUrl?: string;
  /**
   * Build the msw `handlers`. Default true. `false` leaves `handlers` empty and
   * never loads msw: for a mock reached only over HTTP (`entente mock` and
   * `entente record`'s mocks, whose clients run in other processes).
   */
  mswHandlers?: boolean;
  /** Gets a `warn` line for each new problem (drift). Default: silent. */
  logger?: MockLogger;
  /** Larger request bodies are answered 413, neither validated nor recorded. Default 10 MiB. */
  maxRequestBytes?: number;
  /** How many of the latest exchanges `interactions` keeps. Default 1000. */
  maxInteractions?: number;
}

export interface Mock {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly provider: string;
  /** The provider version whose spec is served (the `version` given, for a local spec). */
  readonly version: string;
  /** msw 2 request handlers with the same behaviour, for `setupServer` (no port involved). */
  readonly handlers: HttpHandler[];
  /** The latest exchanges (at most `maxInteractions`, default 1000), oldest first. */
  readonly interactions: readonly MockInteraction[];
  /** How many exchanges matched an operation since the mock started. */
  readonly exchanges: number;
  readonly problems: readonly MockProblem[];
  /** Where exchanges are recorded, or undefined when recording is off. */
  readonly recording: { pendingDir: string; consumer: string; consumerVersion: string } | undefined;
  /** The fixtures this mock serves from: local ones first, then approved ones from the repository. */
  getFixtures(): FixtureRecord[];
  /** The provider state attached to the following exchanges. */
  given(state: string, params?: Record<string, unknown>): void;
  resetGiven(): void;
  /** Stops the server and waits until every recording is on disk (read tracking ends here). */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Mocks created within this long of each other in one process read the contracts repository once. */
const SHARED_READ_WINDOW_MS = 10_000;

export interface MockSetup {
  config: EntenteConfig;
  /** Opened only when the spec or fixtures come from the contracts repository. */
  openStore: () => Promise<ContractsStore>;
  now: () => string;
}

export async function startConsumerMock(
  setup: MockSetup,
  provider: string,
  selector: SpecSelector,
  options: MockOptions = {},
): Promise<Mock> {
  const { config } = setup;
  serviceName(provider, 'provider');
  if (typeof selector === 'object') environmentName(selector.environment, 'environment');
  else if (selector !== 'latest') versionName(selector, 'version');
  if (options.refRoot !== undefined && options.spec === undefined) {
    throw new InputError(
      'input.ref-root',
      '--ref-root: only applies to a local spec (--spec); a published spec has no $refs left',
      { details: [{ where: '--ref-root', message: 'expected together with --spec' }] },
    );
  }
  const useFixtures = options.useFixtures !== false;
  const fromRepo = options.spec === undefined;
  const snapshot =
    fromRepo || useFixtures
      ? await (await setup.openStore()).sharedSnapshot({
          ...(config.env.ENTENTE_CONTRACTS_COMMIT ? { commit: config.env.ENTENTE_CONTRACTS_COMMIT } : {}),
          windowMs: SHARED_READ_WINDOW_MS,
        })
      : undefined;

  let document: OpenApiDocument;
  let version: string;
  if (options.spec !== undefined) {
    const refRoot = options.refRoot === undefined ? {} : { refRoot: resolve(config.cwd, options.refRoot) };
    // Loaded only for a local spec: it validates the document against the OpenAPI schemas.
    const { loadSpec } = await import('../openapi/load.js');
    document = (await loadSpec(resolve(config.cwd, options.spec), refRoot)).document;
    version = typeof selector === 'string' ? selector : 'local';
  } else {
    const spec = await readProviderSpec(snapshot!, provider, selector);
    document = spec.document;
    version = spec.version;
  }

  const fixtures = useFixtures && snapshot ? await readApprovedFixtures(snapshot, provider) : [];
  const localFixtures = useFixtures ? await localFixturesFor(config, provider, options) : [];

  const reliesOn = declaredReliance(document, provider, config, options.reliesOn);
  const record = options.record ?? config.recording;
  const identity = record ? consumerIdentity(config) : undefined;
  const recorder = identity
    ? createRecorder({
        pendingDir: config.pendingDir,
        ...identity,
        provider,
        ...(fromRepo ? { providerVersion: version } : {}),
        ...(config.branch ? { branch: config.branch } : {}),
        ...(config.commit ? { commit: config.commit } : {}),
        ...(config.testRun ? { testRun: config.testRun } : {}),
        redact: mergeRedaction(config.file.redact, options.redact),
        ...(reliesOn ? { reliesOn } : {}),
        ...(options.pins ? { pins: options.pins } : {}),
        trackReads: options.trackReads !== false,
        // A declared path the test never read is worth a warning even when the mock is otherwise silent.
        logger: options.logger ?? { warn: (message: string) => console.warn(message) },
        now: setup.now,
      })
    : undefined;

  let exchanges = 0;
  const core = createMockHandler({
    document,
    fixtures,
    localFixtures,
    ...(options.validateRequests === undefined ? {} : { validateRequests: options.validateRequests }),
    ...(options.validateResponses === undefined ? {} : { validateResponses: options.validateResponses }),
    ...(options.logger ? { logger: redactedLogger(options.logger) } : {}),
    onInteraction: (interaction) => {
      exchanges++;
      recorder?.record(interaction);
    },
    ...(recorder ? { jsonText: recorder.jsonText } : {}),
    ...(options.maxRequestBytes === undefined ? {} : { maxRequestBytes: options.maxRequestBytes }),
    ...(options.maxInteractions === undefined ? {} : { maxInteractions: options.maxInteractions }),
  });
  const handler = recorder ? withRecording(core, recorder) : core;
  const server = await startMockServer(handler, {
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.maxRequestBytes === undefined ? {} : { maxRequestBytes: options.maxRequestBytes }),
  });
  const handlers =
    options.mswHandlers === false
      ? []
      : (await import('../mock/msw.js')).createMswHandlers(handler, {
          baseUrl: options.baseUrl ?? server.url,
        });
  const served = [...localFixtures, ...fixtures];

  const close = async () => {
    await server.close();
    await recorder?.close();
  };
  return {
    url: server.url,
    port: server.port,
    provider,
    version,
    handlers,
    interactions: core.interactions,
    get exchanges() {
      return exchanges;
    },
    problems: core.problems,
    recording: identity ? { pendingDir: config.pendingDir, ...identity } : undefined,
    getFixtures: () => [...served],
    given: (state, params) => core.given(state, params),
    resetGiven: () => core.resetGiven(),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * What the consumer declared it relies on, per operation: `.entente.yml`'s
 * `reliesOn` for this provider, overridden operation by operation by the
 * option (the library's `reliesOn`, `entente mock --relies-on`). Every
 * operation must be one of the spec's and every path well-formed, or the
 * mock does not start (bad input, naming where).
 */
function declaredReliance(
  document: OpenApiDocument,
  provider: string,
  config: EntenteConfig,
  option: Record<string, string[]> | undefined,
): Record<string, string[]> | undefined {
  const fromFile = config.file.reliesOn?.[provider];
  if (!fromFile && !option) return undefined;
  const operations = routerFor(document).operations;
  const names = new Set(
    operations.flatMap((op) => [op.operationKey, ...(op.operationId ? [op.operationId] : [])]),
  );
  const check = (map: Record<string, string[]>, where: string) => {
    for (const [operation, paths] of Object.entries(map)) {
      if (!names.has(operation)) {
        throw new InputError(
          'input.relies-on',
          `${where}: ${JSON.stringify(operation)} is not an operation of ${provider}'s spec (operations: ${[...names].sort().join(', ')})`,
          { details: [{ where, message: `unknown operation ${operation}` }] },
        );
      }
      for (const path of paths) {
        try {
          parseBodyPath(path);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          throw new InputError(error.code, `${where} (${operation}): ${error.message}`, {
            details: [{ where, message: error.message }],
          });
        }
      }
    }
  };
  if (fromFile) check(fromFile, `${config.configFile ?? '.entente.yml'}: reliesOn.${provider}`);
  if (option) check(option, 'reliesOn (the option, or --relies-on)');
  return { ...fromFile, ...option };
}

/** Who records: the consumer's name and version are needed to file what it recorded. */
function consumerIdentity(config: EntenteConfig): { consumer: string; consumerVersion: string } {
  try {
    return { consumer: requireService(config), consumerVersion: requireVersion(config) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(
      error.code,
      `recording is on, but ${error.message} (in the library: the \`consumer\` / \`consumerVersion\` options)`,
      { details: error.details },
    );
  }
}

/** The `localFixtures` given, else the file given, else `fixtures/<provider>.json` at the project root if present. */
async function localFixturesFor(
  config: EntenteConfig,
  provider: string,
  options: MockOptions,
): Promise<FixtureRecord[]> {
  if (options.localFixtures) return toLocalFixtures(options.localFixtures, 'localFixtures', provider);
  if (options.localFixturesFile) {
    return readLocalFixtures(resolve(config.cwd, options.localFixturesFile), provider);
  }
  const conventional = join(config.projectDir, 'fixtures', `${provider}.json`);
  const exists = await stat(conventional).then(
    (s) => s.isFile(),
    () => false,
  );
  return exists ? readLocalFixtures(conventional, provider) : [];
}

/** Drift warnings quote fixtures and requests: credential shapes never reach the consumer's log. */
function redactedLogger(logger: MockLogger): MockLogger {
  return { warn: (message) => logger.warn(redactShapes(message)) };
}
