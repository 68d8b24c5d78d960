import { ConfigError } from '../errors.js';
import type { EntenteConfig } from './resolve.js';

/** The service name, or a ConfigError saying every way to give one. */
export function requireService(config: EntenteConfig): string {
  if (config.service) return config.service;
  throw new ConfigError(
    'config.service-missing',
    'no service name: pass --service, set ENTENTE_SERVICE, add `service:` to .entente.yml, or run where a package.json has a name',
  );
}

export function requireVersion(config: EntenteConfig): string {
  if (config.version) return config.version;
  throw new ConfigError(
    'config.version-missing',
    'no version: pass --version, set ENTENTE_VERSION, or run in a project with a package.json version or a git commit',
  );
}
