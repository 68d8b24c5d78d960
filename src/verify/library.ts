/**
 * The library's verification entry points, shells over `openContracts().verify`:
 * configuration is resolved there, the way the CLI resolves it (options >
 * ENTENTE_* > .entente.yml > package.json, CI and git).
 */

import { redactShapes } from '../redact/shapes.js';
import type { VerifyRequest, VerifyResult } from './verify.js';

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
  const { contracts, config, cwd, env, version, ...request } = options;
  const warnings: string[] = [];
  const { openContracts } = await import('../open-contracts.js');
  const handle = await openContracts({
    ...(contracts ? { contracts } : {}),
    ...(config ? { config } : {}),
    ...(cwd ? { cwd } : {}),
    ...(env ? { env } : {}),
    service: options.provider,
    ...(version ? { version } : {}),
    warn: (message) => warnings.push(message),
  });
  const result = await handle.verify(request);
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
