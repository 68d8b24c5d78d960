/**
 * `entente record --mock PROVIDER[@VERSION][:PORT]`: mocks started for the
 * command entente record runs, listening before it starts, their URLs handed
 * to it in environment variables, stopped (and their recordings on disk)
 * before anything is published.
 */
import type { EntenteConfig } from '../config/resolve.js';
import { type Mock, startConsumerMock } from '../consumer/mock.js';
import { InputError } from '../errors.js';
import type { MockLogger } from '../mock/handler.js';
import { parseServiceRef } from '../model/names.js';
import type { ContractsStore } from '../store/store.js';

export interface MockRequest {
  provider: string;
  /** The provider version whose spec is served; the latest when absent. */
  version?: string;
  /** The port to listen on; a free one when absent. */
  port?: number;
}

/** `castle-service`, `castle-service@1.2.0`, `castle-service:4010`, `castle-service@1.2.0:4010`. */
export function parseMockRequest(value: string, where = '--mock'): MockRequest {
  const match = /^(.*?)(?::(\d{1,5}))?$/.exec(value)!;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && port > 65535) {
    throw new InputError(
      'input.mock-port',
      `${where}: port ${port} in ${JSON.stringify(value)} is above 65535`,
      {
        details: [{ where, message: 'expected PROVIDER[@VERSION][:PORT]' }],
      },
    );
  }
  const { service, version } = parseServiceRef(match[1]!, where);
  return {
    provider: service,
    ...(version === undefined ? {} : { version }),
    ...(port === undefined ? {} : { port }),
  };
}

/** `ENTENTE_MOCK_URL_CASTLE_SERVICE` for `castle-service`: the provider's name in capitals, `_` for the rest. */
export function mockUrlVariable(provider: string): string {
  return `ENTENTE_MOCK_URL_${provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export interface StartedMocks {
  mocks: Mock[];
  /** The variables the command gets: one per mock, and `ENTENTE_MOCK_URL` when there is only one. */
  env: Record<string, string>;
  /** Stops every mock and waits until its recordings are on disk; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts one recording mock per request and resolves once every one listens.
 * `config` must carry the run's test run id: what the mocks record is tagged with it.
 */
export async function startMocks(
  requests: readonly MockRequest[],
  setup: {
    config: EntenteConfig;
    openStore: () => Promise<ContractsStore>;
    now: () => string;
    logger?: MockLogger;
  },
): Promise<StartedMocks> {
  const providers = requests.map((r) => r.provider);
  const twice = providers.find((provider, i) => providers.indexOf(provider) !== i);
  if (twice) {
    throw new InputError('input.mock-twice', `--mock ${twice} is given twice: one mock per provider`, {
      details: [{ where: '--mock', message: `expected each provider once, got ${twice} twice` }],
    });
  }
  const mocks: Mock[] = [];
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= Promise.all(mocks.map((mock) => mock.close())).then(() => undefined);
    return closing;
  };
  try {
    for (const request of requests) {
      mocks.push(
        await startConsumerMock(setup, request.provider, request.version ?? 'latest', {
          record: true,
          // The command's clients reach the mocks over HTTP.
          mswHandlers: false,
          ...(request.port === undefined ? {} : { port: request.port }),
          ...(setup.logger ? { logger: setup.logger } : {}),
        }),
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  const env = Object.fromEntries(mocks.map((mock) => [mockUrlVariable(mock.provider), mock.url]));
  if (mocks.length === 1) env.ENTENTE_MOCK_URL = mocks[0]!.url;
  return { mocks, env, close };
}
