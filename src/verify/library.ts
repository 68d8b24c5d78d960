/**
 * The library's verification entry points. Configuration is resolved once,
 * here, the way the CLI resolves it (options > ENTENTE_* > .entente.yml >
 * package.json, CI and git), then everything below receives plain values.
 */

import { openConfiguredStore } from '../config/open-store.js';
import { requireVersion } from '../config/require.js';
import { resolveConfig } from '../config/resolve.js';
import { mergeRedaction } from '../redact/redact.js';
import { redactShapes } from '../redact/shapes.js';
import { type VerifyRequest, type VerifyResult, verifyProvider } from './verify.js';

export interface VerifyOptions
  extends Omit<VerifyRequest, 'version' | 'now' | 'branch' | 'commit' | 'onProgress'> {
  /** Default: from configuration (ENTENTE_VERSION, .entente.yml, package.json, the git commit). */
  version?: string;
  /** The contracts repository (a URL or a path). Default: from configuration. */
  contracts?: string;
  /** The `.entente.yml` to read. Default: the nearest one. */
  config?: string;
  /** Where configuration is looked up. Default: the current folder. */
  cwd?: string;
  /** The environment configuration is read from (ENTENTE_*, CI variables, tokens). Default: process.env. */
  env?: Record<string, string | undefined>;
}

/**
 * Replays the selected consumer contracts against the running provider and
 * (unless `publish: false`) commits the results. Resolves to every
 * interaction's outcome; it does not throw on mismatches, only on bad input
 * (InputError, ConfigError), an unreachable provider or a git failure.
 */
export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  const env = options.env ?? (process.env as Record<string, string | undefined>);
  const config = await resolveConfig({
    flags: {
      ...(options.contracts ? { contracts: options.contracts } : {}),
      ...(options.config ? { config: options.config } : {}),
      service: options.provider,
      ...(options.version ? { version: options.version } : {}),
    },
    env,
    cwd: options.cwd ?? process.cwd(),
  });
  const warnings: string[] = [];
  const store = await openConfiguredStore(config, { warn: (message) => warnings.push(message) });
  const { contracts: _contracts, config: _config, cwd: _cwd, env: _env, ...request } = options;
  const testRun = options.testRun ?? config.testRun;
  const maxResponseBytes = options.maxResponseBytes ?? config.file.verify?.maxResponseBytes;
  const result = await verifyProvider(store, {
    ...request,
    ...(testRun ? { testRun } : {}),
    version: requireVersion(config),
    ...(config.branch ? { branch: config.branch } : {}),
    ...(config.commit ? { commit: config.commit } : {}),
    now: new Date().toISOString(),
    redact: mergeRedaction(config.file.redact, options.redact),
    ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
  });
  return { ...result, warnings: [...warnings.map((w) => redactShapes(w)), ...result.warnings] };
}

export type ProviderOptions = { provider: string } & Partial<Omit<VerifyOptions, 'provider'>>;

export interface Provider {
  readonly provider: string;
  /** `verify` with this provider and these defaults; `options` win over them. */
  verify(options: Omit<VerifyOptions, 'provider'>): Promise<VerifyResult>;
}

/** The reference documents' shape: `createProvider({ provider }).verify({ baseUrl, stateHandlers, cleanup })`. */
export function createProvider(defaults: ProviderOptions): Provider {
  return {
    provider: defaults.provider,
    verify: (options) => verify({ ...defaults, ...options }),
  };
}
