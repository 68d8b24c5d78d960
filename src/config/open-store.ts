import { ContractsStore, type StoreOptions } from '../store/store.js';
import type { EntenteConfig } from './resolve.js';

/** The contracts repository the configuration points at: one way to open it for the CLI and the library. */
export function openConfiguredStore(
  config: EntenteConfig,
  options: Pick<StoreOptions, 'warn' | 'beforePush'> = {},
): Promise<ContractsStore> {
  return ContractsStore.open({
    location: config.contracts,
    branch: config.contractsBranch,
    cacheDir: config.cacheDir,
    env: config.env,
    ...options,
  });
}
