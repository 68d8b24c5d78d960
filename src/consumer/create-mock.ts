/**
 * The library's entry points for consumers. Configuration is resolved here,
 * once, exactly as the CLI does (options > ENTENTE_* > .entente.yml >
 * package.json / CI / git).
 */

import { openConfiguredStore } from '../config/open-store.js';
import { resolveConfig } from '../config/resolve.js';
import type { SpecSelector } from '../provider-spec/read.js';
import { type Mock, type MockOptions, startConsumerMock } from './mock.js';

/** Where configuration comes from, and what overrides it. */
export interface ConsumerConfigOptions {
  /** This consumer's service name (default: configuration). */
  consumer?: string;
  /** This consumer's version (default: configuration). */
  consumerVersion?: string;
  /** The contracts repository (default: configuration). */
  contracts?: string;
  /** The project folder configuration is resolved from. Default: process.cwd(). */
  cwd?: string;
  /** The environment configuration is resolved from. Default: process.env. */
  env?: Record<string, string | undefined>;
}

export interface CreateMockOptions extends MockOptions, ConsumerConfigOptions {}

/**
 * A mock of `provider` built from its published spec — an exact version,
 * `'latest'`, or `{ environment: 'staging' }` for the version deployed there —
 * or from `options.spec`, a local file. Close it (or `await using`) when done.
 */
export async function createMock(
  provider: string,
  version: SpecSelector = 'latest',
  options: CreateMockOptions = {},
): Promise<Mock> {
  const { consumer, consumerVersion, contracts, cwd, env, ...mockOptions } = options;
  const config = await resolveConfig({
    flags: {
      ...(contracts ? { contracts } : {}),
      ...(consumer ? { service: consumer } : {}),
      ...(consumerVersion ? { version: consumerVersion } : {}),
    },
    env: env ?? process.env,
    cwd: cwd ?? process.cwd(),
  });
  return startConsumerMock(
    {
      config,
      openStore: () =>
        openConfiguredStore(
          config,
          mockOptions.logger ? { warn: (message) => mockOptions.logger?.warn(message) } : {},
        ),
      now: () => new Date().toISOString(),
    },
    provider,
    version,
    mockOptions,
  );
}

export interface ClientOptions extends ConsumerConfigOptions {
  /** The provider environment mocks follow when `createMock` is given no version. */
  environment?: string;
  /** Record exchanges (default: on in CI or under `entente record`). */
  recordingEnabled?: boolean;
}

export interface Client {
  createMock(provider: string, version?: SpecSelector, options?: CreateMockOptions): Promise<Mock>;
}

/**
 * The shape of entente's reference documents:
 * `createClient({ consumer, environment, recordingEnabled }).createMock(provider, version, options)`.
 */
export function createClient(options: ClientOptions = {}): Client {
  const { environment, recordingEnabled, ...configOptions } = options;
  return {
    createMock(provider, version, mockOptions = {}) {
      return createMock(provider, version ?? (environment ? { environment } : 'latest'), {
        ...configOptions,
        ...(recordingEnabled === undefined ? {} : { record: recordingEnabled }),
        ...mockOptions,
      });
    },
  };
}
